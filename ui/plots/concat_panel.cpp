// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/concat_panel.h"

#include "analysis/network/layer_catalog.h"
#include "ui/plots/energy_share_text.h"
#include "ui/plots/plot_interaction.h"
#include "ui/plots/plot_style.h"

#include "ui/plots/qcp.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonValue>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::ui {

namespace { } // namespace

ConcatPanel::ConcatPanel(AppModel* model, QWidget* parent)
    : PlotPanel(model, parent), m_notice(new QLabel(this)), m_energyShare(new QLabel(this)),
      m_sharedY(new QCheckBox(this)), m_logY(new QCheckBox(this)), m_plot(new QCustomPlot(this))
{
    setObjectName(viewStateKey());
    m_notice->setObjectName(QStringLiteral("concatNotice"));
    m_notice->setWordWrap(true);
    m_energyShare->setObjectName(QStringLiteral("energyShare"));
    m_energyShare->setWordWrap(true);
    m_energyShare->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_sharedY);
    controls->addWidget(m_logY);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_energyShare);
    layout->addWidget(m_notice);
    layout->addWidget(m_plot, 1);

    plot_style::applyDefaults(m_plot);
    m_plot->setObjectName(QStringLiteral("concatPlot"));
    m_beforeRect = m_plot->axisRect();
    m_afterRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(1, 0, m_afterRect);
    // One x range for both rows, so a channel sits at the same x above and below.
    connect(m_beforeRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_afterRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    auto* margins = new QCPMarginGroup(m_plot);
    m_beforeRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_afterRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_beforeRect->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->legend->setVisible(false); // segments are labelled in place
    // Pan and zoom in either row move the shared channel axis.
    m_afterRect->setRangeDragAxes(m_beforeRect->axis(QCPAxis::atBottom), m_afterRect->axis(QCPAxis::atLeft));
    m_afterRect->setRangeZoomAxes(m_beforeRect->axis(QCPAxis::atBottom), m_afterRect->axis(QCPAxis::atLeft));
    auto* interaction = new PlotInteraction(m_plot, [this](QPoint pos) { return readoutAt(pos); });
    interaction->setFitter([this] { return fitLabels(); });
    retranslate();

    followModel();
    auto refreshSoon = [this] { scheduleRefresh(0); };
    for (auto signal : {&AppModel::pinChanged, &AppModel::afterChanged, &AppModel::weightsChanged})
        connect(m_model, signal, this, refreshSoon);
    connect(m_sharedY, &QCheckBox::toggled, this, refreshSoon);
    connect(m_logY, &QCheckBox::toggled, this, refreshSoon);
    refreshNow();
}

ConcatPanel::~ConcatPanel() = default;

QList<QCustomPlot*> ConcatPanel::plots() const { return {m_plot}; }
QString ConcatPanel::notice() const { return m_noticeText; }
QString ConcatPanel::energyShareText() const { return m_energyShare->text(); }
QJsonObject ConcatPanel::viewState() const
{
    return QJsonObject{{QStringLiteral("sharedY"), m_sharedY->isChecked()},
                       {QStringLiteral("logY"), m_logY->isChecked()}};
}

void ConcatPanel::restoreViewState(const QJsonObject& state)
{
    m_sharedY->setChecked(state.value(QStringLiteral("sharedY")).toBool(false));
    m_logY->setChecked(state.value(QStringLiteral("logY")).toBool(false));
    refreshNow();
}

void ConcatPanel::setSharedY(bool shared) { m_sharedY->setChecked(shared); }
void ConcatPanel::setLogY(bool log) { m_logY->setChecked(log); }

void ConcatPanel::retranslate()
{
    m_sharedY->setText(tr("Same y axis for both rows"));
    m_sharedY->setToolTip(tr("Before and after L2Norm on one scale: how much normalization shrinks the vector"));
    m_logY->setText(tr("Log y"));
    m_logY->setToolTip(tr("Logarithmic activation axes; zero activations are left out"));
}

QString ConcatPanel::readoutAt(QPoint pos) const
{
    for (QCPAxisRect* rect : {m_beforeRect, m_afterRect}) {
        if (!rect->rect().contains(pos))
            continue;
        const bool after = rect == m_afterRect;
        const int channel = qRound(rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x()));
        for (const Segment& s : m_segments) {
            const std::vector<float>& values = after ? s.after : s.before;
            const int c = channel - s.offset;
            if (c < 0 || c >= static_cast<int>(values.size()))
                continue;
            return tr("%1 channel %2 (concatenation index %3)\n%4 = %5")
                .arg(QString::fromStdString(s.layer))
                .arg(c)
                .arg(channel)
                .arg(after ? tr("after L2Norm γ · x/‖x‖") : tr("before L2Norm x"),
                     plot_style::formatValue(values[static_cast<size_t>(c)]));
        }
    }
    return {};
}

QStringList ConcatPanel::visibleLabels() const
{
    QStringList texts;
    for (QCPItemText* l : m_labels)
        if (l->visible())
            texts << l->text();
    return texts;
}

bool ConcatPanel::fitLabels()
{
    bool changed = false;
    for (QCPItemText* label : m_labels) {
        auto* rect = label->clipAxisRect();
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        const double lo = label->property("lo").toDouble(), hi = label->property("hi").toDouble();
        const double room = std::abs(x->coordToPixel(hi) - x->coordToPixel(lo)) - 6;
        const QFontMetrics fm(label->font());
        QString chosen;
        for (const char* variant : {"full", "short", "name"}) {
            const QString text = label->property(variant).toString();
            if (fm.boundingRect(QRect(0, 0, 10000, 10000), 0, text).width() + 6 <= room) {
                chosen = text;
                break;
            }
        }
        const bool visible = !chosen.isEmpty();
        if (label->visible() != visible || (visible && label->text() != chosen)) {
            label->setVisible(visible);
            if (visible)
                label->setText(chosen);
            changed = true;
        }
    }
    return changed;
}

void ConcatPanel::recompute()
{
    // The share is over the whole image, so it shows before any pin; afterChanged brings each γ.
    const EnergyShareText share = EnergyShareText::of(*m_model);
    m_energyShare->setText(share.sentence);
    m_energyShare->setToolTip(share.details);
    m_energyShare->setVisible(!share.sentence.isEmpty());
    collect();
    draw();
}

void ConcatPanel::collect()
{
    m_segments.clear();
    m_noticeText.clear();
    const auto result = m_model->currentResult();
    const auto cache = m_model->currentCache();
    const auto pin = m_model->pin();
    if (!result) {
        m_noticeText = tr("No analysed image selected yet.");
        return;
    }
    if (!pin) {
        m_noticeText = tr("Click the image to pin a location: this view shows the concatenated feature vector there.");
        return;
    }
    if (!cache) {
        m_noticeText = tr("Recomputing the features of this image…");
        return;
    }
    // ParseNet's trio and every normalized layer (S3FD's conv3_3 too), when analysed; otherwise
    // every analysed tap. Network order.
    std::vector<std::string> layers;
    const auto trio = analysis::LayerCatalog::defaultLayers();
    for (const std::string& l : m_model->layers())
        if (std::find(trio.begin(), trio.end(), l) != trio.end() || m_model->isNormalized(l))
            layers.push_back(l);
    if (layers.empty())
        layers = m_model->layers();
    const analysis::Probe probe = analysis::probeAt(
        *result, *cache, layers,
        [this](const std::string& layer) { return m_model->isNormalized(layer) ? &m_model->gamma(layer) : nullptr; },
        pin->x(), pin->y());
    switch (probe.status) {
    case analysis::Probe::Status::OutsideImage:
        m_noticeText = tr("The pinned location lies outside the image.");
        return;
    case analysis::Probe::Status::NotCached:
        m_noticeText = tr("Activations of %1 are not cached for this image; re-run it to see the concatenation.")
                           .arg(QString::fromStdString(probe.layer));
        return;
    case analysis::Probe::Status::Ok:
        break;
    }
    m_segments = probe.segments;
}

void ConcatPanel::draw()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_labels.clear();
    m_notice->setText(m_noticeText);
    m_notice->setVisible(!m_noticeText.isEmpty());

    // Axis labels here, not once: a language change redraws the plot in the new language.
    m_beforeRect->axis(QCPAxis::atLeft)->setLabel(tr("before L2Norm: x (activation units)"));
    m_afterRect->axis(QCPAxis::atLeft)->setLabel(tr("after L2Norm: γ · x/‖x‖ (activation units)"));
    QString title = tr("ParseNet concat at the pin");
    if (const auto pixel = m_model->pinnedPixel(); pixel && !m_segments.empty())
        title += tr(" — pixel (%1, %2)").arg(pixel->x()).arg(pixel->y());
    if (const ImageEntry* e = m_model->currentImage())
        title += tr(" of %1").arg(QFileInfo(e->path).fileName());
    plot_style::setTitle(m_plot, title, m_model);

    QStringList names;
    for (const Segment& s : m_segments)
        names << QString::fromStdString(s.layer);
    m_afterRect->axis(QCPAxis::atBottom)
        ->setLabel(tr("channel index in the concatenation %1")
                       .arg(names.isEmpty() ? QString() : names.join(QStringLiteral(" ‖ "))));
    drawRect(m_beforeRect, /*afterStage=*/false);
    drawRect(m_afterRect, /*afterStage=*/true);
    const int total = m_segments.empty() ? 1
                                         : m_segments.back().offset + static_cast<int>(m_segments.back().before.size());
    m_beforeRect->axis(QCPAxis::atBottom)->setRange(-0.5, total - 0.5);
    if (m_sharedY->isChecked()) {
        QCPAxis* a = m_beforeRect->axis(QCPAxis::atLeft);
        QCPAxis* b = m_afterRect->axis(QCPAxis::atLeft);
        const QCPRange r(std::min(a->range().lower, b->range().lower), std::max(a->range().upper, b->range().upper));
        a->setRange(r);
        b->setRange(r);
    }
    fitLabels();
    QString key = QString::number(m_model->currentIndex());
    if (const auto pin = m_model->pin())
        key += QStringLiteral("|%1,%2").arg(pin->x()).arg(pin->y());
    PlotInteraction::of(m_plot)->setHome(key +
                                         QStringLiteral("|%1|%2").arg(m_sharedY->isChecked()).arg(m_logY->isChecked()));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ConcatPanel::drawRect(QCPAxisRect* rect, bool afterStage)
{
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    const bool logY = m_logY->isChecked();
    plot_style::setLogAxis(y, logY);
    double yMax = 0, yMinPositive = std::numeric_limits<double>::infinity();
    QFont labelFont = m_plot->font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.9);
    for (const Segment& s : m_segments) {
        const std::vector<float>& values = afterStage ? s.after : s.before;
        auto* graph = m_plot->addGraph(x, y);
        graph->setLineStyle(QCPGraph::lsImpulse);
        // 2048 vertical lines per plot and gamma tick: antialiasing them costs more than the
        // whole statistics update and changes nothing a user can see.
        graph->setAntialiased(false);
        graph->setPen(QPen(plot_style::layerColor(s.layer), 1));
        graph->setName(QString::fromStdString(s.layer));
        QVector<double> keys(static_cast<int>(values.size())), vals(static_cast<int>(values.size()));
        for (size_t c = 0; c < values.size(); ++c) {
            keys[static_cast<int>(c)] = s.offset + static_cast<double>(c);
            // A log axis cannot show 0 (dead ReLU channels): those are left out (NaN is a gap).
            vals[static_cast<int>(c)] = logY && values[c] <= 0 ? std::numeric_limits<double>::quiet_NaN() : values[c];
            yMax = std::max(yMax, static_cast<double>(values[c]));
            if (values[c] > 0)
                yMinPositive = std::min(yMinPositive, static_cast<double>(values[c]));
        }
        graph->setData(keys, vals, /*alreadySorted=*/true);

        if (s.offset > 0) {
            auto* sep = new QCPItemStraightLine(m_plot);
            sep->setClipAxisRect(rect);
            sep->point1->setAxes(x, y);
            sep->point2->setAxes(x, y);
            sep->point1->setCoords(s.offset - 0.5, 0);
            sep->point2->setCoords(s.offset - 0.5, 1);
            sep->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
        }
        auto* label = new QCPItemText(m_plot);
        label->setClipAxisRect(rect);
        label->position->setAxes(x, y);
        label->position->setAxisRect(rect);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(s.offset + values.size() / 2.0, 0.03);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
        label->setFont(labelFont);
        label->setColor(plot_style::layerColor(s.layer).darker(140));
        label->setBrush(QColor(255, 255, 255, 200));
        // Short lines: a segment of 512 channels may be only ~80 px wide.
        QString norm;
        if (!afterStage)
            norm = tr("‖x‖ = %1").arg(plot_style::formatValue(s.beforeNorm));
        else if (s.normalized)
            norm = tr("‖γ·x̂‖ = %1").arg(plot_style::formatValue(s.afterNorm));
        else
            norm = tr("no L2Norm, ‖x‖ = %1").arg(plot_style::formatValue(s.afterNorm));
        const QString name = QString::fromStdString(s.layer);
        // Longest that fits the segment's width on screen (fitLabels()); the hover read-out has the rest.
        label->setProperty(
            "full", tr("%1\n%2 ch\ncell (%3, %4)\n").arg(name).arg(values.size()).arg(s.cell.x).arg(s.cell.y) + norm);
        label->setProperty("short", name + QLatin1Char('\n') + norm);
        label->setProperty("name", name);
        label->setProperty("lo", s.offset - 0.5);
        label->setProperty("hi", s.offset + values.size() - 0.5);
        label->setText(label->property("full").toString());
        m_labels.push_back(label);
    }
    // Headroom for the segment labels above the tallest spike.
    if (logY)
        y->setRange(std::isfinite(yMinPositive) ? yMinPositive / 2 : 0.01, yMax > 0 ? yMax * 6 : 10.0);
    else
        y->setRange(0, yMax > 0 ? yMax * 1.45 : 1.0);
}

} // namespace featscale::ui
