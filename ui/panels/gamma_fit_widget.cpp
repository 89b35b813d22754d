// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/gamma_fit_widget.h"

#include "analysis/core/types.h"
#include "ui/jobs/gamma_fit_runner.h"
#include "ui/panels/flow_layout.h"
#include "ui/plots/plot_style.h"
#include "ui/state/gamma_commands.h"

#include "ui/plots/qcp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace featscale::ui {

namespace {
constexpr double kLossFloor = 1e-16; ///< a loss of exactly 0 cannot sit on the log axis
constexpr int kLossRedrawMs = 50;    ///< live loss curve: ~20 redraws per second
} // namespace

GammaFitWidget::GammaFitWidget(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_runner(new GammaFitRunner(this)), m_target(new QComboBox(this)),
      m_scope(new QComboBox(this)), m_method(new QComboBox(this)), m_earlyStop(new QCheckBox(this)),
      m_methodLabel(new QLabel(this)), m_steps(new QSpinBox(this)), m_lr(new QDoubleSpinBox(this)),
      m_fitButton(new QPushButton(this)), m_cancelButton(new QPushButton(this)), m_keepButton(new QPushButton(this)),
      m_revertButton(new QPushButton(this)), m_status(new QLabel(this)), m_lossPlot(new QCustomPlot(this)),
      m_box(new QGroupBox(this)), m_targetLabel(new QLabel(this)), m_stepsLabel(new QLabel(this)),
      m_lrLabel(new QLabel(this)), m_scopeLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("gammaFitWidget"));
    m_scope->addItems({QString(), QString()});  // current image, all images: texts in retranslate()
    m_method->addItems({QString(), QString()}); // uniform, per channel: texts in retranslate()
    m_steps->setRange(1, 100000);
    m_steps->setValue(analysis::GammaFitOptions{}.steps);
    m_lr->setRange(0.0, 1e4);
    m_lr->setDecimals(4);
    m_lr->setValue(0.0);
    m_earlyStop->setChecked(true);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("gammaFitStatus"));

    m_box->setObjectName(QStringLiteral("gammaFitBox"));
    retranslate();
    // The γ dock is narrow at common window sizes: each choice gets its own row (the form wraps a
    // field under its label when both do not fit) and the number and button rows wrap as needed.
    for (QComboBox* box : {m_target, m_scope, m_method}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }
    auto* form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_targetLabel, m_target);
    form->addRow(m_scopeLabel, m_scope);
    form->addRow(m_methodLabel, m_method);
    auto* row2 = new FlowLayout;
    row2->addWidget(FlowLayout::together({m_stepsLabel, m_steps}));
    row2->addWidget(FlowLayout::together({m_lrLabel, m_lr}));
    row2->addWidget(m_earlyStop);
    auto* row3 = new FlowLayout;
    row3->addWidget(m_fitButton);
    row3->addWidget(m_cancelButton);
    row3->addWidget(m_keepButton);
    row3->addWidget(m_revertButton);
    auto* inner = new QVBoxLayout(m_box);
    inner->addLayout(form);
    inner->addLayout(row2);
    inner->addLayout(row3);
    inner->addWidget(m_status);
    inner->addWidget(m_lossPlot, 1);
    // Height left over when the loss plot is hidden (the closed form) goes below the controls,
    // not between their rows.
    inner->addStretch(0);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_box);

    plot_style::applyDefaults(m_lossPlot);
    m_lossPlot->setObjectName(QStringLiteral("gammaFitLossPlot"));
    m_lossPlot->setMinimumSize(/*minw=*/200, /*minh=*/220); // as narrow as the γ dock gets
    plot_style::setLogAxis(m_lossPlot->yAxis, true);
    m_lossPlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    // The title wraps onto lines that fit the width.
    connect(m_lossPlot, &QCustomPlot::beforeReplot, m_lossPlot, [this] { plot_style::fitToWidth(m_lossPlot); });

    connect(m_fitButton, &QPushButton::clicked, this, &GammaFitWidget::startFit);
    connect(m_cancelButton, &QPushButton::clicked, this, &GammaFitWidget::cancelFit);
    connect(m_keepButton, &QPushButton::clicked, this, &GammaFitWidget::keep);
    connect(m_revertButton, &QPushButton::clicked, this, &GammaFitWidget::revert);
    connect(m_runner, &GammaFitRunner::progress, this, &GammaFitWidget::onProgress);
    connect(m_runner, &GammaFitRunner::finished, this, &GammaFitWidget::onFinished);
    connect(m_runner, &GammaFitRunner::failed, this,
            [this](const QString& m) { onEnded(tr("Fit failed: %1").arg(m), false); });
    connect(m_runner, &GammaFitRunner::cancelled, this, [this] { onEnded(tr("Fit cancelled; γ unchanged."), false); });
    connect(m_model, &AppModel::weightsChanged, this, &GammaFitWidget::rebuildTargets);
    connect(m_method, qOverload<int>(&QComboBox::currentIndexChanged), this, &GammaFitWidget::updateButtons);
    connect(m_model, &AppModel::gammaChanged, this, [this] {
        // Any other gamma change while a preview is pending means the user moved on: keep it (the
        // fit stays in the undo history) and stop asking.
        if (!m_applyingPreview && !m_previousGamma.empty() && m_model->gammaRevision() != m_previewRevision) {
            m_previousGamma.clear();
            m_status->setText(tr("γ of %1 changed after the fit; Edit → Undo steps back through every change.")
                                  .arg(QString::fromStdString(m_previousLayer)));
            updateButtons();
            Q_EMIT previewChanged();
        }
    });
    rebuildTargets();
    drawLoss();
    updateButtons();
}

GammaFitWidget::~GammaFitWidget() = default;

void GammaFitWidget::retranslate()
{
    m_box->setTitle(tr("Fit γ to a target norm")); // short: a group box is never narrower than its title
    m_box->setToolTip(tr("Adam on the cached normalized features (no network re-run) until the median after-norm "
                         "of the normalized layer matches the target layer's median norm"));
    m_targetLabel->setText(tr("target:"));
    m_targetLabel->setToolTip(tr("The layer whose median norm the normalized layer's median after-norm should match"));
    m_scopeLabel->setText(tr("over:"));
    m_scope->setItemText(0, tr("current image"));
    m_scope->setItemText(1, tr("all images with cached features"));
    m_scope->setToolTip(tr("Only images whose normalized features are still cached take part; the status "
                           "line says how many that was"));
    m_methodLabel->setText(tr("method:"));
    m_method->setItemText(0, tr("uniform γ (closed form)"));
    m_method->setItemText(1, tr("per-channel γ (Adam)"));
    m_method->setToolTip(tr("Uniform: one γ for every channel, γ = target / median ‖x̂‖, exact and unique. "
                            "Per channel: Adam moves each channel's γ; one median does not determine "
                            "hundreds of values, so the result is one of many and looks noisy"));
    m_stepsLabel->setText(tr("steps:"));
    m_lrLabel->setText(tr("lr:"));
    m_lr->setSpecialValueText(tr("auto"));
    m_lr->setToolTip(tr("Adam step size in γ units; auto sizes it from the distance to the target"));
    m_earlyStop->setText(tr("early stop"));
    m_earlyStop->setToolTip(
        tr("End the fit once the loss has not improved for %1 steps").arg(analysis::GammaFitOptions{}.patience));
    m_fitButton->setText(tr("Fit γ"));
    m_fitButton->setToolTip(tr("Adam on the cached normalized features (no network re-run): "
                               "loss = (log median after-norm − log target median)²"));
    m_cancelButton->setText(tr("Cancel"));
    m_keepButton->setText(tr("Keep"));
    m_revertButton->setText(tr("Revert"));
}

void GammaFitWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        drawLoss();
    }
}

QList<QCustomPlot*> GammaFitWidget::plots() const { return {m_lossPlot}; }
bool GammaFitWidget::isRunning() const { return m_runner->isRunning(); }
void GammaFitWidget::waitForFit() { m_runner->waitForFinished(); }
QString GammaFitWidget::status() const { return m_status->text(); }
void GammaFitWidget::setAllImages(bool all) { m_scope->setCurrentIndex(all ? 1 : 0); }
void GammaFitWidget::setSteps(int steps) { m_steps->setValue(steps); }
void GammaFitWidget::setPerChannel(bool perChannel) { m_method->setCurrentIndex(perChannel ? 1 : 0); }
bool GammaFitWidget::isPerChannel() const { return m_method->currentIndex() == 1; }
void GammaFitWidget::setEarlyStop(bool on) { m_earlyStop->setChecked(on); }

void GammaFitWidget::setLayer(const std::string& layer)
{
    m_layer = layer;
    rebuildTargets();
}

void GammaFitWidget::setTargetLayer(const std::string& layer)
{
    const int i = m_target->findText(QString::fromStdString(layer));
    if (i >= 0)
        m_target->setCurrentIndex(i);
}

void GammaFitWidget::rebuildTargets()
{
    const QString keep = m_target->currentText();
    QSignalBlocker block(m_target);
    m_target->clear();
    for (const std::string& l : m_model->layers())
        if (l != m_layer)
            m_target->addItem(QString::fromStdString(l));
    const int i = m_target->findText(keep);
    // Default: the deepest layer (fc7 for the ParseNet trio), the scale SSD's heads compare against.
    m_target->setCurrentIndex(i >= 0 ? i : m_target->count() - 1);
    updateButtons();
}

void GammaFitWidget::updateButtons()
{
    const bool running = m_runner->isRunning();
    m_fitButton->setEnabled(!running && !m_layer.empty() && m_target->count() > 0);
    // The closed form has no steps and no loss curve: show only what applies.
    for (QWidget* w : std::initializer_list<QWidget*>{m_stepsLabel, m_steps, m_lrLabel, m_lr, m_earlyStop, m_lossPlot})
        w->setVisible(isPerChannel());
    m_cancelButton->setEnabled(running);
    m_keepButton->setEnabled(!running && !m_previousGamma.empty());
    m_revertButton->setEnabled(!running && !m_previousGamma.empty());
}

bool GammaFitWidget::startFit()
{
    if (m_runner->isRunning())
        return false;
    const std::string target = m_target->currentText().toStdString();
    if (m_layer.empty() || target.empty()) {
        Q_EMIT message(tr("Fit γ: choose a normalized layer and a target layer first."));
        return false;
    }
    GammaFitRunner::Job job;
    job.layer = m_layer;
    job.targetLayer = target;
    std::vector<const analysis::NormMap*> targetMaps;
    int analysed = 0;
    auto use = [&](int i) {
        const ImageEntry& e = m_model->image(i);
        const analysis::NormMap* map = m_model->normMap(i, target, Stage::Before);
        if (e.state != ImageState::Done)
            return;
        ++analysed;
        auto cache = m_model->cache(i);
        if (!cache || !map)
            return;
        job.caches.push_back(std::move(cache));
        targetMaps.push_back(map);
    };
    if (m_scope->currentIndex() == 1) {
        for (int i = 0; i < m_model->imageCount(); ++i)
            use(i);
    } else if (m_model->currentIndex() >= 0) {
        use(m_model->currentIndex());
    }
    if (job.caches.empty()) {
        Q_EMIT message(tr("Fit γ: no analysed image with cached features yet."));
        return false;
    }
    try {
        job.targetMedian = analysis::pooledMedian(targetMaps);
    } catch (const std::exception& e) {
        Q_EMIT message(tr("Fit γ: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    job.uniform = !isPerChannel();
    job.options.steps = m_steps->value();
    job.options.lr = m_lr->value();
    if (!m_earlyStop->isChecked()) {
        job.options.patience = 0;
        job.options.lossTolerance = 0;
    }
    job.options.initGamma = m_model->gamma(m_layer);
    m_targetMedian = job.targetMedian;
    m_fitImages = static_cast<int>(job.caches.size());
    m_analysedImages = analysed;
    m_fitUniform = job.uniform;
    m_loss.clear();
    drawLoss();
    if (!m_runner->start(job))
        return false;
    m_status->setText(tr("Fitting γ of %1 to the median of %2 (%3) over %4…")
                          .arg(QString::fromStdString(m_layer), QString::fromStdString(target),
                               plot_style::formatValue(m_targetMedian), imagesUsedText()));
    updateButtons();
    return true;
}

void GammaFitWidget::cancelFit() { m_runner->cancel(); }

void GammaFitWidget::onProgress(int step, int steps, double loss)
{
    if (static_cast<int>(m_loss.size()) < step)
        m_loss.resize(static_cast<size_t>(step), loss);
    m_loss[static_cast<size_t>(step - 1)] = loss;
    if (step % 10 == 0 || step == steps)
        m_status->setText(tr("Step %1 / %2 · loss %3").arg(step).arg(steps).arg(loss, 0, 'g', 3));
    // Rebuilding the curve on every step would cost O(steps²) on the GUI thread in long fits.
    if (!m_lossDrawScheduled) {
        m_lossDrawScheduled = true;
        QTimer::singleShot(kLossRedrawMs, this, [this] {
            m_lossDrawScheduled = false;
            drawLoss();
        });
    }
}

void GammaFitWidget::onFinished(const analysis::GammaFitResult& result)
{
    m_result = result;
    m_loss = result.loss;
    // Preview: apply now (one undo step) so every after-plot shows the fitted gamma; Keep or Revert decides.
    const std::vector<float> before = m_model->gamma(m_layer);
    if (result.gamma == before) {
        // Nothing to keep or revert: say so instead of asking.
        onEnded(tr("γ of %1 already meets the target: median after-norm %2, target %3 = %4; γ unchanged.")
                    .arg(QString::fromStdString(m_layer), plot_style::formatValue(result.achievedMedian),
                         m_target->currentText(), plot_style::formatValue(result.targetMedian)),
                true);
        return;
    }
    m_applyingPreview = true;
    m_previousGamma = before;
    m_previousLayer = m_layer;
    const QString layer = QString::fromStdString(m_layer);
    const int indexBefore = m_model->undoStack()->index();
    const bool applied = ChangeGamma::push(
        m_model, m_layer, result.gamma,
        m_fitUniform ? tr("Fit uniform γ of %1 to %2").arg(layer, m_target->currentText())
                     : tr("Fit per-channel γ of %1 to %2").arg(layer, m_target->currentText()));
    m_previewRevision = m_model->gammaRevision();
    // A fit that lands on the γ already in force pushes nothing: Revert must not undo an older step.
    m_fitIndex = m_model->undoStack()->index() != indexBefore ? m_model->undoStack()->index() : -1;
    m_applyingPreview = false;
    if (!applied) {
        m_previousGamma.clear();
        onEnded(tr("Fit finished but %1 changed meanwhile; result not applied.").arg(layer), false);
        return;
    }
    Q_EMIT previewChanged();
    QString how;
    if (m_fitUniform)
        how = tr("uniform γ = %1 for every channel (closed form)")
                  .arg(plot_style::formatValue(result.gamma.empty() ? 0.f : result.gamma.front()));
    else if (result.stop == analysis::GammaFitStop::TargetReached)
        how = tr("per-channel γ, target reached after %1 of %2 steps").arg(result.stepsRun).arg(m_steps->value());
    else if (result.stop == analysis::GammaFitStop::NoImprovement)
        how = tr("per-channel γ, stopped after %1 of %2 steps: the loss stopped improving (best at step %3)")
                  .arg(result.stepsRun)
                  .arg(m_steps->value())
                  .arg(result.bestStep);
    else
        how = tr("per-channel γ, %1 steps, best at step %2").arg(result.stepsRun).arg(result.bestStep);
    onEnded(
        tr("Fitted %1: median after-norm of %2 = %3 (target %4 = %5; was %6) over %7 locations of %8. Keep or revert?")
            .arg(how, layer, plot_style::formatValue(result.achievedMedian), m_target->currentText(),
                 plot_style::formatValue(result.targetMedian), plot_style::formatValue(result.initialMedian))
            .arg(result.locations)
            .arg(imagesUsedText()),
        true);
}

QString GammaFitWidget::imagesUsedText() const
{
    if (m_scope->currentIndex() == 0 || m_fitImages == m_analysedImages)
        return tr("%n image(s)", nullptr, m_fitImages);
    return tr("%1 of %2 analysed images (the others' features are no longer cached; select an image to "
              "cache it again)")
        .arg(m_fitImages)
        .arg(m_analysedImages);
}

void GammaFitWidget::onEnded(const QString& message, bool succeeded)
{
    m_status->setText(message);
    drawLoss();
    updateButtons();
    Q_EMIT fitEnded(succeeded);
}

void GammaFitWidget::keep()
{
    if (!m_previousGamma.empty())
        m_status->setText(
            tr("Kept the fitted γ of %1 (Edit → Undo takes it back).").arg(QString::fromStdString(m_previousLayer)));
    m_previousGamma.clear();
    updateButtons();
    Q_EMIT previewChanged();
}

void GammaFitWidget::revert()
{
    if (m_previousGamma.empty())
        return;
    const std::vector<float> restore = m_previousGamma;
    m_previousGamma.clear();
    // Revert is the undo of the fit's step (Edit → Redo brings the fit back).
    QUndoStack* stack = m_model->undoStack();
    if (m_fitIndex >= 0 && stack->index() == m_fitIndex && m_model->gammaRevision() == m_previewRevision)
        stack->undo();
    else if (m_model->gamma(m_previousLayer) != restore)
        ChangeGamma::push(m_model, m_previousLayer, restore,
                          tr("Revert the fit of %1").arg(QString::fromStdString(m_previousLayer)));
    m_status->setText(tr("Reverted to the γ before the fit."));
    updateButtons();
    Q_EMIT previewChanged();
}

void GammaFitWidget::drawLoss()
{
    m_lossPlot->clearPlottables();
    // The formula goes in the title, which wraps: as the y label it would be longer than the axis
    // of a plot in the narrow γ dock.
    plot_style::setTitle(m_lossPlot, tr("Fit γ: loss = (log median − log target)² per Adam step"), m_model);
    m_lossPlot->xAxis->setLabel(tr("Adam step"));
    m_lossPlot->yAxis->setLabel(tr("loss"));
    auto* graph = m_lossPlot->addGraph();
    graph->setName(tr("loss"));
    graph->setPen(QPen(plot_style::afterColor(), 2));
    QVector<double> k, v;
    double lo = 1, hi = 1;
    for (size_t i = 0; i < m_loss.size(); ++i) {
        const double l = std::max(m_loss[i], kLossFloor);
        k << static_cast<double>(i);
        v << l;
        lo = i == 0 ? l : std::min(lo, l);
        hi = i == 0 ? l : std::max(hi, l);
    }
    graph->setData(k, v, /*alreadySorted=*/true);
    m_lossPlot->xAxis->setRange(0, std::max<double>(m_steps->value(), 1));
    if (!m_loss.empty())
        m_lossPlot->yAxis->setRange(lo / 3, hi * 3);
    else
        m_lossPlot->yAxis->setRange(1e-6, 10);
    m_lossPlot->legend->setVisible(false);
    m_lossPlot->replot(QCustomPlot::rpQueuedReplot);
}

QJsonObject GammaFitWidget::viewState() const
{
    return QJsonObject{{QStringLiteral("target"), m_target->currentText()},
                       {QStringLiteral("allImages"), m_scope->currentIndex() == 1},
                       {QStringLiteral("perChannel"), isPerChannel()},
                       {QStringLiteral("steps"), m_steps->value()},
                       {QStringLiteral("lr"), m_lr->value()}};
}

void GammaFitWidget::restoreViewState(const QJsonObject& state)
{
    setTargetLayer(state.value(QStringLiteral("target")).toString().toStdString());
    setAllImages(state.value(QStringLiteral("allImages")).toBool(false));
    setPerChannel(state.value(QStringLiteral("perChannel")).toBool(false));
    if (state.contains(QStringLiteral("steps")))
        m_steps->setValue(state.value(QStringLiteral("steps")).toInt());
    if (state.contains(QStringLiteral("lr")))
        m_lr->setValue(state.value(QStringLiteral("lr")).toDouble());
}

} // namespace featscale::ui
