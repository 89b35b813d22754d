// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/histogram_panel.h"

#include "ui/plots/region_box.h"
#include "ui/state/annotation_store.h"

#include "analysis/regions/region_mask.h"

#include "analysis/network/layer_catalog.h"
#include "analysis/runs/run_compare.h"
#include "analysis/stats/histogram_density.h"
#include "ui/plots/plot_interaction.h"
#include "ui/plots/plot_style.h"

#include "ui/plots/qcp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QResizeEvent>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace {
constexpr int kLayerColumns = 5; ///< check boxes per row: 20 taps make four rows
/// Narrower than this, the before and after plots are stacked: side by side each would get less than
/// ~290 px, too little for a log axis over three decades and its wrapped legend.
constexpr int kSideBySideMinWidth = 600;
/// The plots' minimum size: two side by side (plus margins) fit the plot tabs' minimum width, two
/// stacked leave the data areas at least ~80 px high.
constexpr QSize kPlotMinimumSize(260, 200);
/// Stage combo box entries.
enum StageItem { kBothItem = 0, kBeforeItem = 1, kAfterItem = 2 };

/// A log axis that labels 1, 2 and 5 of each decade when the range spans less than two decades
/// (where QCPAxisTickerLog falls back to linear steps whose labels crowd at the top of a narrow
/// plot: "75 100 125"), with minor ticks at the integer mantissas. Wider ranges tick as the base.
class DecadeFractionTicker : public QCPAxisTickerLog {
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override
    {
        m_fractions = range.lower > 0 && range.upper / range.lower < 100;
        if (!m_fractions)
            return QCPAxisTickerLog::createTickVector(tickStep, range);
        QVector<double> ticks;
        // One step beyond each end: QCustomPlot trims the ticks to the range itself.
        for (double decade = std::pow(10.0, std::floor(std::log10(range.lower)) - 1); decade <= range.upper * 10;
             decade *= 10)
            for (double m : {1.0, 2.0, 5.0})
                ticks << m * decade;
        return ticks;
    }
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override
    {
        if (!m_fractions || ticks.size() < 2)
            return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
        QVector<double> sub;
        for (double decade = std::pow(10.0, std::floor(std::log10(ticks.front()))); decade <= ticks.back();
             decade *= 10)
            for (int m = 3; m <= 9; ++m)
                if (m != 5 && m * decade > ticks.front() && m * decade < ticks.back())
                    sub << m * decade;
        return sub;
    }

private:
    bool m_fractions = false; ///< the last ticks were 1-2-5 ones
};
} // namespace

HistogramPanel::HistogramPanel(AppModel* model, QWidget* parent)
    : PlotPanel(model, parent), m_layerRow(new QGridLayout), m_ticked(analysis::LayerCatalog::defaultLayers()),
      m_xScale(new QComboBox(this)), m_yUnit(new QComboBox(this)), m_stage(new QComboBox(this)),
      m_scope(new ScopeBox(this)), m_region(new RegionBox(this)), m_plot(new QCustomPlot(this)),
      m_afterPlot(new QCustomPlot(this)), m_plotRow(new QBoxLayout(QBoxLayout::LeftToRight)),
      m_layersLabel(new QLabel(this))
{
    setObjectName(viewStateKey());
    m_ticked = {"conv4_3", "fc7"};
    // Two items each, three stages (both, before, after); their texts are set in retranslate().
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage})
        box->addItems({QString(), QString()});
    m_stage->addItem(QString());

    auto* controls = new QHBoxLayout;
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage, static_cast<QComboBox*>(m_scope)}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
        controls->addWidget(box, 1);
    }
    controls->addWidget(m_region, 1);
    // Layer check boxes wrap into rows: one row of 20 taps would make the panel ~2000 px wide.
    auto* layers = new QHBoxLayout;
    layers->addWidget(m_layersLabel, 0, Qt::AlignTop);
    layers->addLayout(m_layerRow, 1);
    m_layerRow->setHorizontalSpacing(10);
    m_layerRow->setVerticalSpacing(0);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(layers);
    m_plotRow->addWidget(m_plot, 1);
    m_plotRow->addWidget(m_afterPlot, 1);
    layout->addLayout(m_plotRow, 1);

    m_plot->setObjectName(QStringLiteral("histogramPlot"));
    m_afterPlot->setObjectName(QStringLiteral("histogramAfterPlot"));
    for (QCustomPlot* plot : {m_plot, m_afterPlot}) {
        plot_style::applyDefaults(plot);
        plot->setMinimumSize(kPlotMinimumSize);
        plot_style::placeLegendAbove(plot);
        new PlotInteraction(plot, [this, plot](QPoint pos) { return readoutAt(pos, plot); });
        connect(plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressPos = e->pos(); });
        connect(plot, &QCustomPlot::mouseRelease, this, [this, plot](QMouseEvent* e) {
            if ((e->pos() - m_pressPos).manhattanLength() <= 3)
                onPlotClicked(plot, e);
        });
    }
    m_stage->setCurrentIndex(kBothItem);
    retranslate();
    updateArrangement();

    followModel();
    followGamma(m_scope, [this] { return sideBySide() || stage() == Stage::After; });
    auto refreshSoon = [this] { scheduleRefresh(0); };
    connect(m_region, &QComboBox::currentIndexChanged, this, refreshSoon);
    connect(m_model, &AppModel::weightsChanged, this, [this] {
        rebuildLayerBoxes();
        scheduleRefresh(0);
    });
    connect(m_model, &AppModel::highlightChanged, this, [this] {
        drawHighlight();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        m_afterPlot->replot(QCustomPlot::rpQueuedReplot);
    });
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage, static_cast<QComboBox*>(m_scope)})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, refreshSoon);
    connect(m_stage, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { updateArrangement(); });

    rebuildLayerBoxes();
    refreshNow();
}

HistogramPanel::~HistogramPanel() = default;

void HistogramPanel::retranslate()
{
    m_xScale->setItemText(0, tr("log x"));
    m_xScale->setItemText(1, tr("linear x"));
    m_yUnit->setItemText(0, tr("counts"));
    m_yUnit->setItemText(1, tr("density"));
    m_stage->setItemText(kBothItem, tr("before | after L2Norm"));
    m_stage->setItemText(kBeforeItem, tr("before L2Norm"));
    m_stage->setItemText(kAfterItem, tr("after L2Norm"));
    m_stage->setToolTip(tr("After L2Norm applies to the normalized layers; the others are shown unchanged"));
    m_layersLabel->setText(tr("Layers:"));
    m_scope->setToolTip(tr("All images: the merged histograms of every analysed image"));
    for (QCustomPlot* plot : {m_plot, m_afterPlot})
        plot->setToolTip(tr("Click a bin to highlight its locations on the image"));
}

QList<QCustomPlot*> HistogramPanel::plots() const
{
    return sideBySide() ? QList<QCustomPlot*>{m_plot, m_afterPlot} : QList<QCustomPlot*>{m_plot};
}
Stage HistogramPanel::stage() const { return m_stage->currentIndex() == kAfterItem ? Stage::After : Stage::Before; }
bool HistogramPanel::sideBySide() const { return m_stage->currentIndex() == kBothItem; }
bool HistogramPanel::stacked() const { return m_plotRow->direction() == QBoxLayout::TopToBottom; }
void HistogramPanel::setLogX(bool log) { m_xScale->setCurrentIndex(log ? 0 : 1); }
void HistogramPanel::setDensity(bool density) { m_yUnit->setCurrentIndex(density ? 1 : 0); }
void HistogramPanel::setStage(Stage s) { m_stage->setCurrentIndex(s == Stage::After ? kAfterItem : kBeforeItem); }
void HistogramPanel::setAggregate(bool all) { m_scope->setAggregate(all); }

void HistogramPanel::setAnnotations(AnnotationStore* store)
{
    m_annotations = store;
    if (store)
        connect(store, &AnnotationStore::changed, this, [this] { scheduleRefresh(0); });
    scheduleRefresh(0);
}

void HistogramPanel::setSideBySide(bool on)
{
    if (on)
        m_stage->setCurrentIndex(kBothItem);
    else if (sideBySide())
        m_stage->setCurrentIndex(kBeforeItem);
}

void HistogramPanel::resizeEvent(QResizeEvent* event)
{
    PlotPanel::resizeEvent(event);
    updateArrangement();
}

void HistogramPanel::updateArrangement()
{
    // Decided by the width the panel gets, not the screen's: a docked or split panel may be narrow
    // on a wide screen.
    m_afterPlot->setVisible(sideBySide());
    const auto direction = width() < kSideBySideMinWidth ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight;
    if (m_plotRow->direction() != direction)
        m_plotRow->setDirection(direction);
}

std::vector<std::string> HistogramPanel::tickedLayers() const { return m_ticked; }

void HistogramPanel::setTickedLayers(const std::vector<std::string>& layers)
{
    m_ticked = layers;
    m_defaultTicks = false;
    for (auto& [name, box] : m_layerBoxes) {
        QSignalBlocker block(box);
        box->setChecked(std::find(layers.begin(), layers.end(), name) != layers.end());
    }
    scheduleRefresh(0);
}

void HistogramPanel::rebuildLayerBoxes()
{
    for (auto& [name, box] : m_layerBoxes)
        delete box;
    m_layerBoxes.clear();
    const std::vector<std::string> modelLayers = m_model->layers();
    if (m_defaultTicks && !modelLayers.empty()) {
        // The ParseNet pair of these weights: conv4_3 and fc7, or conv5_3 where fc7 is not analysed.
        std::vector<std::string> normalized;
        for (const std::string& layer : modelLayers)
            if (m_model->isNormalized(layer))
                normalized.push_back(layer);
        const auto [num, den] = analysis::defaultRatioLayers(modelLayers, normalized);
        m_ticked.clear();
        for (const std::string& layer : {num, den})
            if (!layer.empty())
                m_ticked.push_back(layer);
    }
    for (const std::string& layer : modelLayers) {
        auto* box = new QCheckBox(QString::fromStdString(layer), this);
        box->setChecked(std::find(m_ticked.begin(), m_ticked.end(), layer) != m_ticked.end());
        QPalette pal = box->palette();
        pal.setColor(QPalette::WindowText, plot_style::layerColor(layer).darker(120));
        box->setPalette(pal);
        connect(box, &QCheckBox::toggled, this, [this, layer](bool on) {
            m_defaultTicks = false;
            m_ticked.erase(std::remove(m_ticked.begin(), m_ticked.end(), layer), m_ticked.end());
            if (on)
                m_ticked.push_back(layer);
            scheduleRefresh(0);
        });
        const int n = static_cast<int>(m_layerBoxes.size());
        m_layerRow->addWidget(box, n / kLayerColumns, n % kLayerColumns);
        m_layerBoxes[layer] = box;
    }
}

void HistogramPanel::recompute()
{
    if (m_layerBoxes.empty() && !m_model->layers().empty())
        rebuildLayerBoxes();
    collect();
    draw();
}

void HistogramPanel::collect()
{
    m_series.clear();
    const bool logX = m_xScale->currentIndex() == 0;
    const bool density = m_yUnit->currentIndex() == 1;
    const int current = m_model->currentIndex();
    // The region split is of the current image, by its own boxes: offered only when it has some.
    const ImageEntry* entry = m_model->currentImage();
    const analysis::ImageAnnotation* annotation = m_annotations && entry ? m_annotations->find(entry->path) : nullptr;
    const auto result = m_model->currentResult();
    m_region->setAvailable(annotation && result && !m_scope->aggregate());
    const std::vector<analysis::Region> regions = m_region->regions();
    const std::vector<Stage> sides = sideBySide() ? std::vector<Stage>{Stage::Before, Stage::After}
                                                  : std::vector<Stage>{stage()};
    for (const Stage side : sides)
        for (const std::string& layer : m_model->layers()) {
            if (std::find(m_ticked.begin(), m_ticked.end(), layer) == m_ticked.end())
                continue;
            const Stage st = side == Stage::After && m_model->isNormalized(layer) ? Stage::After : Stage::Before;
            analysis::Histogram full;
            if (m_scope->aggregate()) {
                Aggregate a = m_model->aggregate(layer, st);
                if (a.images == 0)
                    continue;
                full = std::move(a.hist);
            } else {
                const analysis::Histogram* h = current >= 0 ? m_model->histogram(current, layer, st) : nullptr;
                if (!h)
                    continue;
                full = *h;
            }
            const analysis::NormMap* map = regions.front() == analysis::Region::All
                                               ? nullptr
                                               : m_model->normMap(current, layer, st);
            const analysis::RegionMask mask = map ? analysis::regionMask(*result, layer, *annotation)
                                                  : analysis::RegionMask{};
            for (const analysis::Region region : regions) {
                const analysis::Histogram hist = map ? RegionBox::histogramOf(*map, mask, region, full) : full;
                Series s;
                s.layer = layer;
                s.stage = st;
                s.side = side;
                s.region = region;
                s.zeros = hist.zero;
                s.total = hist.total();
                if (s.total == 0 || hist.edges.size() != hist.counts.size() + 1)
                    continue;
                for (size_t i = 0; i < hist.counts.size(); ++i) {
                    const double lo = hist.edges[i], hi = hist.edges[i + 1];
                    if (logX && lo <= 0)
                        continue;
                    double v = static_cast<double>(hist.counts[i]);
                    if (density) {
                        // Fraction of all locations per unit of the x axis: per decade on a log axis, per
                        // norm unit on a linear one.
                        v = logX ? analysis::densityPerDecade(hist.counts[i], s.total, lo, hi)
                                 : v / static_cast<double>(s.total) / (hi - lo);
                    }
                    s.lo.push_back(lo);
                    s.hi.push_back(hi);
                    s.value.push_back(v);
                }
                m_series.push_back(std::move(s));
            }
        }
}

Stage HistogramPanel::sideOf(const QCustomPlot* plot) const
{
    if (plot == m_afterPlot)
        return Stage::After;
    return sideBySide() ? Stage::Before : stage();
}

QString HistogramPanel::gammaText() const
{
    QStringList parts;
    std::vector<std::string> normalized;
    for (const std::string& layer : m_model->layers())
        if (m_model->isNormalized(layer) && std::find(m_ticked.begin(), m_ticked.end(), layer) != m_ticked.end() &&
            !m_model->gamma(layer).empty())
            normalized.push_back(layer);
    for (const std::string& layer : normalized) {
        const std::vector<float>& g = m_model->gamma(layer);
        const auto [lo, hi] = std::minmax_element(g.begin(), g.end());
        const QString value = *lo == *hi
                                  ? plot_style::formatValue(*lo)
                                  : tr("%1 to %2").arg(plot_style::formatValue(*lo), plot_style::formatValue(*hi));
        parts << (normalized.size() == 1 ? tr("γ = %1").arg(value)
                                         : tr("%1: γ = %2").arg(QString::fromStdString(layer), value));
    }
    if (parts.isEmpty())
        return tr("no plotted layer is normalized");
    return parts.join(QStringLiteral(", "));
}

QString HistogramPanel::plotTitle(Stage side) const
{
    QString title = !sideBySide()           ? tr("Distribution of per-location norms")
                    : side == Stage::Before ? tr("before L2Norm")
                                            : tr("after L2Norm (%1)").arg(gammaText());
    if (m_scope->aggregate())
        title += tr(" — all analysed images");
    else if (const ImageEntry* e = m_model->currentImage())
        title += tr(" — %1").arg(QFileInfo(e->path).fileName());
    if (const QString region = m_region->title(); !region.isEmpty() && !m_scope->aggregate())
        title += tr(", %1").arg(region);
    if (m_series.empty())
        title += tr(" (nothing to show: tick a layer or analyse an image)");
    return title;
}

void HistogramPanel::draw()
{
    // One x range for both plots, the union of the non-empty bins: the distributions fill it, and
    // side by side the shift of scale through L2Norm is read off the same axis.
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin;
    for (const Series& s : m_series)
        for (size_t i = 0; i < s.value.size(); ++i)
            if (s.value[i] > 0) {
                xMin = std::min(xMin, s.lo[i]);
                xMax = std::max(xMax, s.hi[i]);
            }
    drawPlot(m_plot, sideOf(m_plot), xMin, xMax);
    if (sideBySide())
        drawPlot(m_afterPlot, Stage::After, xMin, xMax);
    drawHighlight();
}

void HistogramPanel::drawPlot(QCustomPlot* plot, Stage side, double xMin, double xMax)
{
    plot->clearPlottables();
    plot->clearItems();
    m_highlightRects.erase(plot);
    const bool logX = m_xScale->currentIndex() == 0;
    const bool density = m_yUnit->currentIndex() == 1;
    plot_style::setLogAxis(plot->xAxis, logX);
    if (logX)
        plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new DecadeFractionTicker));
    if (sideBySide()) // two lines: half the width does not hold the unit and the formula on one
        plot->xAxis->setLabel(plot_style::normAxisLabel() + QLatin1Char('\n') +
                              (side == Stage::After ? tr("after L2Norm: ‖γ · x/‖x‖‖") : tr("before L2Norm: ‖x‖")));
    else
        plot->xAxis->setLabel(plot_style::normAxisLabel() + (side == Stage::After ? tr(" — after L2Norm: ‖γ · x/‖x‖‖")
                                                                                  : tr(" — before L2Norm: ‖x‖")));
    plot->yAxis->setLabel(density ? (logX ? tr("density (fraction of locations per decade)")
                                          : tr("density (fraction of locations per activation unit)"))
                                  : tr("locations per bin (count)"));
    plot_style::setTitle(plot, plotTitle(side), m_model);

    double yMax = 0;
    const QLocale locale;
    int graphs = 0;
    for (const Series& s : m_series) {
        if (s.side != side)
            continue;
        auto* graph = plot->addGraph();
        ++graphs;
        QColor c = plot_style::layerColor(s.layer);
        // Regions of one layer share its hue: background darker and dashed, sizes light to dark.
        Qt::PenStyle style = Qt::SolidLine;
        if (s.region == analysis::Region::Background) {
            c = c.darker(170);
            style = Qt::DashLine;
        } else if (s.region == analysis::Region::Small) {
            c = c.lighter(140);
        } else if (s.region == analysis::Region::Large) {
            c = c.darker(150);
            style = Qt::DashDotLine;
        }
        graph->setPen(QPen(c, 2, style));
        QColor fill = c;
        fill.setAlpha(45);
        graph->setBrush(fill);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        // The layer's own non-empty extent: what is drawn of it does not depend on the other layers
        // (the before plot stays as it is while gamma moves the after one).
        const auto nonZero = [](double v) { return v > 0; };
        const auto first = std::find_if(s.value.begin(), s.value.end(), nonZero) - s.value.begin();
        const auto end = s.value.rend() - std::find_if(s.value.rbegin(), s.value.rend(), nonZero);
        QVector<double> keys, values;
        for (auto i = static_cast<size_t>(first); i < static_cast<size_t>(end); ++i) {
            keys << s.lo[i];
            values << s.value[i];
            yMax = std::max(yMax, s.value[i]);
        }
        if (!keys.isEmpty()) { // close the last step
            keys << s.hi[static_cast<size_t>(end) - 1];
            values << 0.0;
        }
        graph->setData(keys, values, /*alreadySorted=*/true);
        QString name = QString::fromStdString(s.layer);
        if (s.region != analysis::Region::All)
            name += QLatin1Char(' ') + RegionBox::regionName(s.region);
        name += tr(": %1 locations").arg(locale.toString(s.total));
        if (s.zeros > 0 && logX)
            name += tr(", %1 at 0 (not on log axis)").arg(locale.toString(s.zeros));
        if (side == Stage::After && s.stage == Stage::Before)
            name += tr(" (no L2Norm)");
        graph->setName(name);
    }
    // An empty legend, even hidden, would cap the layout's column at its own few pixels of width
    // (squeezing title and axes): the empty state leaves it out of the layout.
    plot->legend->setVisible(graphs > 0);
    if (graphs > 0) {
        plot_style::placeLegendAbove(plot);
    } else if (plot->legend->layout() == plot->plotLayout()) {
        plot->plotLayout()->take(plot->legend);
        plot->plotLayout()->simplify();
    }
    if (std::isfinite(xMin)) {
        if (logX)
            plot->xAxis->setRange(xMin / 1.3, xMax * 1.3);
        else
            plot->xAxis->setRange(std::max(0.0, xMin - 0.02 * (xMax - xMin)), xMax + 0.02 * (xMax - xMin));
        plot->yAxis->setRange(0, yMax > 0 ? yMax * 1.05 : 1);
    } else {
        plot->xAxis->setRange(logX ? 0.1 : 0, 1000);
        plot->yAxis->setRange(0, 1);
    }
    PlotInteraction::of(plot)->setHome(QStringLiteral("%1|%2|%3|%4|%5|%6")
                                           .arg(m_scope->aggregate() ? -1 : m_model->currentIndex())
                                           .arg(logX)
                                           .arg(density)
                                           .arg(static_cast<int>(side))
                                           .arg(sideBySide())
                                           .arg(graphs));
    plot->replot(QCustomPlot::rpQueuedReplot);
}

int HistogramPanel::Series::binAt(double x) const
{
    const auto it = std::upper_bound(lo.begin(), lo.end(), x);
    if (it == lo.begin())
        return -1;
    const size_t i = static_cast<size_t>(it - lo.begin() - 1);
    return x < hi[i] ? static_cast<int>(i) : -1;
}

QString HistogramPanel::readoutAt(QPoint pos, const QCustomPlot* plot) const
{
    if (!plot)
        plot = m_plot;
    if (!plot->axisRect()->rect().contains(pos))
        return {};
    const Stage side = sideOf(plot);
    const double x = plot->xAxis->pixelToCoord(pos.x());
    const bool density = m_yUnit->currentIndex() == 1;
    QStringList lines;
    for (const Series& s : m_series) {
        if (s.side != side)
            continue;
        const int bin = s.binAt(x);
        if (bin < 0)
            continue;
        const size_t i = static_cast<size_t>(bin);
        lines << tr("%1: %2 in [%3, %4)")
                     .arg(QString::fromStdString(s.layer),
                          density ? plot_style::formatValue(s.value[i]) : QString::number(qRound64(s.value[i])),
                          plot_style::formatValue(s.lo[i]), plot_style::formatValue(s.hi[i]));
    }
    return lines.join(QLatin1Char('\n'));
}

void HistogramPanel::drawHighlight()
{
    const BinHighlight h = m_model->highlight();
    for (QCustomPlot* plot : {m_plot, m_afterPlot}) {
        QCPItemRect*& rect = m_highlightRects[plot];
        if (!rect) {
            rect = new QCPItemRect(plot);
            rect->setPen(QPen(Qt::black, 2, Qt::DashLine));
        }
        rect->setVisible(false);
        if (!h.valid())
            continue;
        // The bin is marked wherever its data are drawn: a layer without L2Norm shows its before
        // data in the after plot too.
        const Stage side = sideOf(plot);
        for (const Series& s : m_series) {
            if (s.side != side || s.layer != h.layer || s.stage != h.stage)
                continue;
            for (size_t i = 0; i < s.lo.size(); ++i) {
                if (std::abs(s.lo[i] - h.lo) > 1e-9 * std::abs(h.lo) + 1e-300)
                    continue;
                QColor c = plot_style::layerColor(s.layer);
                c.setAlpha(140);
                rect->setBrush(c);
                rect->topLeft->setCoords(s.lo[i], s.value[i]);
                rect->bottomRight->setCoords(s.hi[i], 0);
                rect->setVisible(true);
                break;
            }
        }
    }
}

void HistogramPanel::onPlotClicked(QCustomPlot* plot, QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !plot->axisRect()->rect().contains(event->pos()))
        return;
    const Stage side = sideOf(plot);
    const double x = plot->xAxis->pixelToCoord(event->pos().x());
    const double y = plot->yAxis->pixelToCoord(event->pos().y());
    // The clicked bar: among the layers whose bin at x reaches above the click, the lowest one
    // (the bar the eye sees in front at that height).
    const Series* best = nullptr;
    size_t bestBin = 0;
    for (const Series& s : m_series) {
        if (s.side != side)
            continue;
        const int bin = s.binAt(x);
        if (bin < 0)
            continue;
        const size_t i = static_cast<size_t>(bin);
        if (s.value[i] <= 0 || y > s.value[i])
            continue;
        if (!best || s.value[i] < best->value[bestBin]) {
            best = &s;
            bestBin = i;
        }
    }
    if (!best) {
        m_model->clearHighlight();
        return;
    }
    const BinHighlight current = m_model->highlight();
    BinHighlight h{best->layer, best->stage, best->lo[bestBin], best->hi[bestBin]};
    if (current.valid() && current.layer == h.layer && current.stage == h.stage && current.lo == h.lo)
        m_model->clearHighlight(); // a second click on the same bin toggles it off
    else
        m_model->setHighlight(h);
}

QJsonObject HistogramPanel::viewState() const
{
    QJsonArray layers;
    for (const auto& l : m_ticked)
        layers.append(QString::fromStdString(l));
    return QJsonObject{{QStringLiteral("layers"), layers},
                       {QStringLiteral("logX"), m_xScale->currentIndex() == 0},
                       {QStringLiteral("density"), m_yUnit->currentIndex() == 1},
                       {QStringLiteral("stage"), stageName(stage())},
                       {QStringLiteral("sideBySide"), sideBySide()},
                       {QStringLiteral("aggregate"), m_scope->aggregate()},
                       {QStringLiteral("region"), m_region->currentIndex()}};
}

void HistogramPanel::restoreViewState(const QJsonObject& state)
{
    if (state.contains(QStringLiteral("layers"))) {
        std::vector<std::string> layers;
        for (const auto& v : state.value(QStringLiteral("layers")).toArray())
            layers.push_back(v.toString().toStdString());
        setTickedLayers(layers);
    }
    setLogX(state.value(QStringLiteral("logX")).toBool(true));
    setDensity(state.value(QStringLiteral("density")).toBool(false));
    setStage(state.value(QStringLiteral("stage")).toString() == stageName(Stage::After) ? Stage::After : Stage::Before);
    // A state saved before the side-by-side mode existed showed the one stage it names.
    setSideBySide(state.value(QStringLiteral("sideBySide")).toBool(false));
    setAggregate(state.value(QStringLiteral("aggregate")).toBool(false));
    m_region->setCurrentIndex(std::clamp(state.value(QStringLiteral("region")).toInt(0), 0, m_region->count() - 1));
    refreshNow();
}

} // namespace featscale::ui
