// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/figures/trajectory_figure_export.h"

#include "analysis/core/file_names.h"
#include "analysis/network/layer_catalog.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/trajectory_figure.h"
#include "ui/plots/qcp.h"

#include <algorithm>

namespace featscale::ui::trajectory_figure {

namespace {
/// The sizes of `plot --kind trajectory`: its labels and legend, and each further row of panels.
constexpr double kFontPt = 7.5;
constexpr double kRowPt = 126;
} // namespace

FigureOptions parseNetLayers(const analysis::TrajectoryData& data)
{
    std::vector<std::string> present;
    for (const auto& c : data.checkpoints) {
        for (const auto& [layer, g] : c.gammas)
            present.push_back(layer);
        for (const auto& s : c.scales)
            present.push_back(s.layer);
    }
    FigureOptions options;
    for (const std::string& layer : analysis::LayerCatalog::defaultLayers())
        if (std::find(present.begin(), present.end(), layer) != present.end())
            options.layers.push_back(layer);
    for (const auto& c : data.checkpoints)
        for (const auto& [layer, g] : c.gammas)
            if (std::find(options.layers.begin(), options.layers.end(), layer) == options.layers.end())
                options.layers.push_back(layer);
    return options;
}

bool saveTrajectoryFigure(const analysis::TrajectoryData& trajectory, const FigureOptions& options, const QString& path,
                          QString* error)
{
    QCustomPlot plot;
    QFont font = plot.font();
    font.setPointSizeF(kFontPt);
    run_figures::setFigureFont(plot, font);
    QSizeF sizePt(figure_export::kColumnWidthPt, figure_export::kColumnHeightPt);
    try {
        // drawn twice: the panel count (and so the height the legend wraps in) is known after the first
        plot.resize(figure_export::layoutSize(sizePt));
        drawTrajectory(plot, trajectory, options);
        sizePt.rheight() += kRowPt * std::max(0, plot.axisRectCount() - 1);
        plot.resize(figure_export::layoutSize(sizePt));
        drawTrajectory(plot, trajectory, options);
    } catch (const analysis::Error& e) {
        if (error)
            *error = QString::fromStdString(analysis::printable(e.what()));
        return false;
    }
    return figure_export::saveFigure(plot, path, sizePt, error);
}

} // namespace featscale::ui::trajectory_figure
