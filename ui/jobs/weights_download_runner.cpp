// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/weights_download_runner.h"

#include "analysis/core/types.h"
#include "analysis/weights/download/download.h"

#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

namespace featscale::ui {

namespace wt = featscale::analysis::weights;

WeightsDownloadRunner::WeightsDownloadRunner(QObject* parent) : QObject(parent) { }

WeightsDownloadRunner::~WeightsDownloadRunner()
{
    cancel();
    waitForFinished();
}

bool WeightsDownloadRunner::isRunning() const { return m_future.isRunning(); }

void WeightsDownloadRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void WeightsDownloadRunner::waitForFinished() { m_future.waitForFinished(); }

bool WeightsDownloadRunner::start(const wt::CatalogEntry& entry, const wt::CatalogSettings& settings)
{
    if (isRunning())
        return false;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_cancel = stop;
    m_name = QString::fromStdString(entry.name);
    const QString name = m_name;
    // Signals emitted on the pool thread are queued to receivers on the GUI thread.
    m_future = QtConcurrent::run([this, entry, settings, stop, name] {
        try {
            auto last = std::chrono::steady_clock::time_point{};
            const wt::DownloadResult r = wt::downloadEntry(
                entry, settings, wt::DownloadLimits::fromEnvironment(), [&](const wt::DownloadProgress& p) {
                    // At most ~10 updates a second: the event queue stays short on fast links.
                    const auto now = std::chrono::steady_clock::now();
                    if (now - last > std::chrono::milliseconds(100)) {
                        last = now;
                        Q_EMIT progress(static_cast<qint64>(p.bytes), static_cast<qint64>(p.total), p.bytesPerSecond,
                                        p.etaSeconds);
                    }
                    return !stop->load();
                });
            QStringList notes;
            for (const auto& n : r.notes)
                notes << QString::fromStdString(n);
            Q_EMIT finished(name, QString::fromStdString(r.path), QString::fromStdString(r.digests.sha256), notes);
        } catch (const analysis::Cancelled&) {
            Q_EMIT cancelled(name);
        } catch (const std::exception& e) {
            Q_EMIT failed(name, QString::fromStdString(e.what()));
        }
    });
    return true;
}

} // namespace featscale::ui
