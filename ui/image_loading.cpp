// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/image_loading.h"

#include "analysis/images/image_files.h"
#include "analysis/images/preprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <exception>

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
    return QCoreApplication::translate("featscale", "Images (%1);;All files (*)").arg(globs.join(' '));
}

bool hasImageSuffix(const QString& path)
{
    return imageSuffixes().contains(QFileInfo(path).suffix().toLower());
}

namespace {
QImage fromEngine(const QString& path, QSize* originalSize, QString* error)
{
    try {
        const auto decoded = analysis::decodeImage(path.toStdString());
        QImage img(decoded.bgr.data(), decoded.width, decoded.height, decoded.width * 3,
                   QImage::Format_BGR888);
        if (originalSize)
            *originalSize = QSize(decoded.width, decoded.height);
        return img.copy(); // detach from the decoder's buffer
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return {};
    }
}
} // namespace

QImage loadDisplayImage(const QString& path, QSize maxSize, QSize* originalSize, QString* error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize raw = reader.size();
    if (reader.canRead() && raw.isValid()) {
        // Guard the decoder like the engine does: a header may declare absurd dimensions.
        if (static_cast<qint64>(raw.width()) * raw.height() > analysis::kMaxDecodePixels) {
            if (error)
                *error = QCoreApplication::translate("featscale", "%1: image too large (%2x%3)")
                             .arg(path).arg(raw.width()).arg(raw.height());
            return {};
        }
        const bool swap = reader.transformation().testFlag(QImageIOHandler::TransformationRotate90);
        const QSize oriented = swap ? raw.transposed() : raw;
        if (maxSize.isValid() && (raw.width() > maxSize.width() || raw.height() > maxSize.height())) {
            // Scaled decoding (JPEG DCT scaling) keeps thumbnails of huge photos cheap.
            const QSize box = swap ? maxSize.transposed() : maxSize;
            reader.setScaledSize(raw.scaled(box, Qt::KeepAspectRatio));
        }
        QImage img = reader.read();
        if (!img.isNull()) {
            if (originalSize)
                *originalSize = oriented;
            return img;
        }
    }
    QImage img = fromEngine(path, originalSize, error);
    if (!img.isNull() && maxSize.isValid())
        img = img.scaled(maxSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (img.isNull() && error && error->isEmpty())
        *error = QCoreApplication::translate("featscale", "%1: %2").arg(path, reader.errorString());
    return img;
}

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
        for (const std::string& f : analysis::listImageFiles(QFile::encodeName(info.absoluteFilePath()).toStdString(), problems))
            out << QFile::decodeName(QByteArray::fromStdString(f));
        if (errors)
            for (const std::string& problem : problems)
                *errors << QString::fromStdString(problem);
    }
    return out;
}

} // namespace featscale::ui
