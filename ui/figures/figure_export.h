// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSizeF>
#include <QString>

class QCustomPlot;

namespace featscale::ui::figure_export {

/// A paper's column: 3.5 × 2.625 inches, in points.
inline constexpr double kColumnWidthPt = 252;
inline constexpr double kColumnHeightPt = 189;
/// Resolution of PNG figures.
inline constexpr int kPngDpi = 300;

/// Saves a figure of a physical size (points, 1/72 inch) as SVG, PDF or PNG, chosen by the file
/// suffix. The plot is laid out at the screen's logical resolution, where its fonts' point sizes
/// are measured, so text keeps its point size in every format:
///  - PDF: one page of exactly sizePt, vector graphics, the fonts embedded (subsets);
///  - SVG: width and height in physical units, text as <text> elements naming their font family
///    (with the generic family sans-serif after it), so labels stay searchable and editable;
///  - PNG: sizePt at pngDpi (e.g. 252 pt at 300 dpi = 1050 px), the dpi recorded in the file.
/// Written atomically (analysis/core/atomic_file.h). Returns false and sets error, naming the file,
/// on failure. GUI thread (a QGuiApplication must exist; the offscreen platform does).
bool saveFigure(QCustomPlot& plot, const QString& path, QSizeF sizePt, QString* error, int pngDpi = kPngDpi);

/// The suffixes saveFigure() writes: "svg", "pdf", "png".
bool isFigureSuffix(const QString& suffix);

} // namespace featscale::ui::figure_export
