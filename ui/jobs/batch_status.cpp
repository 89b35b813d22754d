// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/batch_status.h"

#include "ui/jobs/batch_controller.h"
#include "ui/state/app_model.h"
#include "ui/state/untrained_text.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include <cmath>

namespace featscale::ui {

QString formatDuration(double seconds)
{
    const int s = static_cast<int>(std::lround(seconds));
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

BatchStatus::BatchStatus(AppModel* model, BatchController* controller, QWidget* parent)
    : QWidget(parent), m_model(model), m_controller(controller), m_weights(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QPushButton(this)), m_forward(new QLabel(this))
{
    setObjectName(QStringLiteral("batchStatus"));
    m_weights->setObjectName(QStringLiteral("statusWeights"));
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMinimumWidth(220);
    m_progress->setTextVisible(true);
    m_cancel->setObjectName(QStringLiteral("cancelRun"));
    retranslate();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_weights);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    layout->addWidget(m_forward);
    connect(m_cancel, &QPushButton::clicked, m_controller, &BatchController::cancel);
    connect(m_controller, &BatchController::statusChanged, this, &BatchStatus::refresh);
    connect(m_model, &AppModel::weightsChanged, this, &BatchStatus::refreshWeights);
    connect(m_model, &AppModel::engineLoadingChanged, this, [this] {
        refreshWeights();
        refresh();
    });
    // The counts are the list's: any change of an entry (or of the list) can change them.
    connect(m_model, &AppModel::imageStateChanged, this, &BatchStatus::refresh);
    connect(m_model, &AppModel::imagesChanged, this, &BatchStatus::refresh);
    refresh();
    refreshWeights();
}

void BatchStatus::retranslate()
{
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the run after the current layer (Esc)"));
    m_forward->setToolTip(tr("Time of the last forward pass through the network"));
}

void BatchStatus::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refresh();
        refreshWeights();
    }
}

QString BatchStatus::weightsText() const { return m_weights->text(); }

void BatchStatus::refreshWeights()
{
    if (m_model->isLoadingEngine()) {
        const QString path = m_model->loadingWeightsPath();
        m_weights->setText(
            tr("loading weights: %1…")
                .arg(path.isEmpty() ? tr("the default weights") : QFileInfo(path).fileName().toHtmlEscaped()));
        m_weights->setToolTip(path);
        return;
    }
    if (!m_model->hasEngine()) {
        m_weights->setText(tr("no weights loaded"));
        m_weights->setToolTip(QString());
        return;
    }
    const auto& w = m_model->weights();
    if (w.untrained) {
        m_weights->setText(QStringLiteral("<span style='color:#c62828;font-weight:bold'>%1</span>")
                               .arg(UntrainedText::mark().toHtmlEscaped()));
        m_weights->setToolTip(UntrainedText::sentence(w.seed));
    } else {
        m_weights->setText(QString::fromStdString(w.displayName).toHtmlEscaped());
        m_weights->setToolTip(QString::fromStdString(w.summary()));
    }
}

QString BatchStatus::progressText() const { return m_progress->format(); }

void BatchStatus::refresh()
{
    const BatchCounts counts = m_model->batchCounts();
    // Cancel stops whatever is in flight, weights loading included.
    m_cancel->setEnabled(m_controller->isBusy());
    if (m_controller->isPreparing() || m_model->isLoadingEngine()) {
        m_progress->setRange(0, 0); // busy indicator: reading a weight file has no steps to count
        m_progress->setFormat(tr("loading weights…"));
    } else if (counts.total > 0 && m_model->imageCount() > 0) {
        m_progress->setRange(0, counts.total);
        m_progress->setValue(counts.done);
        QString text = tr("%1 / %2 images").arg(counts.done).arg(counts.total);
        const double eta = m_controller->etaSeconds();
        if (m_controller->isRunning() && eta >= 0)
            text += tr(" · ETA %1").arg(formatDuration(eta));
        else if (!m_controller->isBusy() && m_controller->wasCancelled() && counts.done < counts.total)
            text += tr(" · cancelled");
        m_progress->setFormat(text);
    } else {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setFormat(m_model->imageCount() == 0 ? tr("no images") : tr("idle"));
    }
    const double ms = m_controller->lastForwardMs();
    m_forward->setText(ms >= 0 && m_model->imageCount() > 0 ? tr("forward %1 ms").arg(ms, 0, 'f', 0) : QString());
}

} // namespace featscale::ui
