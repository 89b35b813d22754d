// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/layer_scales_panel.h"

#include "analysis/stats/median_ratio.h"

#include "ui/plots/log_box_floor.h"
#include "ui/plots/plot_interaction.h"
#include "ui/plots/plot_style.h"

#include "ui/plots/qcp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::ui {

namespace {
constexpr size_t kUprightLabels = 8; ///< more taps than this get slanted axis labels

constexpr double kBoxWidth = 0.34;
constexpr double kPairOffset = 0.2; ///< before/after boxes of a normalized layer sit side by side

QString choiceKey(const std::string& layer, Stage stage)
{
    return QString::fromStdString(layer) + QLatin1Char('|') + stageName(stage);
}

std::pair<std::string, Stage> parseChoice(const QString& key)
{
    const auto parts = key.split(QLatin1Char('|'));
    return {parts.value(0).toStdString(), parts.value(1) == stageName(Stage::After) ? Stage::After : Stage::Before};
}

} // namespace

LayerScalesPanel::LayerScalesPanel(AppModel* model, QWidget* parent)
    : PlotPanel(model, parent), m_scope(new ScopeBox(this)), m_showAfter(new QCheckBox(this)),
      m_ratioA(new QComboBox(this)), m_ratioB(new QComboBox(this)), m_ratioLabel(new QLabel(this)),
      m_plot(new QCustomPlot(this)), m_scopeLabel(new QLabel(this)), m_medianRatioLabel(new QLabel(this)),
      m_caveat(new QLabel(this)), m_ratio(std::numeric_limits<double>::quiet_NaN())
{
    setObjectName(viewStateKey());
    m_showAfter->setChecked(true);
    m_ratioLabel->setObjectName(QStringLiteral("ratioLabel"));
    QFont big = m_ratioLabel->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_ratioLabel->setFont(big);
    m_ratioLabel->setWordWrap(true);
    m_caveat->setObjectName(QStringLiteral("untrainedCaveat"));
    m_caveat->setWordWrap(true);
    m_caveat->setStyleSheet(QStringLiteral("color: #b40000;"));
    m_caveat->setTextFormat(Qt::RichText);
    connect(m_caveat, &QLabel::linkActivated, this, &LayerScalesPanel::trainedWeightsRequested);
    retranslate();

    for (QComboBox* box : {m_ratioA, m_ratioB}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_scopeLabel);
    controls->addWidget(m_scope);
    controls->addWidget(m_showAfter);
    controls->addStretch(1);
    auto* ratioRow = new QHBoxLayout;
    ratioRow->addWidget(m_medianRatioLabel);
    ratioRow->addWidget(m_ratioA);
    ratioRow->addWidget(new QLabel(QStringLiteral("/"), this));
    ratioRow->addWidget(m_ratioB);
    ratioRow->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(ratioRow);
    layout->addWidget(m_ratioLabel);
    layout->addWidget(m_caveat);
    layout->addWidget(m_plot, 1);

    plot_style::applyDefaults(m_plot);
    m_plot->setObjectName(QStringLiteral("layerScalesPlot"));
    plot_style::setLogAxis(m_plot->yAxis, true);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->legend->setVisible(true);
    plot_style::placeLegendAbove(m_plot);
    auto* interaction = new PlotInteraction(m_plot, [this](QPoint pos) { return readoutAt(pos); });
    interaction->setFitter([this] { return hideCollidingLabels(); });

    followModel();
    // The ratio may use an after-L2Norm median even when the after boxes are hidden.
    followGamma(m_scope, [] { return true; });
    auto refreshSoon = [this] { scheduleRefresh(0); };
    connect(m_model, &AppModel::weightsChanged, this, [this] {
        rebuildRatioChoices();
        scheduleRefresh(0);
    });
    connect(m_scope, qOverload<int>(&QComboBox::currentIndexChanged), this, refreshSoon);
    connect(m_showAfter, &QCheckBox::toggled, this, refreshSoon);
    connect(m_ratioA, qOverload<int>(&QComboBox::currentIndexChanged), this, &LayerScalesPanel::updateRatio);
    connect(m_ratioB, qOverload<int>(&QComboBox::currentIndexChanged), this, &LayerScalesPanel::updateRatio);

    rebuildRatioChoices();
    refreshNow();
}

LayerScalesPanel::~LayerScalesPanel() = default;

void LayerScalesPanel::retranslate()
{
    m_scopeLabel->setText(tr("Scope:"));
    m_scope->setToolTip(tr("All images: percentiles of the merged histograms of every analysed image"));
    m_showAfter->setText(tr("Show after L2Norm"));
    m_medianRatioLabel->setText(tr("Median ratio:"));
    m_ratioLabel->setToolTip(tr("Ratio of the median per-location norms of the two layers"));
    rebuildRatioChoices(); // " (after L2Norm)" in the items
}

bool LayerScalesPanel::aggregate() const { return m_scope->aggregate(); }
void LayerScalesPanel::setAggregate(bool all) { m_scope->setAggregate(all); }
void LayerScalesPanel::setShowAfter(bool show) { m_showAfter->setChecked(show); }

QList<QCustomPlot*> LayerScalesPanel::plots() const { return {m_plot}; }

QString LayerScalesPanel::ratioText() const { return m_ratioLabel->text(); }

void LayerScalesPanel::rebuildRatioChoices()
{
    const QString oldA = m_ratioA->currentData().toString();
    const QString oldB = m_ratioB->currentData().toString();
    QSignalBlocker blockA(m_ratioA), blockB(m_ratioB);
    m_ratioA->clear();
    m_ratioB->clear();
    for (const std::string& layer : m_model->layers()) {
        for (Stage stage : {Stage::Before, Stage::After}) {
            if (stage == Stage::After && !m_model->isNormalized(layer))
                continue;
            const QString text = QString::fromStdString(layer) +
                                 (stage == Stage::After ? tr(" (after L2Norm)") : QString());
            m_ratioA->addItem(text, choiceKey(layer, stage));
            m_ratioB->addItem(text, choiceKey(layer, stage));
        }
    }
    // Default: the ParseNet comparison, the first normalized layer against the deepest layer.
    const auto layers = m_model->layers();
    const auto normalized = m_model->l2normLayers();
    const std::string a = normalized.empty() ? (layers.empty() ? std::string() : layers.front()) : normalized.front();
    const std::string b = layers.empty() ? std::string() : layers.back();
    int ia = m_ratioA->findData(oldA);
    int ib = m_ratioB->findData(oldB);
    m_ratioA->setCurrentIndex(ia >= 0 ? ia : std::max(0, m_ratioA->findData(choiceKey(a, Stage::Before))));
    m_ratioB->setCurrentIndex(ib >= 0 ? ib : std::max(0, m_ratioB->findData(choiceKey(b, Stage::Before))));
}

void LayerScalesPanel::setRatioLayers(const std::string& a, Stage stageA, const std::string& b, Stage stageB)
{
    const int ia = m_ratioA->findData(choiceKey(a, stageA));
    const int ib = m_ratioB->findData(choiceKey(b, stageB));
    if (ia >= 0)
        m_ratioA->setCurrentIndex(ia);
    if (ib >= 0)
        m_ratioB->setCurrentIndex(ib);
    updateRatio();
}

void LayerScalesPanel::recompute()
{
    if (m_ratioA->count() == 0 && !m_model->layers().empty())
        rebuildRatioChoices();
    collect();
    draw();
    updateRatio();
}

void LayerScalesPanel::collect()
{
    m_boxes.clear();
    const int current = m_model->currentIndex();
    for (const std::string& layer : m_model->layers()) {
        for (Stage stage : {Stage::Before, Stage::After}) {
            if (stage == Stage::After && (!m_model->isNormalized(layer) || !m_showAfter->isChecked()))
                continue;
            analysis::LayerStats s;
            if (aggregate()) {
                const Aggregate a = m_model->aggregate(layer, stage);
                if (a.images == 0 || a.stats.count == 0)
                    continue;
                s = a.stats;
            } else {
                const analysis::LayerStats* p = current >= 0 ? m_model->stats(current, layer, stage) : nullptr;
                if (!p || p->count == 0)
                    continue;
                s = *p;
            }
            m_boxes.push_back({layer, stage, s.p5, s.p25, s.p50, s.p75, s.p95, s.count, s.meanAbs()});
        }
    }
}

void LayerScalesPanel::draw()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const auto layers = m_model->layers();

    // Axis labels here, not once: a language change redraws the plot in the new language.
    m_plot->yAxis->setLabel(plot_style::normAxisLabel());
    m_plot->xAxis->setLabel(tr("layer (box 25–75 %, whiskers 5–95 %, line = median)"));
    QString title = tr("Feature scale across depth");
    if (aggregate()) {
        int done = 0;
        for (int i = 0; i < m_model->imageCount(); ++i)
            done += m_model->image(i).state == ImageState::Done ? 1 : 0;
        title += tr(" — all %n analysed image(s)", nullptr, done);
    } else if (const ImageEntry* e = m_model->currentImage()) {
        title += tr(" — %1").arg(QFileInfo(e->path).fileName());
    }
    if (m_boxes.empty())
        title += tr(" (no analysed image yet)");
    plot_style::setTitle(m_plot, title, m_model);

    plot_style::LogBoxFloor boxFloor;
    double maxValue = 0;
    for (const Box& b : m_boxes) {
        for (double v : {b.p5, b.p25, b.p50, b.p75, b.p95})
            boxFloor.add(v);
        maxValue = std::max(maxValue, b.p95);
    }
    bool anyZero = false;
    for (const Box& b : m_boxes)
        anyZero = anyZero || b.p5 <= 0;

    auto* before = new QCPStatisticalBox(m_plot->xAxis, m_plot->yAxis);
    before->setName(tr("before L2Norm: ‖x‖"));
    before->setWidth(kBoxWidth);
    before->setWhiskerWidth(kBoxWidth * 0.5);
    before->setBrush(plot_style::beforeColor().lighter(160));
    before->setPen(QPen(plot_style::beforeColor().darker(130), 1.2));
    before->setMedianPen(QPen(Qt::black, 2.5));
    QCPStatisticalBox* after = nullptr;

    // Upright names need ~70 px per tap: with every tap analysed they would collide, so slant them.
    const bool slanted = layers.size() > kUprightLabels;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t i = 0; i < layers.size(); ++i)
        ticker->addTick(static_cast<double>(i),
                        QString::fromStdString(layers[i]) + (m_model->isNormalized(layers[i])
                                                                 ? (slanted ? tr(" (L2Norm)") : tr("\n(L2Norm)"))
                                                                 : QString()));
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setTickLabelRotation(slanted ? -50 : 0);

    QFont labelFont = m_plot->font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.85);
    m_labels.clear();
    for (const Box& b : m_boxes) {
        const auto it = std::find(layers.begin(), layers.end(), b.layer);
        double key = static_cast<double>(it - layers.begin());
        const bool paired = m_showAfter->isChecked() && m_model->isNormalized(b.layer);
        if (paired)
            key += b.stage == Stage::After ? kPairOffset : -kPairOffset;
        QCPStatisticalBox* target = before;
        if (b.stage == Stage::After) {
            if (!after) {
                after = new QCPStatisticalBox(m_plot->xAxis, m_plot->yAxis);
                after->setName(tr("after L2Norm: ‖γ · x/‖x‖‖"));
                after->setWidth(kBoxWidth);
                after->setWhiskerWidth(kBoxWidth * 0.5);
                after->setBrush(plot_style::afterColor().lighter(150));
                after->setPen(QPen(plot_style::afterColor().darker(120), 1.2));
                after->setMedianPen(QPen(Qt::black, 2.5));
            }
            target = after;
        }
        target->addData(key, boxFloor.clamp(b.p5), boxFloor.clamp(b.p25), boxFloor.clamp(b.p50), boxFloor.clamp(b.p75),
                        boxFloor.clamp(b.p95));
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(key, boxFloor.clamp(b.p95) * 1.15);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setFont(labelFont);
        label->setText(plot_style::formatValue(b.p50));
        // "tap", not "layer": QCPLayerable already has a "layer" property (its drawing layer).
        label->setProperty("tap", QString::fromStdString(b.layer));
        label->setClipToAxisRect(false);
        m_labels.push_back(label);
    }
    // Label priority: the ParseNet trio first, then network order.
    std::stable_partition(m_labels.begin(), m_labels.end(), [](QCPItemText* l) {
        const QString layer = l->property("tap").toString();
        return layer == QLatin1String("conv4_3") || layer == QLatin1String("conv5_3") || layer == QLatin1String("fc7");
    });
    if (before->dataCount() == 0)
        m_plot->removePlottable(before);

    m_plot->xAxis->setRange(-0.6, std::max<double>(0.6, static_cast<double>(layers.size()) - 0.4));
    QCPRange y(0.1, 1000);
    if (!m_boxes.empty()) {
        // Whole decades, so the log axis always carries at least two labelled powers of ten.
        const double lo = anyZero ? boxFloor.value() / 2 : boxFloor.minPositive / 1.3;
        y = QCPRange(std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(maxValue * 2))));
    }
    // The same view redrawn (a gamma drag moves the after boxes) keeps its axis unless the data
    // leaves it: the axis only grows, it never jumps under the user's eyes.
    const QString key = QStringLiteral("%1|%2|%3|%4")
                            .arg(aggregate() ? -1 : m_model->currentIndex())
                            .arg(m_showAfter->isChecked())
                            .arg(static_cast<qulonglong>(m_model->hasEngine() ? m_model->weights().seed : 0))
                            .arg(
                                QString::fromStdString(m_model->hasEngine() ? m_model->weights().path : std::string()));
    if (key == m_rangeKey && !m_boxes.empty()) {
        const QCPRange old = m_plot->yAxis->range();
        y = QCPRange(std::min(old.lower, y.lower), std::max(old.upper, y.upper));
    }
    m_rangeKey = m_boxes.empty() ? QString() : key;
    m_plot->yAxis->setRange(y);
    PlotInteraction::of(m_plot)->setHome(key);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool LayerScalesPanel::hideCollidingLabels()
{
    bool changed = false;
    std::vector<QRectF> kept;
    const QRect area = m_plot->axisRect()->rect().adjusted(0, -40, 0, 0);
    for (QCPItemText* label : m_labels) {
        const QPointF anchor = label->position->pixelPosition();
        const QFontMetricsF fm(label->font());
        const QSizeF size(fm.horizontalAdvance(label->text()) + 4, fm.height());
        const QRectF r(anchor.x() - size.width() / 2, anchor.y() - size.height(), size.width(), size.height());
        bool free = area.contains(r.center().toPoint());
        for (const QRectF& k : kept)
            free = free && !k.intersects(r);
        if (free)
            kept.push_back(r);
        if (label->visible() != free) {
            label->setVisible(free);
            changed = true;
        }
    }
    return changed;
}

QString LayerScalesPanel::readoutAt(QPoint pos) const
{
    if (!m_plot->axisRect()->rect().contains(pos))
        return {};
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const auto layers = m_model->layers();
    for (const Box& b : m_boxes) {
        const auto it = std::find(layers.begin(), layers.end(), b.layer);
        double key = static_cast<double>(it - layers.begin());
        if (m_showAfter->isChecked() && m_model->isNormalized(b.layer))
            key += b.stage == Stage::After ? kPairOffset : -kPairOffset;
        if (std::abs(x - key) > kBoxWidth / 2)
            continue;
        QString text = tr("%1 %2\nmedian %3\n25–75 %: %4 – %5\n5–95 %: %6 – %7\n%n location(s)", nullptr,
                          static_cast<int>(b.count))
                           .arg(QString::fromStdString(b.layer),
                                b.stage == Stage::After ? tr("after L2Norm") : tr("before L2Norm"),
                                plot_style::formatValue(b.p50), plot_style::formatValue(b.p25),
                                plot_style::formatValue(b.p75), plot_style::formatValue(b.p5),
                                plot_style::formatValue(b.p95));
        // Caffe's debug_info prints this, not a norm: users compare it with their training logs.
        if (std::isfinite(b.meanAbs))
            text += QLatin1Char('\n') +
                    tr("mean |x| per element (Caffe's log): %1").arg(plot_style::formatValue(b.meanAbs));
        return text;
    }
    return {};
}

void LayerScalesPanel::updateRatio()
{
    auto medianOf = [this](const QString& key) {
        const auto [layer, stage] = parseChoice(key);
        if (aggregate()) {
            const Aggregate a = m_model->aggregate(layer, stage);
            return a.images > 0 ? a.stats.p50 : std::numeric_limits<double>::quiet_NaN();
        }
        const int current = m_model->currentIndex();
        const analysis::LayerStats* s = current >= 0 ? m_model->stats(current, layer, stage) : nullptr;
        return s ? s->p50 : std::numeric_limits<double>::quiet_NaN();
    };
    const QString a = m_ratioA->currentData().toString();
    const QString b = m_ratioB->currentData().toString();
    if (a.isEmpty() || b.isEmpty()) {
        m_ratio = std::numeric_limits<double>::quiet_NaN();
        m_ratioLabel->setText(QString());
        return;
    }
    const double ma = medianOf(a), mb = medianOf(b);
    m_ratio = analysis::medianRatio(ma, mb);
    QString text;
    if (aggregate() && std::isfinite(m_ratio)) {
        // All images: medians interpolated in the merged histograms' bins, not exact medians.
        auto binWidth = [this](const QString& key) {
            const auto [layer, stage] = parseChoice(key);
            const Aggregate agg = m_model->aggregate(layer, stage);
            const auto& e = agg.hist.edges;
            const auto it = std::upper_bound(e.begin(), e.end(), agg.stats.p50);
            if (it == e.begin() || it == e.end() || *(it - 1) <= 0)
                return 0.0;
            return *it / *(it - 1) - 1;
        };
        const double width = std::max(binWidth(a), binWidth(b));
        text = tr("%1 / %2 ≈ %3 (medians from histogram bins %4 % wide)")
                   .arg(m_ratioA->currentText(), m_ratioB->currentText(), plot_style::formatRatio(m_ratio))
                   .arg(QString::number(width * 100, 'f', 0));
    } else {
        text = QStringLiteral("%1 / %2 = %3")
                   .arg(m_ratioA->currentText(), m_ratioB->currentText(), plot_style::formatRatio(m_ratio));
    }
    // The ParseNet point in one line: the same ratio after L2Norm, when the numerator is normalized.
    const auto [layerA, stageA] = parseChoice(a);
    const auto [layerB, stageB] = parseChoice(b);
    if (stageA == Stage::Before && m_model->isNormalized(layerA)) {
        const double after = medianOf(choiceKey(layerA, Stage::After));
        const double bAfter = medianOf(choiceKey(layerB, m_model->isNormalized(layerB) ? Stage::After : stageB));
        if (const double r = analysis::medianRatio(after, bAfter); std::isfinite(r))
            text += tr("  →  after L2Norm: %1").arg(plot_style::formatRatio(r));
    }
    m_ratioLabel->setText(text);
    const bool untrained = m_model->hasEngine() && m_model->weights().untrained;
    m_caveat->setVisible(untrained);
    if (untrained)
        m_caveat->setText(tr("Untrained weights: these scales are not the trained network's. "
                             "<a href=\"trained\">Get trained weights…</a>"));
}

QJsonObject LayerScalesPanel::viewState() const
{
    return QJsonObject{{QStringLiteral("aggregate"), aggregate()},
                       {QStringLiteral("showAfter"), m_showAfter->isChecked()},
                       {QStringLiteral("ratioA"), m_ratioA->currentData().toString()},
                       {QStringLiteral("ratioB"), m_ratioB->currentData().toString()}};
}

void LayerScalesPanel::restoreViewState(const QJsonObject& state)
{
    setAggregate(state.value(QStringLiteral("aggregate")).toBool(false));
    setShowAfter(state.value(QStringLiteral("showAfter")).toBool(true));
    const int a = m_ratioA->findData(state.value(QStringLiteral("ratioA")).toString());
    const int b = m_ratioB->findData(state.value(QStringLiteral("ratioB")).toString());
    if (a >= 0)
        m_ratioA->setCurrentIndex(a);
    if (b >= 0)
        m_ratioB->setCurrentIndex(b);
    refreshNow();
}

} // namespace featscale::ui
