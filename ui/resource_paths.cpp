// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/resource_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace featscale::ui {

QString resourceDir()
{
    QStringList candidates;
    const QString exe = QCoreApplication::applicationDirPath();
    candidates << exe + QStringLiteral("/../share/featscale/resources") << exe + QStringLiteral("/resources");
#ifdef FEATSCALE_RESOURCE_DIR
    candidates.prepend(QStringLiteral(FEATSCALE_RESOURCE_DIR));
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c + QStringLiteral("/samples")).isDir())
            return QDir(c).absolutePath();
    return {};
}

QStringList sampleImages()
{
    const QString dir = resourceDir();
    if (dir.isEmpty())
        return {};
    QStringList out;
    const QDir samples(dir + QStringLiteral("/samples"));
    for (const QString& name : samples.entryList({QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        out << samples.absoluteFilePath(name);
    return out;
}

} // namespace featscale::ui
