// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/resource_paths.h"

#include "analysis/core/data_dir.h"

#include <QDir>

namespace featscale::ui {

QString resourceDir() { return QString::fromStdString(analysis::dataDir()); }

QStringList sampleImages()
{
    const QString dir = resourceDir();
    if (dir.isEmpty())
        return {};
    QStringList out;
    const QDir samples(dir + QStringLiteral("/samples"));
    for (const QString& name :
         samples.entryList({QStringLiteral("*.jpg"), QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        out << samples.absoluteFilePath(name);
    return out;
}

} // namespace featscale::ui
