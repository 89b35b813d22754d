// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCustomPlot;

namespace featscale::ui {

/// Saves a plot as PNG, SVG or PDF, chosen by the file suffix. Files are written atomically
/// (temporary file in the same folder, then renamed over the target), so a failed export never
/// leaves a truncated file behind or destroys an earlier one. width/height 0 = kExportSize, the same
/// for every plot whatever its shape on screen (PNG at twice that resolution).
/// Returns false and sets error (naming the file) on failure.
bool savePlot(QCustomPlot* plot, const QString& path, QString* error, int width = 0, int height = 0);

/// Default size of an exported plot, in logical pixels.
constexpr int kExportWidth = 1200;
constexpr int kExportHeight = 800;

/// A plot's title as drawn (its first header line's full text), else its object name.
/// Writes a rendered figure with the engine's atomic writer: a full disk or a read-only folder is
/// reported in *error ("…: write failed (…); any earlier file is unchanged"), never a partial file.
bool writePlotFile(const QString& path, const QByteArray& bytes, QString* error);

QString plotTitle(const QCustomPlot* plot);
/// A file name (no suffix) from the plot's title: "feature-scale-across-depth-chelsea".
QString plotFileBaseName(const QCustomPlot* plot);

/// File-dialog filter for savePlot().
QString plotFileFilter();

} // namespace featscale::ui
