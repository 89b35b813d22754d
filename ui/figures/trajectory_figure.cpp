// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/figures/trajectory_figure.h"

#include "ui/figures/figure_layout.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace featscale::ui {
/// The translation context of the texts in the trajectory figure.
class TrajectoryFigure {
    Q_DECLARE_TR_FUNCTIONS(featscale::ui::TrajectoryFigure)
};
} // namespace featscale::ui

namespace featscale::ui::trajectory_figure {
namespace {

using analysis::Stage;
using analysis::TrajectoryData;
using namespace figure_layout;

/// Where each checkpoint sits on x: its step, or its position when any checkpoint has none.
std::vector<double> positions(const TrajectoryData& t, bool& bySteps)
{
    bySteps = std::all_of(t.checkpoints.begin(), t.checkpoints.end(), [](const auto& c) { return c.step.has_value(); });
    std::vector<double> x;
    for (std::size_t i = 0; i < t.checkpoints.size(); ++i)
        x.push_back(bySteps ? static_cast<double>(*t.checkpoints[i].step) : static_cast<double>(i));
    return x;
}

QString stepLabel(bool bySteps)
{
    return bySteps ? TrajectoryFigure::tr("training step") : TrajectoryFigure::tr("checkpoint (training order)");
}

QCPRange paddedRange(const std::vector<double>& x)
{
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const double pad = *hi > *lo ? 0.03 * (*hi - *lo) : 0.5;
    return QCPRange(*lo - pad, *hi + pad);
}

/// The layers shown: options.layers when given, else those with γ or a scale, in the first
/// checkpoint's order (γ layers first, as the map holds them, then the analysed ones).
std::vector<std::string> shownLayers(const TrajectoryData& t, const FigureOptions& options)
{
    std::vector<std::string> all;
    for (const auto& c : t.checkpoints) {
        for (const auto& s : c.scales)
            if (std::find(all.begin(), all.end(), s.layer) == all.end())
                all.push_back(s.layer);
        for (const auto& [layer, g] : c.gammas)
            if (std::find(all.begin(), all.end(), layer) == all.end())
                all.push_back(layer);
    }
    if (options.layers.empty())
        return all;
    for (const auto& l : options.layers)
        if (std::find(all.begin(), all.end(), l) == all.end())
            throw analysis::Error("figure: layer " + l + " is not in the trajectory (neither a gamma nor a scale)");
    return options.layers;
}

void drawMedians(QCustomPlot& plot, QCPAxisRect* rect, const TrajectoryData& t, const std::vector<double>& x,
                 const std::vector<std::string>& layers, bool bySteps)
{
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (const std::string& layer : layers)
        for (Stage stage : {Stage::Before, Stage::After}) {
            QVector<double> keys, values;
            for (std::size_t i = 0; i < t.checkpoints.size(); ++i)
                for (const auto& s : t.checkpoints[i].scales)
                    if (s.layer == layer && s.stage == stage && s.median > 0 && std::isfinite(s.median)) {
                        keys << x[i];
                        values << s.median;
                        lo = std::min(lo, s.median);
                        hi = std::max(hi, s.median);
                    }
            if (keys.isEmpty())
                continue;
            auto* g = plot.addGraph(xa, ya);
            g->setData(keys, values, /*alreadySorted=*/true);
            g->setPen(QPen(plot_style::layerColor(layer), 1.2, stage == Stage::After ? Qt::DashLine : Qt::SolidLine));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
            g->setName(QString::fromStdString(layer) + (stage == Stage::After ? TrajectoryFigure::tr(" after L2Norm")
                                                                              : TrajectoryFigure::tr(" before")));
        }
    plot_style::setLogAxis(ya, true);
    ya->setRange(hi > 0 ? decades(lo, hi) : QCPRange(1, 100));
    ya->setLabel(TrajectoryFigure::tr("median L2 norm"));
    xa->setRange(paddedRange(x));
    xa->setLabel(stepLabel(bySteps));
}

void drawGammaBands(QCustomPlot& plot, QCPAxisRect* rect, const TrajectoryData& t, const std::vector<double>& x,
                    const std::vector<std::string>& gammaLayers, bool bySteps)
{
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const std::string& layer : gammaLayers) {
        QVector<double> keys, mean, mins, maxs;
        for (std::size_t i = 0; i < t.checkpoints.size(); ++i) {
            const auto it = t.checkpoints[i].gammas.find(layer);
            if (it == t.checkpoints[i].gammas.end() || it->second.empty())
                continue;
            const auto [a, b] = std::minmax_element(it->second.begin(), it->second.end());
            double sum = 0;
            for (float v : it->second)
                sum += v;
            keys << x[i];
            mean << sum / static_cast<double>(it->second.size());
            mins << *a;
            maxs << *b;
            lo = std::min<double>(lo, *a);
            hi = std::max<double>(hi, *b);
        }
        if (keys.isEmpty())
            continue;
        const QColor color = plot_style::layerColor(layer);
        auto* top = plot.addGraph(xa, ya);
        top->setData(keys, maxs, true);
        top->setPen(Qt::NoPen);
        auto* bottom = plot.addGraph(xa, ya);
        bottom->setData(keys, mins, true);
        bottom->setPen(Qt::NoPen);
        QColor fill = color;
        fill.setAlpha(60);
        top->setBrush(fill);
        top->setChannelFillGraph(bottom);
        auto* m = plot.addGraph(xa, ya);
        m->setData(keys, mean, true);
        m->setPen(QPen(color, 1.4));
        m->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
        m->setName(TrajectoryFigure::tr("γ %1 (mean, min–max)").arg(QString::fromStdString(layer)));
        top->removeFromLegend();
        bottom->removeFromLegend();
    }
    const double pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
    ya->setRange(lo - pad, hi + pad);
    ya->setLabel(TrajectoryFigure::tr("γ"));
    xa->setRange(paddedRange(x));
    xa->setLabel(stepLabel(bySteps));
}

void drawHeatmap(QCustomPlot& plot, QCPLayoutGrid* panels, int row, QCPAxisRect* rect, const TrajectoryData& t,
                 const std::string& layer, bool bySteps)
{
    std::vector<std::size_t> with;
    std::size_t channels = 0;
    for (std::size_t i = 0; i < t.checkpoints.size(); ++i)
        if (const auto it = t.checkpoints[i].gammas.find(layer); it != t.checkpoints[i].gammas.end()) {
            with.push_back(i);
            channels = std::max(channels, it->second.size());
        }
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(xa, ya);
    const int nx = static_cast<int>(with.size()), ny = static_cast<int>(channels);
    // cells at the checkpoints' positions in training order, labelled with their steps
    map->data()->setSize(nx, ny);
    map->data()->setRange(QCPRange(0, std::max(0, nx - 1)), QCPRange(0, std::max(0, ny - 1)));
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (int i = 0; i < nx; ++i) {
        const auto& g = t.checkpoints[with[static_cast<std::size_t>(i)]].gammas.at(layer);
        for (int c = 0; c < ny; ++c) {
            const double v = c < static_cast<int>(g.size()) ? g[static_cast<std::size_t>(c)] : std::nan("");
            map->data()->setCell(i, c, v);
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    map->setInterpolate(false);
    map->removeFromLegend();
    auto* scale = new QCPColorScale(&plot);
    panels->addElement(row, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(6);
    scale->axis()->setTickLabelFont(smaller(plot.font()));
    scale->axis()->setLabelFont(plot.font());
    scale->axis()->setLabel(TrajectoryFigure::tr("γ"));
    // the map takes the scale's gradient and range when joined to it: set them on the scale after
    map->setColorScale(scale);
    scale->setGradient(QCPColorGradient(QCPColorGradient::gpThermal));
    scale->setDataRange(hi > lo ? QCPRange(lo, hi) : QCPRange(lo - 0.5, hi + 0.5));
    auto* group = new QCPMarginGroup(&plot);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    const int every = std::max(1, nx / 6);
    for (int i = 0; i < nx; i += every) {
        const auto& c = t.checkpoints[with[static_cast<std::size_t>(i)]];
        ticks->addTick(i, bySteps && c.step ? QString::number(*c.step)
                                            : QString::number(with[static_cast<std::size_t>(i)]));
    }
    xa->setTicker(ticks);
    xa->setRange(-0.5, nx - 0.5);
    ya->setRange(-0.5, ny - 0.5);
    xa->setLabel(stepLabel(bySteps));
    ya->setLabel(TrajectoryFigure::tr("%1 channel").arg(QString::fromStdString(layer)));
}

} // namespace

void drawTrajectory(QCustomPlot& plot, const TrajectoryData& t, const FigureOptions& options)
{
    if (t.checkpoints.empty())
        throw analysis::Error("figure: the trajectory holds no checkpoint");
    const std::vector<std::string> layers = shownLayers(t, options);
    std::vector<std::string> gammaLayers, scaleLayers;
    for (const std::string& l : layers) {
        const bool hasGamma = std::any_of(t.checkpoints.begin(), t.checkpoints.end(),
                                          [&](const auto& c) { return c.gammas.count(l) > 0; });
        const bool hasScale = std::any_of(t.checkpoints.begin(), t.checkpoints.end(), [&](const auto& c) {
            return std::any_of(c.scales.begin(), c.scales.end(), [&](const auto& s) { return s.layer == l; });
        });
        if (hasGamma)
            gammaLayers.push_back(l);
        if (hasScale)
            scaleLayers.push_back(l);
    }
    bool bySteps = true;
    const std::vector<double> x = positions(t, bySteps);
    const QString title = options.title.isEmpty() ? TrajectoryFigure::tr("Feature scale and γ across training")
                                                  : options.title;
    QCPLayoutGrid* panels = resetLayout(plot, title, QString());
    int row = 0;
    if (!scaleLayers.empty())
        drawMedians(plot, addPanel(plot, panels, row++, 0), t, x, scaleLayers, bySteps);
    if (!gammaLayers.empty()) {
        drawGammaBands(plot, addPanel(plot, panels, row++, 0), t, x, gammaLayers, bySteps);
        QCPAxisRect* heat = addPanel(plot, panels, row, 0);
        drawHeatmap(plot, panels, row, heat, t, gammaLayers.front(), bySteps);
        ++row;
    }
    if (row == 0)
        throw analysis::Error("figure: the layers shown have neither a gamma nor a scale in the trajectory");
    // the panels share their left edge, so the x axes line up
    auto* left = new QCPMarginGroup(&plot);
    for (QCPAxisRect* r : plot.axisRects())
        r->setMarginGroup(QCP::msLeft, left);
    fitLegend(plot);
}

} // namespace featscale::ui::trajectory_figure
