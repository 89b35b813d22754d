// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QString>

namespace featscale::ui {

class ImageView;

/// The image view as a picture: the photo at its original resolution (longest side at most
/// kMaxPhotoExportSide) with the norm overlay, highlight and pin as shown, and the colour bar
/// beside it at the photo's height. Null when no photo is shown.
QImage renderPhotoWithOverlay(const ImageView* view);

constexpr int kMaxPhotoExportSide = 4096;

/// renderPhotoWithOverlay() written as PNG, atomically. Returns false and sets error (naming the
/// file) on failure.
bool savePhotoWithOverlay(const ImageView* view, const QString& path, QString* error);

} // namespace featscale::ui
