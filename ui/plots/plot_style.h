// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFont>
#include <QString>

#include <string>

class QCPAxis;
class QCPLayoutGrid;
class QCPTextElement;
class QCustomPlot;

namespace featscale::ui {

class AppModel;

/// Shared look of the analysis plots, so that a layer has the same colour in every panel and
/// every norm axis carries the same label and unit.
namespace plot_style {

/// Axis title of every per-location norm axis, in the GUI language.
QString normAxisLabel();

/// Stable colour of a tap (ParseNet trio first: conv4_3 orange, conv5_3 green, fc7 blue).
QColor layerColor(const std::string& layer);
/// Colours of the two stages of L2Norm in plots that colour by stage.
QColor beforeColor();
QColor afterColor();

/// Turns an axis logarithmic with decade ticks (1, 10, 100, … printed as 10^n when large).
void setLogAxis(QCPAxis* axis, bool log);

/// The title row of a plot: a bold title plus, for untrained weights, a red tag. Created on the
/// first call, updated afterwards.
void setTitle(QCustomPlot* plot, const QString& title, const AppModel* model);

/// The grid holding the title row made by setTitle(), or null before the first title.
QCPLayoutGrid* titleHeader(const QCustomPlot* plot);

/// " — UNTRAINED weights" style tag, empty for trained weights.
QString untrainedTag(const AppModel* model);

/// Short display form of a value: 3 significant digits, no exponent for 0.01..99999.
QString formatValue(double v);
/// "37×" / "0.52×" for a ratio of medians.
QString formatRatio(double r);

/// Moves the legend out of the data area into its own row under the title: a legend never covers
/// data. fitToWidth() wraps it into as many columns as the plot's width holds.
void placeLegendAbove(QCustomPlot* plot);

/// Lays the plot's texts out for its current width: the title wraps onto lines that fit, the legend
/// (when placed above) into columns that fit. Called before every replot of the panels' plots.
void fitToWidth(QCustomPlot* plot);

/// `text` broken at spaces into lines no wider than `width` pixels in `font` (a longer word keeps
/// its own line).
QString wrapText(const QString& text, const QFont& font, int width);

/// Common fonts and margins for a freshly created plot (axis label font, legend look).
void applyDefaults(QCustomPlot* plot);

} // namespace plot_style
} // namespace featscale::ui
