// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/figures/run_figures.h"

#include "analysis/stats/histogram_density.h"

#include "ui/figures/figure_layout.h"

#include "ui/plots/log_box_floor.h"
#include "ui/plots/plot_style.h"

#include "ui/plots/qcp.h"
#include "ui/state/untrained_text.h"

#include <QCoreApplication>
#include <QFontInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::ui {
/// The translation context of the texts in figures.
class RunFigures {
    Q_DECLARE_TR_FUNCTIONS(featscale::ui::RunFigures)
};
} // namespace featscale::ui

namespace featscale::ui::run_figures {

namespace {

using namespace figure_layout;
using analysis::Stage;
using analysis::StageRecord;

constexpr double kGroupWidth = 0.8;       ///< share of a layer's slot taken by its boxes
constexpr std::size_t kUprightGroups = 6; ///< more groups than this get slanted tick labels

/// aggregate() of each run, computed once per figure.
std::vector<std::vector<StageRecord>> aggregates(const std::vector<FigureRun>& runs)
{
    std::vector<std::vector<StageRecord>> out;
    out.reserve(runs.size());
    for (const FigureRun& run : runs) {
        if (!run.data)
            throw analysis::Error("figure: run '" + run.name.toStdString() + "' has no data");
        out.push_back(analysis::aggregate(*run.data));
    }
    return out;
}

const StageRecord* findRecord(const std::vector<StageRecord>& records, const std::string& layer, Stage stage)
{
    for (const StageRecord& r : records)
        if (r.layer == layer && r.stage == stage)
            return &r;
    return nullptr;
}

/// One layer at one stage: a group of boxes, or a panel of the histogram grid.
struct LayerStage {
    std::string layer;
    Stage stage;
};

bool untrained(const FigureRun& run) { return run.data && run.data->meta.weights.untrained; }

QString stageLabel(Stage stage)
{
    return stage == Stage::After ? RunFigures::tr("after L2Norm") : RunFigures::tr("before L2Norm");
}

std::vector<Stage> stagesOf(FigureOptions::Stages s)
{
    switch (s) {
    case FigureOptions::Stages::Before:
        return {Stage::Before};
    case FigureOptions::Stages::After:
        return {Stage::After};
    case FigureOptions::Stages::Both:
        break;
    }
    return {Stage::Before, Stage::After};
}

/// Axis title of the norm axes: short enough for a paper's column, with the unit.
QString normLabel() { return RunFigures::tr("channel L2 norm (activation units)"); }

/// Pens of the runs' lines: solid, dashed, dotted, ... so identical distributions stay visible
/// (and runs stay apart in grey print).
Qt::PenStyle runDash(std::size_t index)
{
    static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                          Qt::DashDotDotLine};
    return styles[index % (sizeof styles / sizeof styles[0])];
}

/// The mark under the title naming the untrained runs; empty when every run is trained.
QString untrainedMark(const std::vector<FigureRun>& runs)
{
    QStringList names;
    for (const FigureRun& run : runs)
        if (untrained(run))
            names << run.name;
    if (names.isEmpty())
        return {};
    // Names first: when the mark wraps, its first line still says which runs it means.
    return names.join(QStringLiteral(", ")) + QStringLiteral(" — ") + UntrainedText::sentence();
}

/// Legend entry of a run: its name, and in red with the mark when its weights are untrained.
void nameRun(QCustomPlot& plot, QCPAbstractPlottable* plottable, const FigureRun& run)
{
    plottable->setName(untrained(run) ? run.name + RunFigures::tr(" (UNTRAINED)") : run.name);
    if (!untrained(run) || !plot.legend)
        return;
    if (auto* item = plot.legend->itemWithPlottable(plottable))
        item->setTextColor(untrainedColor());
}

/// One histogram as a step line: density per decade (fraction of all locations of the record,
/// zeros included, per decade of norm), bins with lo <= 0 left out (no place on a log axis).
struct Steps {
    QVector<double> keys, values;
    double xMin = std::numeric_limits<double>::infinity(), xMax = 0, yMax = 0;
    std::uint64_t zeros = 0, total = 0;
};

Steps steps(const analysis::Histogram& hist)
{
    Steps s;
    s.zeros = hist.zero;
    s.total = hist.total();
    if (s.total == 0 || hist.edges.size() != hist.counts.size() + 1)
        return s;
    std::size_t first = hist.counts.size(), last = 0;
    for (std::size_t i = 0; i < hist.counts.size(); ++i)
        if (hist.counts[i] > 0 && hist.edges[i] > 0) {
            first = std::min(first, i);
            last = i;
        }
    if (first > last)
        return s;
    for (std::size_t i = first; i <= last; ++i) {
        const double lo = hist.edges[i], hi = hist.edges[i + 1];
        const double v = analysis::densityPerDecade(hist.counts[i], s.total, lo, hi);
        s.keys << lo;
        s.values << v;
        s.yMax = std::max(s.yMax, v);
    }
    s.keys << hist.edges[last + 1];
    s.values << 0.0;
    s.xMin = hist.edges[first];
    s.xMax = hist.edges[last + 1];
    return s;
}

QString densityLabel() { return RunFigures::tr("fraction of locations per decade"); }
/// The same, short enough for a grid panel's height.
QString shortDensityLabel() { return RunFigures::tr("fraction per decade"); }

/// Draws step lines into a panel and fits its axes; returns the graphs in order.
std::vector<QCPGraph*> drawSteps(QCPAxisRect* rect, const std::vector<Steps>& series, const std::vector<QColor>& colors,
                                 bool dashes)
{
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    plot_style::setLogAxis(x, true);
    plot_style::setLogAxis(y, false);
    double xMin = std::numeric_limits<double>::infinity(), xMax = 0, yMax = 0;
    std::vector<QCPGraph*> graphs;
    for (std::size_t i = 0; i < series.size(); ++i) {
        auto* graph = rect->parentPlot()->addGraph(x, y);
        QPen pen(colors[i], 1.2, dashes ? runDash(i) : Qt::SolidLine);
        graph->setPen(pen);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        graph->setData(series[i].keys, series[i].values, /*alreadySorted=*/true);
        graphs.push_back(graph);
        if (!series[i].keys.isEmpty()) {
            xMin = std::min(xMin, series[i].xMin);
            xMax = std::max(xMax, series[i].xMax);
            yMax = std::max(yMax, series[i].yMax);
        }
    }
    if (std::isfinite(xMin) && xMax > xMin) {
        x->setRange(decades(xMin, xMax));
        y->setRange(0, yMax * 1.08);
    } else {
        x->setRange(0.1, 1000);
        y->setRange(0, 1);
    }
    return graphs;
}

/// " (12 % at 0)" when a share of the locations is exactly 0 and so not on the log axis.
QString zeroNote(const Steps& s)
{
    if (s.zeros == 0 || s.total == 0)
        return {};
    return RunFigures::tr(" (%1 % at 0)")
        .arg(100.0 * static_cast<double>(s.zeros) / static_cast<double>(s.total), 0, 'g', 2);
}

/// The runs' distributions of one layer and stage in one panel.
std::vector<QCPGraph*> histogramPanel(QCPAxisRect* rect, const std::vector<FigureRun>& runs,
                                      const std::vector<std::vector<StageRecord>>& aggs, const std::string& layer,
                                      Stage stage)
{
    std::vector<Steps> series;
    std::vector<QColor> colors;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const StageRecord* rec = findRecord(aggs[r], layer, stage);
        if (!rec)
            throw analysis::Error("figure: run '" + runs[r].name.toStdString() + "' has no statistics of " + layer +
                                  " " + analysis::toString(stage) + " L2Norm");
        series.push_back(steps(rec->hist));
        colors.push_back(runs[r].color);
    }
    auto graphs = drawSteps(rect, series, colors, /*dashes=*/true);
    for (std::size_t r = 0; r < graphs.size(); ++r)
        graphs[r]->setProperty("zeroNote", zeroNote(series[r]));
    return graphs;
}

QString panelTitle(const std::string& layer, Stage stage)
{
    return QString::fromStdString(layer) + QStringLiteral(", ") + stageLabel(stage);
}

} // namespace

QColor runColor(int index)
{
    // Okabe & Ito (2008): distinguishable with every common colour-vision deficiency; yellow is
    // left out (invisible on white at print sizes).
    static const QColor palette[] = {QColor(0, 114, 178),   QColor(213, 94, 0),   QColor(0, 158, 115),
                                     QColor(204, 121, 167), QColor(86, 180, 233), QColor(230, 159, 0),
                                     QColor(0, 0, 0)};
    constexpr int n = static_cast<int>(sizeof palette / sizeof palette[0]);
    return palette[((index % n) + n) % n];
}

std::vector<std::string> commonLayers(const std::vector<FigureRun>& runs)
{
    std::vector<std::string> out;
    if (runs.empty() || !runs.front().data)
        return out;
    for (const std::string& layer : runs.front().data->meta.layers) {
        const bool everywhere = std::all_of(runs.begin(), runs.end(), [&](const FigureRun& run) {
            return run.data && std::find(run.data->meta.layers.begin(), run.data->meta.layers.end(), layer) !=
                                   run.data->meta.layers.end();
        });
        if (everywhere)
            out.push_back(layer);
    }
    return out;
}

std::vector<std::string> figureLayers(const std::vector<FigureRun>& runs, const FigureOptions& options)
{
    if (runs.empty())
        throw analysis::Error("figure: no runs to draw");
    for (const FigureRun& run : runs) {
        if (!run.data)
            throw analysis::Error("figure: run '" + run.name.toStdString() + "' has no data");
        if (run.data->images.empty()) // an empty shard: nothing to draw, and it would look like data
            throw analysis::Error("figure: run '" + run.name.toStdString() + "' has no analysed images");
    }
    if (options.layers.empty()) {
        auto common = commonLayers(runs);
        if (common.empty())
            throw analysis::Error("figure: the runs have no layer in common");
        return common;
    }
    for (const std::string& layer : options.layers)
        for (const FigureRun& run : runs) {
            const auto& have = run.data->meta.layers;
            if (std::find(have.begin(), have.end(), layer) == have.end()) {
                std::string list;
                for (const std::string& l : have)
                    list += (list.empty() ? "" : ",") + l;
                throw analysis::Error("figure: run '" + run.name.toStdString() + "' has no layer " + layer +
                                      " (it has " + list + ")");
            }
        }
    return options.layers;
}

void setFigureFont(QCustomPlot& plot, const QFont& requested)
{
    // The installed family the request resolves to: an alias such as "Sans Serif" means nothing to
    // an SVG viewer, and a PDF names the embedded font by it.
    QFont font = requested;
    font.setFamily(QFontInfo(requested).family());
    plot.setFont(font);
    const QFont small = smaller(font);
    for (QCPAxisRect* rect : plot.axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setLabelFont(font);
            axis->setTickLabelFont(small);
        }
    if (plot.legend)
        plot.legend->setFont(font);
}

void drawLayerScales(QCustomPlot& plot, const std::vector<FigureRun>& runs, const FigureOptions& options)
{
    const std::vector<std::string> layers = figureLayers(runs, options);
    const auto aggs = aggregates(runs);

    // The groups along x: each layer before L2Norm, and after it where any run normalizes it.
    std::vector<LayerStage> groups;
    for (const std::string& layer : layers)
        for (Stage stage : stagesOf(options.stages)) {
            const bool any = std::any_of(aggs.begin(), aggs.end(),
                                         [&](const auto& a) { return findRecord(a, layer, stage); });
            if (any)
                groups.push_back({layer, stage});
        }
    if (groups.empty())
        throw analysis::Error(
            "figure: no run has statistics after L2Norm for the layers shown (no layer is normalized)");

    const QString title = options.title.isEmpty() ? RunFigures::tr("Feature scale across depth") : options.title;
    QCPLayoutGrid* panels = resetLayout(plot, title, untrainedMark(runs));
    QCPAxisRect* rect = addPanel(plot, panels, 0, 0);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);

    plot_style::LogBoxFloor boxFloor;
    double maxValue = 0;
    bool anyZero = false;
    for (const LayerStage& g : groups)
        for (const auto& a : aggs)
            if (const StageRecord* rec = findRecord(a, g.layer, g.stage); rec && rec->stats.count > 0) {
                const auto& s = rec->stats;
                for (double v : {s.p5, s.p25, s.p50, s.p75, s.p95}) {
                    boxFloor.add(v);
                    anyZero = anyZero || !(v > 0);
                }
                maxValue = std::max(maxValue, s.p95);
            }

    const double n = static_cast<double>(runs.size());
    const double slot = kGroupWidth / n;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        auto* box = new QCPStatisticalBox(x, y);
        nameRun(plot, box, runs[r]);
        box->setWidth(slot * 0.85);
        box->setWhiskerWidth(slot * 0.45);
        QColor fill = runs[r].color;
        fill.setAlpha(90);
        box->setBrush(fill);
        box->setPen(QPen(runs[r].color, 1.0));
        box->setWhiskerPen(QPen(runs[r].color, 1.0, Qt::SolidLine, Qt::FlatCap));
        box->setWhiskerBarPen(QPen(runs[r].color, 1.0));
        box->setMedianPen(QPen(Qt::black, 1.6, Qt::SolidLine, Qt::FlatCap));
        const double offset = (static_cast<double>(r) - (n - 1) / 2) * slot;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const StageRecord* rec = findRecord(aggs[r], groups[g].layer, groups[g].stage);
            if (!rec || rec->stats.count == 0)
                continue;
            const auto& s = rec->stats;
            box->addData(static_cast<double>(g) + offset, boxFloor.clamp(s.p5), boxFloor.clamp(s.p25),
                         boxFloor.clamp(s.p50), boxFloor.clamp(s.p75), boxFloor.clamp(s.p95));
        }
    }

    const bool slanted = groups.size() > kUprightGroups;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        QString label = QString::fromStdString(groups[g].layer);
        if (groups[g].stage == Stage::After)
            label += (slanted ? QStringLiteral(" ") : QStringLiteral("\n")) + RunFigures::tr("after L2Norm");
        ticker->addTick(static_cast<double>(g), label);
    }
    x->setTicker(ticker);
    x->setTickLabelRotation(slanted ? -45 : 0);
    x->setSubTicks(false);
    x->grid()->setVisible(false);
    x->setRange(-0.6, static_cast<double>(groups.size()) - 0.4);
    x->setLabel(RunFigures::tr("layer (box p25–p75, whiskers p5–p95, line median)"));

    plot_style::setLogAxis(y, true);
    y->setLabel(normLabel());
    if (std::isfinite(boxFloor.minPositive))
        y->setRange(decades(anyZero ? boxFloor.value() / 2 : boxFloor.minPositive / 1.3, maxValue * 1.3));
    else
        y->setRange(0.1, 1000);
    fitLegend(plot);
}

void drawHistogramOverlay(QCustomPlot& plot, const std::vector<FigureRun>& runs, const std::string& layer,
                          analysis::Stage stage, const FigureOptions& options)
{
    FigureOptions one = options;
    one.layers = {layer};
    figureLayers(runs, one); // names a run without the layer
    const auto aggs = aggregates(runs);
    const QString title = options.title.isEmpty()
                              ? RunFigures::tr("Distribution of per-location norms: %1").arg(panelTitle(layer, stage))
                              : options.title;
    QCPLayoutGrid* panels = resetLayout(plot, title, untrainedMark(runs));
    QCPAxisRect* rect = addPanel(plot, panels, 0, 0);
    const auto graphs = histogramPanel(rect, runs, aggs, layer, stage);
    for (std::size_t r = 0; r < graphs.size(); ++r) {
        nameRun(plot, graphs[r], runs[r]);
        graphs[r]->setName(graphs[r]->name() + graphs[r]->property("zeroNote").toString());
    }
    rect->axis(QCPAxis::atBottom)->setLabel(normLabel());
    rect->axis(QCPAxis::atLeft)->setLabel(densityLabel());
    fitLegend(plot);
}

void drawHistogramGrid(QCustomPlot& plot, const std::vector<FigureRun>& runs, const FigureOptions& options, int columns)
{
    const std::vector<std::string> layers = figureLayers(runs, options);
    const auto aggs = aggregates(runs);
    std::vector<LayerStage> cells;
    for (const std::string& layer : layers)
        for (Stage stage : stagesOf(options.stages)) {
            const bool all = std::all_of(aggs.begin(), aggs.end(),
                                         [&](const auto& a) { return findRecord(a, layer, stage); });
            if (all) {
                cells.push_back({layer, stage});
                continue;
            }
            // "both" shows after L2Norm where every run has it; asked for alone it must be there.
            if (options.stages == FigureOptions::Stages::Both && stage == Stage::After)
                continue;
            for (std::size_t r = 0; r < runs.size(); ++r)
                if (!findRecord(aggs[r], layer, stage))
                    throw analysis::Error("figure: run '" + runs[r].name.toStdString() + "' has no statistics of " +
                                          layer + " " + analysis::toString(stage) + " L2Norm");
        }
    if (cells.empty())
        throw analysis::Error("figure: no layer shown has statistics after L2Norm in every run");

    const QString title = options.title.isEmpty() ? RunFigures::tr("Distribution of per-location norms")
                                                  : options.title;
    QCPLayoutGrid* panels = resetLayout(plot, title, untrainedMark(runs));
    columns = std::max(1, std::min<int>(columns, static_cast<int>(cells.size())));
    // Axes line up down each column and along each row; columns keep their own left margins (only
    // the first has a y axis title).
    const int rows = (static_cast<int>(cells.size()) + columns - 1) / columns;
    std::vector<QCPMarginGroup*> columnGroups, rowGroups;
    for (int c = 0; c < columns; ++c)
        columnGroups.push_back(new QCPMarginGroup(&plot));
    for (int r = 0; r < rows; ++r)
        rowGroups.push_back(new QCPMarginGroup(&plot));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const int row = static_cast<int>(i) / columns, column = static_cast<int>(i) % columns;
        // Each cell: the panel's title above its axis rect.
        auto* cell = new QCPLayoutGrid;
        panels->addElement(row, column, cell);
        QFont captionFont = plot.font();
        captionFont.setBold(true);
        auto* caption = new QCPTextElement(&plot, panelTitle(cells[i].layer, cells[i].stage), captionFont);
        caption->setMargins(QMargins(0, 2, 0, 0));
        cell->addElement(0, 0, caption);
        QCPAxisRect* rect = addPanel(plot, cell, 1, 0);
        cell->setRowStretchFactor(0, 0.001);
        cell->setRowSpacing(0);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, columnGroups[static_cast<std::size_t>(column)]);
        rect->setMarginGroup(QCP::msTop | QCP::msBottom, rowGroups[static_cast<std::size_t>(row)]);
        const auto graphs = histogramPanel(rect, runs, aggs, cells[i].layer, cells[i].stage);
        for (std::size_t r = 0; r < graphs.size(); ++r) {
            if (i == 0)
                nameRun(plot, graphs[r], runs[r]); // one legend for all panels
            else
                graphs[r]->removeFromLegend();
        }
        if (column == 0)
            rect->axis(QCPAxis::atLeft)->setLabel(shortDensityLabel());
    }
    // One x axis title under all panels.
    auto* xTitle = new QCPTextElement(&plot, normLabel(), plot.font());
    xTitle->setMargins(QMargins(0, 0, 0, 2));
    plot.plotLayout()->addElement(3, 0, xTitle);
    plot.plotLayout()->setRowStretchFactor(3, 0.001);
    fitLegend(plot);
}

void drawLayerOverlay(QCustomPlot& plot, const FigureRun& run, const std::vector<std::string>& layers,
                      analysis::Stage stage, const FigureOptions& options)
{
    FigureOptions chosen = options;
    chosen.layers = layers;
    const std::vector<FigureRun> runs{run};
    const std::vector<std::string> shown = figureLayers(runs, chosen);
    const auto aggs = aggregates(runs);
    const QString title =
        options.title.isEmpty()
            ? RunFigures::tr("Distribution of per-location norms: %1, %2").arg(run.name, stageLabel(stage))
            : options.title;
    QCPLayoutGrid* panels = resetLayout(plot, title, untrainedMark(runs));
    QCPAxisRect* rect = addPanel(plot, panels, 0, 0);
    std::vector<Steps> series;
    std::vector<QColor> colors;
    std::vector<QString> names;
    for (const std::string& layer : shown) {
        const StageRecord* rec = findRecord(aggs[0], layer, stage);
        QString name = QString::fromStdString(layer);
        if (!rec && stage == Stage::After) {
            rec = findRecord(aggs[0], layer, Stage::Before);
            name += RunFigures::tr(" (no L2Norm)");
        }
        if (!rec)
            throw analysis::Error("figure: run '" + run.name.toStdString() + "' has no statistics of " + layer);
        series.push_back(steps(rec->hist));
        colors.push_back(plot_style::layerColor(layer));
        names.push_back(name + zeroNote(series.back()));
    }
    const auto graphs = drawSteps(rect, series, colors, /*dashes=*/false);
    for (std::size_t i = 0; i < graphs.size(); ++i)
        graphs[i]->setName(names[i]);
    rect->axis(QCPAxis::atBottom)->setLabel(normLabel());
    rect->axis(QCPAxis::atLeft)->setLabel(densityLabel());
    fitLegend(plot);
}

} // namespace featscale::ui::run_figures
