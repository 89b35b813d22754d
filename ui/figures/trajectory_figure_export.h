// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/trajectory/trajectory_files.h"
#include "ui/figures/run_figures.h"

#include <QString>

namespace featscale::ui::trajectory_figure {

/// Saves the trajectory figure (drawTrajectory) as PNG, SVG or PDF (figure_export::saveFigure, by
/// the suffix): a column wide and one further row per panel below the first, at 7.5 pt, as
/// `featscale-cli plot --kind trajectory` lays it out. False with error set (naming the file or
/// the problem) on failure. GUI thread.
bool saveTrajectoryFigure(const analysis::TrajectoryData& trajectory, const FigureOptions& options, const QString& path,
                          QString* error);

/// The layers drawn: every normalized one (its γ) and, of the analysed ones, conv4_3, conv5_3 and
/// fc7 (LayerCatalog::defaultLayers, the ParseNet comparison): the GUI analyses every tap, and
/// eighteen layers' lines would bury the plot under its legend.
FigureOptions parseNetLayers(const analysis::TrajectoryData& data);

} // namespace featscale::ui::trajectory_figure
