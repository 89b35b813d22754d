// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCustomPlot;

namespace featscale::ui {

/// Saves a plot as PNG, SVG or PDF, chosen by the file suffix. Files are written atomically
/// (temporary file in the same folder, then renamed over the target), so a failed export never
/// leaves a truncated file behind or destroys an earlier one. width/height 0 = on-screen size.
/// Returns false and sets error (naming the file) on failure.
bool savePlot(QCustomPlot* plot, const QString& path, QString* error, int width = 0, int height = 0);

/// File-dialog filter for savePlot().
QString plotFileFilter();

} // namespace featscale::ui
