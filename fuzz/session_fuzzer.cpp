// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the GUI session-file reader (ui/state/session.cpp, Qt Core JSON). Every input must
// either give a Session or throw analysis::Error; an accepted session must write back to JSON
// that reads again to the same JSON (nothing half-applied or invented).
#include "ui/state/app_model.h"
#include "ui/state/session.h"

#include "analysis/core/types.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

// Session::capture (not fuzzed) is the only user of AppModel in session.cpp. These definitions let
// the reader link with Qt Core/Gui alone; reaching one would be a harness bug, hence abort().
namespace featscale::ui {
int AppModel::imageCount() const { std::abort(); }
const ImageEntry& AppModel::image(int) const { std::abort(); }
int AppModel::currentIndex() const { std::abort(); }
const analysis::AnalyzerOptions& AppModel::options() const { std::abort(); }
bool AppModel::hasEngine() const { std::abort(); }
const analysis::WeightInfo& AppModel::weights() const { std::abort(); }
const AppModel::EngineInfo& AppModel::engine() const { std::abort(); }
std::map<std::string, std::vector<float>> AppModel::allGamma() const { std::abort(); }
std::string AppModel::selectedLayer() const { std::abort(); }
std::optional<QPointF> AppModel::pinRelative() const { std::abort(); }
} // namespace featscale::ui

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using featscale::ui::Session;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<int>(size));
    try {
        const Session s = Session::fromJson(bytes, QStringLiteral("fuzz.featscale"));
        const QByteArray again = QJsonDocument(s.toJson()).toJson();
        const Session t = Session::fromJson(again, QStringLiteral("again.featscale"));
        if (QJsonDocument(t.toJson()).toJson() != again)
            std::abort();
    } catch (const featscale::analysis::Error&) {
        // refused with a message naming the file
    }
    return 0;
}
