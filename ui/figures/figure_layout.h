// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFont>
#include <QString>

class QCPAxisRect;
class QCPLayoutGrid;
class QCPRange;
class QCustomPlot;

/// The page layout of the run figures (ui/figures/run_figures.h): title row, legend row, panels,
/// fonts derived from the plot's, log ranges. Used by run_figures only. GUI thread.
namespace featscale::ui::figure_layout {

/// Colour of the UNTRAINED mark and of untrained runs' legend entries.
QColor untrainedColor();

/// Tick labels: a step (0.75 pt, a whole pixel at 96 dpi) below the base font.
QFont smaller(const QFont& base);
/// The title: a step above the base font, bold.
QFont titleFont(const QFont& base);

/// text broken into lines at spaces so that each fits width pixels.
QString wrapped(const QString& text, const QFont& font, int width);

/// Empties the plot (plottables, items, every layout element, margin groups), then lays out row 0
/// the title and, when mark is not empty, the mark under it in red (wrapped to the plot's width),
/// row 1 the legend (a new plot.legend, centred), row 2 an empty grid for the panels, returned.
QCPLayoutGrid* resetLayout(QCustomPlot& plot, const QString& title, const QString& mark);

/// A new axis rect in panels at (row, column), on QCustomPlot's layers, with the figure's fonts
/// and only its bottom and left axes; the first one made after resetLayout() becomes
/// plot.xAxis/yAxis.
QCPAxisRect* addPanel(QCustomPlot& plot, QCPLayoutGrid* panels, int row, int column);

/// As many legend entries per row as the plot's width holds. Call once the legend is filled.
void fitLegend(QCustomPlot& plot);

/// Whole decades around [lo, hi], at least two of them.
QCPRange decades(double lo, double hi);

} // namespace featscale::ui::figure_layout
