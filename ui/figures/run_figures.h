// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/runs/run_data.h"

#include <QColor>
#include <QFont>
#include <QString>

#include <memory>
#include <string>
#include <vector>

class QCustomPlot;

namespace featscale::ui {

/// One run as a figure shows it: its name (legend), its colour and its data. A run made with the
/// untrained default weights (data->meta.weights.untrained) carries the UNTRAINED mark in every figure.
struct FigureRun {
    QString name;
    QColor color;
    std::shared_ptr<const analysis::RunData> data;
};

/// What a figure shows.
struct FigureOptions {
    /// Layers in the order drawn; empty = the layers every run has (the first run's order).
    std::vector<std::string> layers;
    enum class Stages { Before, After, Both };
    /// Before or after L2Norm, or both (after only where the layer is normalized).
    Stages stages = Stages::Both;
    /// Title row; empty = a title saying what is shown.
    QString title;
};

/// The figures of run comparisons, drawn into a QCustomPlot: the GUI shows them in its run
/// comparison and featscale-cli plot exports them. Every statistic comes from
/// analysis::aggregate(RunData) of each run; nothing is computed here. Each draw function clears
/// the plot (plottables, items, extra axis rects, title) first and queues no replot: call
/// replot() or export. They throw analysis::Error naming the run and the layer when a run lacks
/// a requested layer or stage, or when the runs have no layer in common. GUI thread only.
namespace run_figures {

/// Colour of the index-th run: the Okabe–Ito colour-blind-safe palette, repeated.
QColor runColor(int index);

/// The layers every run has (before L2Norm), in the first run's order.
std::vector<std::string> commonLayers(const std::vector<FigureRun>& runs);

/// The layers a figure shows: options.layers when given (each checked against every run), else
/// commonLayers(). Throws analysis::Error naming the run that lacks a layer or has no analysed
/// image, or when no layer is common.
std::vector<std::string> figureLayers(const std::vector<FigureRun>& runs, const FigureOptions& options);

/// Per layer (and per stage, as options.stages asks: "after" only for normalized layers) one group
/// of boxes, one box per run side by side in the run's colour: whiskers p5–p95, box p25–p75, line
/// at the median. Log y axis "L2 norm over channels (activation units)", legend of the runs.
void drawLayerScales(QCustomPlot& plot, const std::vector<FigureRun>& runs, const FigureOptions& options);

/// The distributions of one layer at one stage, one step line per run (density per decade, so runs
/// of different sizes compare), log x axis.
void drawHistogramOverlay(QCustomPlot& plot, const std::vector<FigureRun>& runs, const std::string& layer,
                          analysis::Stage stage, const FigureOptions& options);

/// One panel per layer and stage of figureLayers() (as options.stages asks), each a
/// drawHistogramOverlay() of the runs, in a grid of at most `columns` columns with one legend.
void drawHistogramGrid(QCustomPlot& plot, const std::vector<FigureRun>& runs, const FigureOptions& options,
                       int columns = 2);

/// The distributions of several layers of one run at one stage (layer colours of plot_style);
/// layers without L2Norm are shown before it when stage is After, and say so.
void drawLayerOverlay(QCustomPlot& plot, const FigureRun& run, const std::vector<std::string>& layers,
                      analysis::Stage stage, const FigureOptions& options);

/// Sets the plot's base font (axis titles, legend, captions; tick labels half a point smaller,
/// the title a point larger and bold), with its family resolved to the installed font it stands
/// for. Call before drawing: figures for a paper use ~7 pt.
void setFigureFont(QCustomPlot& plot, const QFont& font);

} // namespace run_figures
} // namespace featscale::ui
