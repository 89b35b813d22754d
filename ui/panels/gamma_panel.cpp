// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/gamma_panel.h"

#include "analysis/weights/untrained.h"

#include "analysis/core/types.h"
#include "analysis/stats/gamma_io.h"
#include "ui/panels/flow_layout.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/wheel_focus_guard.h"
#include "ui/plots/plot_style.h"
#include "ui/state/gamma_commands.h"

#include "ui/plots/qcp.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace {

constexpr int kSliderSteps = 1000;
constexpr double kLogMin = -2.0; ///< slider spans 10^-2 … 10^3
constexpr double kLogMax = 3.0;
/// The plots yield with the dock: axes, a wrapped title and the legend above still fit this.
constexpr int kPlotMinimumWidth = 200;

double median(std::vector<float> v)
{
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int GammaPanel::sliderPosition(double gamma)
{
    const double t = (std::log10(std::max(gamma, 1e-12)) - kLogMin) / (kLogMax - kLogMin);
    return std::clamp(static_cast<int>(std::lround(t * kSliderSteps)), 0, kSliderSteps);
}

double GammaPanel::sliderGamma(int position)
{
    const double g = std::pow(10.0, kLogMin + (kLogMax - kLogMin) * position / kSliderSteps);
    // Three significant digits: positions land on readable values (20, not 19.95).
    return QString::number(g, 'g', 3).toDouble();
}

GammaPanel::GammaPanel(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_l2normList(new QListWidget(this)), m_eps(new QComboBox(this)),
      m_applyRerun(new QPushButton(this)), m_layer(new QComboBox(this)), m_slider(new QSlider(Qt::Horizontal, this)),
      m_spin(new QDoubleSpinBox(this)), m_scale(new QDoubleSpinBox(this)), m_summary(new QLabel(this)),
      m_channelPlot(new QCustomPlot(this)), m_fit(new GammaFitWidget(model, this)), m_l2Box(new QGroupBox(this)),
      m_gammaBox(new QGroupBox(this)), m_layersLabel(new QLabel(this)), m_epsLabel(new QLabel(this)),
      m_layerLabel(new QLabel(this)), m_globalLabel(new QLabel(this)), m_setAll(new QPushButton(this)),
      m_scaleAll(new QPushButton(this)), m_resetLearned(new QPushButton(this)), m_resetInit(new QPushButton(this)),
      m_load(new QPushButton(this)), m_save(new QPushButton(this)), m_overview(new QLabel(this)),
      m_channelLabel(new QLabel(this)), m_channel(new QSpinBox(this)), m_channelValue(new QDoubleSpinBox(this)),
      m_setChannel(new QPushButton(this))
{
    setObjectName(viewStateKey());

    // --- which layers get L2Norm, eps mode (need a re-run) -------------------------------------
    m_l2normList->setMaximumHeight(110);
    for (const analysis::EpsModeInfo& m : analysis::epsModes()) {
        m_eps->addItem(QString::fromUtf8(m.name), static_cast<int>(m.mode));
        m_eps->setItemData(m_eps->count() - 1,
                           QStringLiteral("%1: %2").arg(QString::fromUtf8(m.formula), QString::fromUtf8(m.origin)),
                           Qt::ToolTipRole);
    }
    m_eps->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_eps->setMinimumContentsLength(8);
    auto* l2Layout = new QFormLayout(m_l2Box);
    l2Layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    l2Layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    l2Layout->addRow(m_layersLabel, m_l2normList);
    l2Layout->addRow(m_epsLabel, m_eps);
    l2Layout->addRow(m_applyRerun);

    // --- gamma controls -------------------------------------------------------------------------
    m_slider->setRange(0, kSliderSteps);
    m_spin->setRange(0.0, 1e4);
    m_spin->setDecimals(3);
    m_spin->setKeyboardTracking(false);
    m_spin->setValue(analysis::kDefaultGamma);
    m_slider->setValue(sliderPosition(analysis::kDefaultGamma));
    m_scale->setRange(0.001, 1000);
    m_scale->setDecimals(3);
    m_scale->setValue(2.0);
    m_scale->setPrefix(QStringLiteral("× "));
    m_channelValue->setRange(0.0, 1e4);
    m_channelValue->setDecimals(3);
    m_channelValue->setKeyboardTracking(false);
    // The panel scrolls: a wheel turn over a value box must scroll, not change γ.
    for (QWidget* w : std::initializer_list<QWidget*>{m_slider, m_spin, m_scale, m_channel, m_channelValue})
        WheelFocusGuard::install(w);
    m_overview->setWordWrap(true);
    m_overview->setObjectName(QStringLiteral("gammaOverview"));
    m_layer->setObjectName(QStringLiteral("gammaLayer"));
    m_overview->setTextFormat(Qt::RichText);
    retranslate();

    // The dock column is narrow (window_layout::kDockMinimumWidth at 1280 px): the layer and global
    // γ get a row each with the slider on its own line, and the button rows wrap into as many
    // lines as the width needs, so the panel never scrolls sideways.
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_layer->setMinimumContentsLength(8);
    auto* form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_layerLabel, m_layer);
    form->addRow(m_overview);
    form->addRow(m_globalLabel, m_spin);
    form->addRow(m_slider);
    auto* rowSet = new FlowLayout;
    rowSet->addWidget(m_setAll);
    rowSet->addWidget(FlowLayout::together({m_scale, m_scaleAll}));
    auto* rowChannel = new FlowLayout;
    rowChannel->addWidget(FlowLayout::together({m_channelLabel, m_channel}));
    rowChannel->addWidget(FlowLayout::together({m_channelValue, m_setChannel}));
    auto* rowReset = new FlowLayout;
    rowReset->addWidget(m_resetLearned);
    rowReset->addWidget(m_resetInit);
    rowReset->addWidget(m_load);
    rowReset->addWidget(m_save);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("gammaSummary"));
    auto* gammaLayout = new QVBoxLayout(m_gammaBox);
    gammaLayout->addLayout(form);
    gammaLayout->addLayout(rowSet);
    gammaLayout->addLayout(rowChannel);
    gammaLayout->addLayout(rowReset);
    gammaLayout->addWidget(m_summary);
    gammaLayout->addWidget(m_channelPlot, 1);

    plot_style::applyDefaults(m_channelPlot);
    m_channelPlot->setObjectName(QStringLiteral("gammaChannelPlot"));
    m_channelPlot->setMinimumSize(kPlotMinimumWidth, 220);
    // The legend above the axes, in as many columns as the dock's width holds: in a narrow dock
    // an inset legend would cover the bars.
    plot_style::placeLegendAbove(m_channelPlot);
    connect(m_channelPlot, &QCustomPlot::beforeReplot, m_channelPlot,
            [this] { plot_style::fitToWidth(m_channelPlot); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_l2Box);
    layout->addWidget(m_gammaBox, 1);
    layout->addWidget(m_fit, 1);

    connect(m_slider, &QSlider::sliderPressed, this, [this] { ++m_dragNumber; });
    connect(m_slider, &QSlider::valueChanged, this, [this](int pos) {
        const double g = sliderGamma(pos);
        QSignalBlocker block(m_spin);
        m_spin->setValue(g);
        requestGamma(g);
        m_pendingDrag = m_slider->isSliderDown() ? m_dragNumber : 0;
    });
    connect(m_spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double g) {
        QSignalBlocker block(m_slider);
        m_slider->setValue(sliderPosition(g));
        requestGamma(g);
        m_pendingDrag = 0;
    });
    connect(m_setAll, &QPushButton::clicked, this, [this] {
        const std::string layer = editedLayer();
        const double v = m_spin->value();
        ChangeGamma::push(m_model, layer, std::vector<float>(m_model->gamma(layer).size(), static_cast<float>(v)),
                          tr("Set all γ of %1 to %2").arg(QString::fromStdString(layer), plot_style::formatValue(v)));
    });
    connect(m_scaleAll, &QPushButton::clicked, this, [this] {
        const std::string layer = editedLayer();
        std::vector<float> g = m_model->gamma(layer);
        for (float& v : g)
            v *= static_cast<float>(m_scale->value());
        ChangeGamma::push(
            m_model, layer, g,
            tr("Scale γ of %1 by %2").arg(QString::fromStdString(layer), plot_style::formatValue(m_scale->value())));
    });
    connect(m_resetLearned, &QPushButton::clicked, this, [this] {
        const std::string layer = editedLayer();
        ChangeGamma::push(m_model, layer, m_model->learnedGamma(layer),
                          tr("Reset γ of %1 to the learned values").arg(QString::fromStdString(layer)));
    });
    connect(m_resetInit, &QPushButton::clicked, this, [this] {
        const std::string layer = editedLayer();
        const std::vector<float> init = m_model->initGamma(layer);
        ChangeGamma::push(
            m_model, layer, init,
            tr("Reset γ of %1 to the initial %2")
                .arg(QString::fromStdString(layer), plot_style::formatValue(init.empty() ? 0.0 : init.front())));
    });
    connect(m_channel, qOverload<int>(&QSpinBox::valueChanged), this, &GammaPanel::updateChannelRow);
    connect(m_setChannel, &QPushButton::clicked, this,
            [this] { setChannelGamma(m_channel->value(), m_channelValue->value()); });
    connect(m_channelValue, &QDoubleSpinBox::editingFinished, this, [this] {
        if (m_channelValue->hasFocus())
            setChannelGamma(m_channel->value(), m_channelValue->value());
    });
    connect(m_channelPlot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* e) { pickChannelAt(e->position().x()); });
    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load learned γ"), QString(),
            tr("γ files (*.csv *.txt *.pth *.pt *.t7 *.caffemodel *.onnx *.h5);;All files (*)"));
        if (!path.isEmpty())
            loadGammaFile(path);
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save γ of every normalized layer"),
                                                          QStringLiteral("gamma.csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            saveGammaFile(path);
    });
    connect(m_layer, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_fit->setLayer(editedLayer());
        refreshFromModel();
    });
    connect(m_l2normList, &QListWidget::itemChanged, this, &GammaPanel::updateApplyButton);
    connect(m_eps, qOverload<int>(&QComboBox::currentIndexChanged), this, &GammaPanel::updateApplyButton);
    connect(m_applyRerun, &QPushButton::clicked, this, &GammaPanel::applyL2NormSettings);
    connect(m_model, &AppModel::weightsChanged, this, &GammaPanel::rebuildLayerChoices);
    connect(m_model, &AppModel::optionsChanged, this, &GammaPanel::rebuildLayerChoices);
    connect(m_model, &AppModel::gammaChanged, this, &GammaPanel::refreshFromModel);
    connect(m_fit, &GammaFitWidget::previewChanged, this, &GammaPanel::drawChannels);
    connect(m_fit, &GammaFitWidget::message, this, &GammaPanel::message);

    rebuildLayerChoices();
}

GammaPanel::~GammaPanel() = default;

void GammaPanel::retranslate()
{
    // Short group titles (a group box is never narrower than its title); the full text is the tip.
    m_l2Box->setTitle(tr("L2Norm layers (re-run)"));
    m_l2Box->setToolTip(tr("Which layers get L2Norm and its eps mode; changes re-run the network"));
    m_l2normList->setToolTip(tr("Layers that get L2Norm: x / ‖x‖ over channels, then times γ per channel"));
    m_layersLabel->setText(tr("Layers:"));
    m_epsLabel->setText(tr("eps mode:"));
    m_applyRerun->setText(tr("Apply and re-run"));
    m_gammaBox->setTitle(tr("γ after L2Norm (no re-run)"));
    m_gammaBox->setToolTip(tr("γ: per-channel scale after L2Norm; changes need no re-run"));
    m_layerLabel->setText(tr("Layer:"));
    m_globalLabel->setText(tr("global γ:"));
    m_slider->setToolTip(tr("Sets every channel's γ (log scale 0.01 … 1000)"));
    m_setAll->setText(tr("Set all"));
    m_setAll->setToolTip(tr("Set every channel to the value in the box"));
    m_scaleAll->setText(tr("Scale"));
    m_scaleAll->setToolTip(tr("Multiply every channel's γ by the factor"));
    m_resetLearned->setText(tr("Reset to learned"));
    m_channelLabel->setText(tr("channel:"));
    m_channel->setToolTip(tr("Channel whose γ the box beside edits; click a bar in the plot to pick one"));
    m_channelValue->setToolTip(tr("γ of that channel"));
    m_setChannel->setText(tr("Set channel"));
    m_setChannel->setToolTip(tr("Give only this channel the value in the box"));
    m_load->setText(tr("Load γ…"));
    m_load->setToolTip(tr(
        "Learned γ from a checkpoint (L2Norm.weight), a Lua Torch .t7 tensor, a channel,gamma CSV or a list of numbers "
        "(for the layer above), or a layer,channel,gamma CSV (for every layer it names)"));
    m_save->setText(tr("Save γ…"));
    m_save->setToolTip(
        tr("Every normalized layer's γ as a layer,channel,gamma CSV (featscale-cli analyze --gamma-file reads it)"));
}

void GammaPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refreshFromModel(); // summary and plot
    }
}

QList<QCustomPlot*> GammaPanel::plots() const { return QList<QCustomPlot*>{m_channelPlot} + m_fit->plots(); }

std::string GammaPanel::editedLayer() const { return m_layer->currentText().toStdString(); }

void GammaPanel::setEditedLayer(const std::string& layer)
{
    const int i = m_layer->findText(QString::fromStdString(layer));
    if (i >= 0)
        m_layer->setCurrentIndex(i);
}

void GammaPanel::setGlobalGamma(double gamma)
{
    m_spin->setValue(gamma); // moves the slider too, and requests the update
}

void GammaPanel::requestGamma(double gamma)
{
    m_pendingGamma = gamma;
    if (m_applyScheduled)
        return;
    // Coalesce: a drag delivers many valueChanged per frame; apply only the latest, once the
    // event loop has drained them.
    m_applyScheduled = true;
    QTimer::singleShot(0, this, &GammaPanel::applyPendingGamma);
}

void GammaPanel::applyPendingGamma()
{
    m_applyScheduled = false;
    const std::string layer = editedLayer();
    if (layer.empty())
        return;
    ChangeGamma::push(
        m_model, layer, std::vector<float>(m_model->gamma(layer).size(), static_cast<float>(m_pendingGamma)),
        tr("Set γ of %1 to %2").arg(QString::fromStdString(layer), plot_style::formatValue(m_pendingGamma)),
        m_pendingDrag);
    ++m_appliedUpdates;
}

void GammaPanel::setChannelGamma(int channel, double gamma)
{
    const std::string layer = editedLayer();
    std::vector<float> g = m_model->gamma(layer);
    if (channel < 0 || channel >= static_cast<int>(g.size()))
        return;
    g[static_cast<std::size_t>(channel)] = static_cast<float>(gamma);
    ChangeGamma::push(m_model, layer, g,
                      tr("Set γ of %1 channel %2 to %3")
                          .arg(QString::fromStdString(layer))
                          .arg(channel)
                          .arg(plot_style::formatValue(gamma)));
}

void GammaPanel::setEditedChannel(int channel) { m_channel->setValue(channel); }
int GammaPanel::editedChannel() const { return m_channel->value(); }

void GammaPanel::pickChannelAt(double pixelX)
{
    const int c = static_cast<int>(std::lround(m_channelPlot->xAxis->pixelToCoord(pixelX)));
    if (c >= 0 && c < static_cast<int>(m_model->gamma(editedLayer()).size()))
        setEditedChannel(c);
}

void GammaPanel::updateChannelRow()
{
    const std::vector<float>& g = m_model->gamma(editedLayer());
    const int c = m_channel->value();
    if (c >= 0 && c < static_cast<int>(g.size()) && !m_channelValue->hasFocus()) {
        QSignalBlocker block(m_channelValue);
        m_channelValue->setValue(g[static_cast<std::size_t>(c)]);
    }
    drawChannels();
}

void GammaPanel::updateOverview()
{
    const std::vector<std::string> layers = m_model->l2normLayers();
    if (layers.size() < 2) {
        m_overview->hide();
        return;
    }
    QStringList parts;
    for (const std::string& layer : layers) {
        const std::vector<float>& g = m_model->gamma(layer);
        if (g.empty())
            continue;
        const auto [mn, mx] = std::minmax_element(g.begin(), g.end());
        const QString part = QString::fromStdString(layer) + QStringLiteral(" γ ") +
                             (*mn == *mx
                                  ? plot_style::formatValue(*mn)
                                  : plot_style::formatValue(*mn) + QStringLiteral("…") + plot_style::formatValue(*mx));
        // One layer's entry never breaks across lines.
        const QString html = part.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        parts << (layer == editedLayer() ? QStringLiteral("<b>%1</b>").arg(html) : html);
    }
    m_overview->setText(tr("Normalized: %1").arg(parts.join(QStringLiteral(" · "))));
    m_overview->show();
}

void GammaPanel::rebuildLayerChoices()
{
    const analysis::AnalyzerOptions& o = m_model->options();
    {
        QSignalBlocker block(m_l2normList);
        m_l2normList->clear();
        const std::vector<std::string> normalized = o.l2normLayers.value_or(m_model->l2normLayers());
        std::vector<std::string> candidates = m_model->engine().availableLayers;
        if (candidates.empty())
            candidates = m_model->layers();
        for (const std::string& layer : candidates) {
            auto* item = new QListWidgetItem(QString::fromStdString(layer), m_l2normList);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            const bool on = std::find(normalized.begin(), normalized.end(), layer) != normalized.end();
            item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        }
        // Show the checked layers (conv4_3 sits far down a list starting at conv1_1).
        for (int i = 0; i < m_l2normList->count(); ++i)
            if (m_l2normList->item(i)->checkState() == Qt::Checked) {
                m_l2normList->scrollToItem(m_l2normList->item(i), QAbstractItemView::PositionAtCenter);
                break;
            }
    }
    {
        QSignalBlocker block(m_eps);
        m_eps->setCurrentIndex(
            std::max(0, m_eps->findData(static_cast<int>(o.eps.value_or(m_model->engine().run.eps)))));
    }
    const std::string keep = editedLayer();
    {
        QSignalBlocker block(m_layer);
        m_layer->clear();
        for (const std::string& layer : m_model->l2normLayers())
            m_layer->addItem(QString::fromStdString(layer));
        const int i = m_layer->findText(QString::fromStdString(keep));
        m_layer->setCurrentIndex(i >= 0 ? i : 0);
    }
    m_fit->setLayer(editedLayer());
    updateApplyButton();
    refreshFromModel();
}

void GammaPanel::updateApplyButton()
{
    const analysis::AnalyzerOptions& o = m_model->options();
    std::vector<std::string> checked;
    for (int i = 0; i < m_l2normList->count(); ++i)
        if (m_l2normList->item(i)->checkState() == Qt::Checked)
            checked.push_back(m_l2normList->item(i)->text().toStdString());
    std::vector<std::string> current = o.l2normLayers.value_or(m_model->l2normLayers());
    std::sort(checked.begin(), checked.end());
    std::sort(current.begin(), current.end());
    const bool epsChanged = m_eps->currentData().toInt() != static_cast<int>(o.eps.value_or(m_model->engine().run.eps));
    m_applyRerun->setEnabled(checked != current || epsChanged);
}

void GammaPanel::applyL2NormSettings()
{
    analysis::AnalyzerOptions o = m_model->options();
    o.l2normLayers.emplace();
    for (int i = 0; i < m_l2normList->count(); ++i) {
        if (m_l2normList->item(i)->checkState() != Qt::Checked)
            continue;
        const std::string layer = m_l2normList->item(i)->text().toStdString();
        o.l2normLayers->push_back(layer);
        // A normalized layer must be analysed to be seen.
        if (!o.layers.empty() && std::find(o.layers.begin(), o.layers.end(), layer) == o.layers.end())
            o.layers.push_back(layer);
    }
    o.eps = static_cast<analysis::EpsMode>(m_eps->currentData().toInt());
    // Per-layer gammas of other channel counts would not fit: let the engine choose defaults.
    o.gamma.clear();
    m_model->setOptions(o);
    Q_EMIT rerunRequested();
    m_applyRerun->setEnabled(false);
}

void GammaPanel::refreshFromModel()
{
    const std::string layer = editedLayer();
    const std::vector<float>& g = m_model->gamma(layer);
    const bool have = !layer.empty() && !g.empty();
    for (QWidget* w : std::initializer_list<QWidget*>{m_slider, m_spin, m_scale, m_setAll, m_scaleAll, m_channel,
                                                      m_channelValue, m_setChannel, m_resetInit, m_load})
        w->setEnabled(have);
    const QString name = QString::fromStdString(layer);
    const bool learned = have && !m_model->learnedGamma(layer).empty();
    m_resetLearned->setEnabled(learned);
    m_resetLearned->setToolTip(learned ? tr("The γ the weight file learned for %1").arg(name)
                                       : tr("The weights carry no learned γ for %1").arg(name));
    const std::vector<float> init = m_model->initGamma(layer);
    const QString initText = init.empty() ? QStringLiteral("—") : plot_style::formatValue(init.front());
    m_resetInit->setText(tr("Reset to init (%1)").arg(initText));
    m_resetInit->setToolTip(tr("The network family's initial γ for %1: %2 for every channel").arg(name, initText));
    {
        QSignalBlocker block(m_channel);
        m_channel->setRange(0, std::max(0, static_cast<int>(g.size()) - 1));
    }
    if (have && !m_channelValue->hasFocus()) {
        QSignalBlocker block(m_channelValue);
        m_channelValue->setValue(g[static_cast<std::size_t>(m_channel->value())]);
    }
    updateOverview();
    if (have) {
        const auto [mn, mx] = std::minmax_element(g.begin(), g.end());
        const double med = median(g);
        if (!m_applyScheduled && std::abs(med - m_spin->value()) > 1e-6 * std::max(1.0, med)) {
            QSignalBlocker b1(m_spin), b2(m_slider);
            m_spin->setValue(med);
            m_slider->setValue(sliderPosition(med));
        }
        m_summary->setText(*mn == *mx ? tr("all %1 channels: γ = %2").arg(g.size()).arg(plot_style::formatValue(*mn))
                                      : tr("%1 channels: γ %2 … %3 (median %4)")
                                            .arg(g.size())
                                            .arg(plot_style::formatValue(*mn), plot_style::formatValue(*mx),
                                                 plot_style::formatValue(med)));
    } else {
        m_summary->setText(tr("No normalized layer: tick one under L2Norm and re-run."));
    }
    drawChannels();
}

void GammaPanel::drawChannels()
{
    const std::string layer = editedLayer();
    const std::vector<float>& g = m_model->gamma(layer);
    m_channelPlot->clearPlottables();
    m_channelPlot->clearItems();
    plot_style::setTitle(m_channelPlot,
                         tr("Per-channel γ of %1").arg(QString::fromStdString(layer.empty() ? "—" : layer)), m_model);
    m_channelPlot->xAxis->setLabel(tr("channel of %1").arg(QString::fromStdString(layer)));
    m_channelPlot->yAxis->setLabel(tr("γ (activation units)"));
    const std::vector<float> previous = m_fit->previousGamma();
    auto* graph = m_channelPlot->addGraph();
    graph->setName(previous.empty() ? tr("current γ") : tr("fitted γ (keep or revert below)"));
    graph->setPen(QPen(plot_style::layerColor(layer), 1.5));
    // One bar per channel: reads as "the scale each channel gets", also when the values jump.
    graph->setLineStyle(QCPGraph::lsImpulse);
    graph->setAntialiased(false); // vertical bars: no visible difference, a fraction of the cost
    QVector<double> keys(static_cast<int>(g.size())), values(static_cast<int>(g.size()));
    double yMax = 0;
    for (size_t c = 0; c < g.size(); ++c) {
        keys[static_cast<int>(c)] = static_cast<double>(c);
        values[static_cast<int>(c)] = g[c];
        yMax = std::max(yMax, static_cast<double>(g[c]));
    }
    for (float p : previous)
        yMax = std::max(yMax, static_cast<double>(p));
    graph->setData(keys, values, /*alreadySorted=*/true);
    const int picked = m_channel->value();
    if (picked >= 0 && picked < static_cast<int>(g.size())) {
        auto* mark = m_channelPlot->addGraph();
        mark->setName(
            tr("channel %1: γ = %2").arg(picked).arg(plot_style::formatValue(g[static_cast<std::size_t>(picked)])));
        mark->setLineStyle(QCPGraph::lsNone);
        mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(200, 30, 30), 7));
        mark->setData(QVector<double>{static_cast<double>(picked)},
                      QVector<double>{g[static_cast<std::size_t>(picked)]});
        mark->removeFromLegend(); // the channel row beside shows its value; the legend stays small
    }
    if (!previous.empty() && previous.size() == g.size()) {
        auto* before = m_channelPlot->addGraph();
        before->setName(tr("γ before the fit"));
        before->setPen(QPen(QColor(60, 60, 60), 2, Qt::DashLine));
        QVector<double> k(static_cast<int>(previous.size())), v(static_cast<int>(previous.size()));
        for (size_t c = 0; c < previous.size(); ++c) {
            k[static_cast<int>(c)] = static_cast<double>(c);
            v[static_cast<int>(c)] = previous[c];
        }
        before->setData(k, v, /*alreadySorted=*/true);
    }
    m_channelPlot->xAxis->setRange(-0.5, std::max<double>(1.0, static_cast<double>(g.size()) - 0.5));
    // Headroom above the bars keeps the legend off the data.
    m_channelPlot->yAxis->setRange(0, yMax > 0 ? yMax * 1.4 : 1.0);
    m_channelPlot->replot(QCustomPlot::rpQueuedReplot);
}

void GammaPanel::loadGammaFile(const QString& path)
{
    const std::string layer = editedLayer();
    using Layers = std::map<std::string, std::vector<float>>;
    auto* watcher = new QFutureWatcher<Layers>(this);
    auto error = std::make_shared<QString>();
    connect(watcher, &QFutureWatcher<Layers>::finished, this, [this, watcher, error, layer, path] {
        watcher->deleteLater();
        const Layers read = watcher->result();
        bool ok = false;
        if (!error->isEmpty()) {
            Q_EMIT message(*error);
        } else if (read.size() == 1 && read.begin()->first.empty()) {
            // one gamma: for the layer being edited
            const std::vector<float>& g = read.begin()->second;
            if (layer.empty()) {
                Q_EMIT message(tr("%1: no normalized layer to apply γ to").arg(path));
            } else if (!ChangeGamma::push(
                           m_model, layer, g,
                           tr("Load γ of %1 from %2").arg(QString::fromStdString(layer), QFileInfo(path).fileName()))) {
                Q_EMIT message(tr("%1: has %2 γ values but %3 has %4 channels")
                                   .arg(path)
                                   .arg(g.size())
                                   .arg(QString::fromStdString(layer))
                                   .arg(m_model->gamma(layer).size()));
            } else {
                Q_EMIT message(tr("Loaded γ of %1 from %2").arg(QString::fromStdString(layer), path));
                ok = true;
            }
        } else {
            ok = applyLayerGammas(read, path);
        }
        Q_EMIT gammaFileLoaded(ok);
    });
    // Checkpoints can be hundreds of MB: read off the GUI thread.
    // A file keyed by layer name (a .t7 table, a checkpoint) gives the edited layer its own entry.
    watcher->setFuture(QtConcurrent::run([path, error, layer]() -> Layers {
        try {
            const std::string p = path.toStdString();
            if (analysis::isLayerGammaCsv(p))
                return analysis::readLayerGammaCsv(p);
            return Layers{{std::string(), analysis::readGammaFile(p, layer.empty() ? "conv4_3" : layer)}};
        } catch (const std::exception& e) {
            *error = QString::fromStdString(e.what());
            return {};
        }
    }));
}

bool GammaPanel::applyLayerGammas(const std::map<std::string, std::vector<float>>& gammas, const QString& path)
{
    // All or nothing: a file meant for other layers or another network changes no γ.
    QStringList problems;
    for (const auto& [layer, g] : gammas) {
        const QString name = QString::fromStdString(layer);
        if (!m_model->isNormalized(layer))
            problems << tr("%1 is not a normalized layer here").arg(name);
        else if (m_model->gamma(layer).size() != g.size())
            problems << tr("%1 has %2 channels, the file %3").arg(name).arg(m_model->gamma(layer).size()).arg(g.size());
    }
    if (!problems.isEmpty()) {
        Q_EMIT message(tr("%1: γ not loaded: %2").arg(path, problems.join(QStringLiteral("; "))));
        return false;
    }
    QStringList names;
    for (const auto& entry : gammas)
        names << QString::fromStdString(entry.first);
    // One undo step for the whole file.
    m_model->undoStack()->beginMacro(
        tr("Load γ of %1 from %2").arg(names.join(QStringLiteral(", ")), QFileInfo(path).fileName()));
    for (const auto& [layer, g] : gammas)
        ChangeGamma::push(m_model, layer, g, tr("Load γ of %1").arg(QString::fromStdString(layer)));
    m_model->undoStack()->endMacro();
    Q_EMIT message(tr("Loaded γ of %1 from %2").arg(names.join(QStringLiteral(", ")), path));
    return true;
}

bool GammaPanel::saveGammaFile(const QString& path)
{
    const auto gammas = m_model->allGamma();
    if (gammas.empty()) {
        Q_EMIT message(tr("No normalized layer: no γ to save."));
        return false;
    }
    const analysis::WeightInfo& w = m_model->weights();
    std::vector<std::string> comments = {"featscale gamma of every normalized layer (L2Norm: gamma * x / ||x||)",
                                         "weights: " + w.summary()};
    if (w.untrained)
        comments.push_back(analysis::untrainedSentence(w.seed));
    try {
        analysis::writeLayerGammaCsv(path.toStdString(), gammas, comments);
    } catch (const std::exception& e) {
        Q_EMIT message(QString::fromStdString(e.what()));
        return false;
    }
    Q_EMIT message(tr("Saved γ of %n layer(s) to %1", nullptr, static_cast<int>(gammas.size())).arg(path));
    return true;
}

QJsonObject GammaPanel::viewState() const
{
    return QJsonObject{{QStringLiteral("editedLayer"), QString::fromStdString(editedLayer())},
                       {QStringLiteral("scale"), m_scale->value()},
                       {m_fit->viewStateKey(), m_fit->viewState()}};
}

void GammaPanel::restoreViewState(const QJsonObject& state)
{
    setEditedLayer(state.value(QStringLiteral("editedLayer")).toString().toStdString());
    if (state.contains(QStringLiteral("scale")))
        m_scale->setValue(state.value(QStringLiteral("scale")).toDouble());
    m_fit->restoreViewState(state.value(m_fit->viewStateKey()).toObject());
}

} // namespace featscale::ui
