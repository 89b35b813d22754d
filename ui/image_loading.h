// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

namespace featscale::ui {

/// File suffixes the image list accepts (lower case, no dot).
const QStringList& imageSuffixes();
/// Name filters for file dialogs, e.g. "Images (*.jpg *.jpeg …)".
QString imageFileFilter();
bool hasImageSuffix(const QString& path);

/// Decodes a file for display with EXIF orientation applied, so its size matches the engine's
/// ImageResult::originalWidth/Height. Qt's readers first; the engine's decoder (OpenCV) as a
/// fallback for files Qt cannot read. maxSize (if valid) bounds the returned image (thumbnails);
/// originalSize receives the full oriented size. Thread-safe: meant for worker threads.
/// Returns a null image and sets error on failure.
QImage loadDisplayImage(const QString& path, QSize maxSize, QSize* originalSize, QString* error);

/// Expands files and folders (recursively) into image files, sorted per folder, skipping
/// non-image files. Unreadable or missing entries are reported in errors, one line each.
/// Runs on a worker thread (big folder trees).
QStringList collectImageFiles(const QStringList& paths, QStringList* errors);

} // namespace featscale::ui
