// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/weights_discovery.h"

#include <QFileInfo>
#include <QSettings>

namespace featscale::ui {

namespace {
constexpr int kMaxRecent = 10;
const char* const kKey = "recent/weights";
} // namespace

QStringList discoveredWeights()
{
    QStringList out;
    for (const QString& p : QSettings().value(QLatin1String(kKey)).toStringList())
        if (QFileInfo(p).isFile() && !out.contains(p))
            out << p;
    return out;
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
