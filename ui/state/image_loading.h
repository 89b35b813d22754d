// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace featscale::ui {

/// File suffixes the image list accepts (lower case, no dot).
const QStringList& imageSuffixes();
/// The formats the engine decodes, for messages: "JPEG, PNG, BMP, TIFF, WebP, PNM or PAM"
/// (analysis::decodableFormats, the one list).
QString imageFormatsText();
/// Name filters for file dialogs, e.g. "Images: JPEG, PNG, … (*.jpg *.jpeg …)".
QString imageFileFilter();
bool hasImageSuffix(const QString& path);

/// Expands files and folders (recursively) into image files, sorted per folder, skipping
/// non-image files. Unreadable or missing entries are reported in errors, one line each.
/// Runs on a worker thread (big folder trees).
QStringList collectImageFiles(const QStringList& paths, QStringList* errors);

} // namespace featscale::ui
