// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/histogram_panel.h"

#include "analysis/model/layer_catalog.h"
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
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace {
constexpr int kLayerColumns = 5; ///< check boxes per row: 20 taps make four rows
}

HistogramPanel::HistogramPanel(AppModel* model, QWidget* parent)
    : PlotPanel(model, parent), m_layerRow(new QGridLayout), m_ticked(analysis::LayerCatalog::defaultLayers()),
      m_xScale(new QComboBox(this)), m_yUnit(new QComboBox(this)), m_stage(new QComboBox(this)),
      m_scope(new ScopeBox(this)), m_plot(new QCustomPlot(this)), m_layersLabel(new QLabel(this))
{
    setObjectName(viewStateKey());
    // Two items each; their texts are set in retranslate().
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage})
        box->addItems({QString(), QString()});

    auto* controls = new QHBoxLayout;
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage, static_cast<QComboBox*>(m_scope)}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
        controls->addWidget(box, 1);
    }
    // Layer check boxes wrap into rows: one row of 20 taps would make the panel ~2000 px wide.
    auto* layers = new QHBoxLayout;
    layers->addWidget(m_layersLabel, 0, Qt::AlignTop);
    layers->addLayout(m_layerRow, 1);
    m_layerRow->setHorizontalSpacing(10);
    m_layerRow->setVerticalSpacing(0);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(layers);
    layout->addWidget(m_plot, 1);

    plot_style::applyDefaults(m_plot);
    m_plot->setObjectName(QStringLiteral("histogramPlot"));
    plot_style::placeLegendAbove(m_plot);
    new PlotInteraction(m_plot, [this](QPoint pos) { return readoutAt(pos); });
    retranslate();

    followModel();
    followGamma(m_scope, [this] { return stage() == Stage::After; });
    auto refreshSoon = [this] { scheduleRefresh(0); };
    connect(m_model, &AppModel::weightsChanged, this, [this] {
        rebuildLayerBoxes();
        scheduleRefresh(0);
    });
    connect(m_model, &AppModel::highlightChanged, this, [this] {
        drawHighlight();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    for (QComboBox* box : {m_xScale, m_yUnit, m_stage, static_cast<QComboBox*>(m_scope)})
        connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, refreshSoon);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressPos = e->pos(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if ((e->pos() - m_pressPos).manhattanLength() <= 3)
            onPlotClicked(e);
    });

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
    m_stage->setItemText(0, tr("before L2Norm"));
    m_stage->setItemText(1, tr("after L2Norm"));
    m_stage->setToolTip(tr("After L2Norm applies to the normalized layers; the others are shown unchanged"));
    m_layersLabel->setText(tr("Layers:"));
    m_scope->setToolTip(tr("All images: the merged histograms of every analysed image"));
    m_plot->setToolTip(tr("Click a bin to highlight its locations on the image"));
}

QList<QCustomPlot*> HistogramPanel::plots() const { return {m_plot}; }
Stage HistogramPanel::stage() const { return m_stage->currentIndex() == 1 ? Stage::After : Stage::Before; }
void HistogramPanel::setLogX(bool log) { m_xScale->setCurrentIndex(log ? 0 : 1); }
void HistogramPanel::setDensity(bool density) { m_yUnit->setCurrentIndex(density ? 1 : 0); }
void HistogramPanel::setStage(Stage s) { m_stage->setCurrentIndex(s == Stage::After ? 1 : 0); }
void HistogramPanel::setAggregate(bool all) { m_scope->setAggregate(all); }

std::vector<std::string> HistogramPanel::tickedLayers() const { return m_ticked; }

void HistogramPanel::setTickedLayers(const std::vector<std::string>& layers)
{
    m_ticked = layers;
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
    for (const std::string& layer : m_model->layers()) {
        auto* box = new QCheckBox(QString::fromStdString(layer), this);
        box->setChecked(std::find(m_ticked.begin(), m_ticked.end(), layer) != m_ticked.end());
        QPalette pal = box->palette();
        pal.setColor(QPalette::WindowText, plot_style::layerColor(layer).darker(120));
        box->setPalette(pal);
        connect(box, &QCheckBox::toggled, this, [this, layer](bool on) {
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
    for (const std::string& layer : m_model->layers()) {
        if (std::find(m_ticked.begin(), m_ticked.end(), layer) == m_ticked.end())
            continue;
        const Stage st = stage() == Stage::After && m_model->isNormalized(layer) ? Stage::After : Stage::Before;
        analysis::Histogram hist;
        if (m_scope->aggregate()) {
            Aggregate a = m_model->aggregate(layer, st);
            if (a.images == 0)
                continue;
            hist = std::move(a.hist);
        } else {
            const analysis::Histogram* h = current >= 0 ? m_model->histogram(current, layer, st) : nullptr;
            if (!h)
                continue;
            hist = *h;
        }
        Series s;
        s.layer = layer;
        s.stage = st;
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
                // Fraction of all locations per unit of the x axis: per decade on a log axis (so
                // equal areas mean equal fractions as the eye reads them), per norm unit on a linear one.
                const double width = logX ? std::log10(hi / lo) : hi - lo;
                v = v / static_cast<double>(s.total) / width;
            }
            s.lo.push_back(lo);
            s.hi.push_back(hi);
            s.value.push_back(v);
        }
        m_series.push_back(std::move(s));
    }
}

void HistogramPanel::draw()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_highlightRect = nullptr;
    const bool logX = m_xScale->currentIndex() == 0;
    const bool density = m_yUnit->currentIndex() == 1;
    plot_style::setLogAxis(m_plot->xAxis, logX);
    m_plot->xAxis->setLabel(plot_style::normAxisLabel()
                            + (stage() == Stage::After ? tr(" — after L2Norm: ‖γ · x/‖x‖‖") : tr(" — before L2Norm: ‖x‖")));
    m_plot->yAxis->setLabel(density ? (logX ? tr("density (fraction of locations per decade)")
                                            : tr("density (fraction of locations per activation unit)"))
                                    : tr("locations per bin (count)"));

    QString title = tr("Distribution of per-location norms");
    if (m_scope->aggregate())
        title += tr(" — all analysed images");
    else if (const ImageEntry* e = m_model->currentImage())
        title += tr(" — %1").arg(QFileInfo(e->path).fileName());
    if (m_series.empty())
        title += tr(" (nothing to show: tick a layer or analyse an image)");
    plot_style::setTitle(m_plot, title, m_model);

    // Show the union of the non-empty bins, so the distributions fill the plot.
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin, yMax = 0;
    for (const Series& s : m_series)
        for (size_t i = 0; i < s.value.size(); ++i)
            if (s.value[i] > 0) {
                xMin = std::min(xMin, s.lo[i]);
                xMax = std::max(xMax, s.hi[i]);
                yMax = std::max(yMax, s.value[i]);
            }
    const QLocale locale;
    for (const Series& s : m_series) {
        auto* graph = m_plot->addGraph();
        const QColor c = plot_style::layerColor(s.layer);
        graph->setPen(QPen(c, 2));
        QColor fill = c;
        fill.setAlpha(45);
        graph->setBrush(fill);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        QVector<double> keys, values;
        for (size_t i = 0; i < s.value.size(); ++i) {
            if (s.hi[i] <= xMin || s.lo[i] >= xMax)
                continue;
            keys << s.lo[i];
            values << s.value[i];
        }
        if (!keys.isEmpty()) { // close the last step
            const auto last = std::upper_bound(s.lo.begin(), s.lo.end(), keys.back()) - s.lo.begin() - 1;
            keys << s.hi[static_cast<size_t>(last)];
            values << 0.0;
        }
        graph->setData(keys, values, /*alreadySorted=*/true);
        QString name = QString::fromStdString(s.layer) + tr(": %1 locations").arg(locale.toString(s.total));
        if (s.zeros > 0 && logX)
            name += tr(", %1 at 0 (not on log axis)").arg(locale.toString(s.zeros));
        if (stage() == Stage::After && s.stage == Stage::Before)
            name += tr(" (no L2Norm)");
        graph->setName(name);
    }
    if (std::isfinite(xMin)) {
        if (logX)
            m_plot->xAxis->setRange(xMin / 1.3, xMax * 1.3);
        else
            m_plot->xAxis->setRange(std::max(0.0, xMin - 0.02 * (xMax - xMin)), xMax + 0.02 * (xMax - xMin));
        m_plot->yAxis->setRange(0, yMax * 1.05);
    } else {
        m_plot->xAxis->setRange(logX ? 0.1 : 0, 1000);
        m_plot->yAxis->setRange(0, 1);
    }
    drawHighlight();
    PlotInteraction::of(m_plot)->setHome(QStringLiteral("%1|%2|%3|%4|%5")
                                             .arg(m_scope->aggregate() ? -1 : m_model->currentIndex())
                                             .arg(logX)
                                             .arg(density)
                                             .arg(static_cast<int>(stage()))
                                             .arg(static_cast<int>(m_series.size())));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString HistogramPanel::readoutAt(QPoint pos) const
{
    if (!m_plot->axisRect()->rect().contains(pos))
        return {};
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const bool density = m_yUnit->currentIndex() == 1;
    QStringList lines;
    for (const Series& s : m_series) {
        const auto it = std::upper_bound(s.lo.begin(), s.lo.end(), x);
        if (it == s.lo.begin())
            continue;
        const size_t i = static_cast<size_t>(it - s.lo.begin() - 1);
        if (x >= s.hi[i])
            continue;
        lines << tr("%1: %2 in [%3, %4)")
                     .arg(QString::fromStdString(s.layer),
                          density ? plot_style::formatValue(s.value[i]) : QString::number(qRound64(s.value[i])),
                          plot_style::formatValue(s.lo[i]), plot_style::formatValue(s.hi[i]));
    }
    return lines.join(QLatin1Char('\n'));
}

void HistogramPanel::drawHighlight()
{
    if (!m_highlightRect) {
        m_highlightRect = new QCPItemRect(m_plot);
        m_highlightRect->setPen(QPen(Qt::black, 2, Qt::DashLine));
    }
    const BinHighlight h = m_model->highlight();
    m_highlightRect->setVisible(false);
    if (!h.valid())
        return;
    for (const Series& s : m_series) {
        if (s.layer != h.layer || s.stage != h.stage)
            continue;
        for (size_t i = 0; i < s.lo.size(); ++i) {
            if (std::abs(s.lo[i] - h.lo) > 1e-9 * std::abs(h.lo) + 1e-300)
                continue;
            QColor c = plot_style::layerColor(s.layer);
            c.setAlpha(140);
            m_highlightRect->setBrush(c);
            m_highlightRect->topLeft->setCoords(s.lo[i], s.value[i]);
            m_highlightRect->bottomRight->setCoords(s.hi[i], 0);
            m_highlightRect->setVisible(true);
            return;
        }
    }
}

void HistogramPanel::onPlotClicked(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_plot->axisRect()->rect().contains(event->pos()))
        return;
    const double x = m_plot->xAxis->pixelToCoord(event->pos().x());
    const double y = m_plot->yAxis->pixelToCoord(event->pos().y());
    // The clicked bar: among the layers whose bin at x reaches above the click, the lowest one
    // (the bar the eye sees in front at that height).
    const Series* best = nullptr;
    size_t bestBin = 0;
    for (const Series& s : m_series) {
        const auto it = std::upper_bound(s.lo.begin(), s.lo.end(), x);
        if (it == s.lo.begin())
            continue;
        const size_t i = static_cast<size_t>(it - s.lo.begin() - 1);
        if (x >= s.hi[i] || s.value[i] <= 0 || y > s.value[i])
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
                       {QStringLiteral("aggregate"), m_scope->aggregate()}};
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
    setAggregate(state.value(QStringLiteral("aggregate")).toBool(false));
    refreshNow();
}

} // namespace featscale::ui
