// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/image_loading.h"

#include "analysis/images/image_files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace featscale::ui {

const QStringList& imageSuffixes()
{
    static const QStringList kSuffixes = [] {
        QStringList list;
        for (const std::string& ext : analysis::imageExtensions())
            list << QString::fromStdString(ext);
        return list;
    }();
    return kSuffixes;
}

QString imageFileFilter()
{
    QStringList globs;
    for (const QString& s : imageSuffixes())
        globs << QStringLiteral("*.") + s;
    return QCoreApplication::translate("featscale", "Images: %1 (%2);;All files (*)")
        .arg(imageFormatsText(), globs.join(' '));
}

QString imageFormatsText() { return QString::fromStdString(analysis::decodableFormatsText()); }

bool hasImageSuffix(const QString& path) { return imageSuffixes().contains(QFileInfo(path).suffix().toLower()); }

QStringList collectImageFiles(const QStringList& paths, QStringList* errors)
{
    QStringList out;
    for (const QString& p : paths) {
        const QFileInfo info(p);
        if (!info.exists()) {
            if (errors)
                *errors << QCoreApplication::translate("featscale", "%1: no such file or folder").arg(p);
            continue;
        }
        if (info.isFile()) {
            // An explicitly named file is taken even with an unusual suffix: the engine decides.
            out << info.absoluteFilePath();
            continue;
        }
        if (!info.isReadable() || !info.isExecutable()) {
            if (errors)
                *errors << QCoreApplication::translate("featscale", "%1: folder is not readable").arg(p);
            continue;
        }
        // The engine's walk, as in the CLI: symlinked folders are not followed (no loops, no
        // file listed twice), unreadable files are listed (they fail with their own message),
        // and folders that cannot be listed are reported.
        std::vector<std::string> problems;
        for (const std::string& f :
             analysis::listImageFiles(QFile::encodeName(info.absoluteFilePath()).toStdString(), problems))
            out << QFile::decodeName(QByteArray::fromStdString(f));
        if (errors)
            for (const std::string& problem : problems)
                *errors << QString::fromStdString(problem);
    }
    return out;
}

} // namespace featscale::ui
