// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/trajectory/trajectory_files.h"
#include "ui/figures/run_figures.h"

class QCustomPlot;

/// The figure of a training run (a directory `featscale-cli trajectory` wrote, read with
/// analysis::readTrajectory), drawn into a QCustomPlot for `featscale-cli plot --kind trajectory`.
/// Panels, top to bottom: each layer's median norm over the steps before L2Norm (solid) and after
/// it (dashed), when the trajectory was made with images; γ's mean per normalized layer with its
/// min–max band; a channel × step heatmap of γ (the first normalized layer shown). The x axis is
/// the training step, or the checkpoint's position when a checkpoint has no step. Nothing is
/// computed here but γ's mean, min and max. Rebuilds the whole plot as run_figures does. Throws
/// analysis::Error when the trajectory has no checkpoint or a requested layer is not in it.
/// GUI thread only.
namespace featscale::ui::trajectory_figure {

void drawTrajectory(QCustomPlot& plot, const analysis::TrajectoryData& trajectory, const FigureOptions& options);

} // namespace featscale::ui::trajectory_figure
