// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/weights_discovery.h"

#include "analysis/weights/download/discovery.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

namespace featscale::ui {

namespace {
constexpr int kMaxRecent = 10;
const char* const kKey = "recent/weights";

bool contains(const QList<WeightsChoice>& list, const QString& path)
{
    for (const WeightsChoice& c : list)
        if (c.path == path)
            return true;
    return false;
}
} // namespace

QList<WeightsChoice> discoveredWeights()
{
    QList<WeightsChoice> out;
    for (const QString& p : QSettings().value(QLatin1String(kKey)).toStringList())
        if (QFileInfo(p).isFile() && !contains(out, p))
            out.push_back({p, QFileInfo(p).fileName() + QCoreApplication::translate("featscale", " — opened before")});
    for (const auto& found : analysis::weights::discoverWeights()) {
        const QString path = QFileInfo(QString::fromStdString(found.path)).absoluteFilePath();
        if (!contains(out, path))
            out.push_back(
                {path, QFileInfo(path).fileName() + QStringLiteral(" — ") + QString::fromStdString(found.kind)});
    }
    return out;
}

QStringList discoveryFolders()
{
    QStringList out;
    for (const auto& f : analysis::weights::discoveryFolders())
        out << QString::fromStdString(f);
    return out;
}

bool hasRecentWeights()
{
    for (const QString& p : QSettings().value(QLatin1String(kKey)).toStringList())
        if (QFileInfo(p).isFile())
            return true;
    return false;
}

void rememberWeights(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QLatin1String(kKey)).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QLatin1String(kKey), recent);
}

} // namespace featscale::ui
