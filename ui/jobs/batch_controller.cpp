// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/batch_controller.h"

#include "ui/jobs/batch_worker.h"
#include "ui/state/app_model.h"

#include <QFileInfo>
#include <QMetaObject>
#include <QThread>

#include <algorithm>

namespace featscale::ui {

namespace {
QString weightsName(const std::string& path)
{
    return path.empty() ? BatchController::tr("the default weights")
                        : QFileInfo(QString::fromStdString(path)).fileName();
}
} // namespace

BatchController::BatchController(AppModel* model, QObject* parent)
    : QObject(parent), m_model(model), m_thread(new QThread(this)), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    m_thread->setObjectName(QStringLiteral("featscale-engine"));
    m_worker = new BatchWorker(m_cancel);
    m_worker->moveToThread(m_thread);
    m_thread->start();

    connect(m_model, &AppModel::imagesChanged, this, [this] {
        // Drop queued jobs of removed images; pick up new ones.
        m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                                     [this](const Job& j) { return m_model->indexOf(j.path) < 0; }),
                      m_queue.end());
        if (m_active && m_model->indexOf(m_active->path) < 0)
            m_cancel->store(true); // its image is gone: stop wasting the cores on it
        enqueueQueued();
        pump();
    });
    connect(m_model, &AppModel::cacheNeeded, this, &BatchController::onCacheNeeded);
}

BatchController::~BatchController()
{
    m_cancel->store(true);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

bool BatchController::isRunning() const { return m_active.has_value() || !m_queue.empty(); }
bool BatchController::isBusy() const { return m_preparing || isRunning(); }
bool BatchController::isPreparing() const { return m_preparing; }
bool BatchController::wasCancelled() const { return m_wasCancelled; }
int BatchController::batchDone() const { return m_model->batchCounts().done; }
int BatchController::batchTotal() const { return m_model->batchCounts().total; }
int BatchController::enginesBuilt() const { return m_enginesBuilt; }
double BatchController::lastForwardMs() const { return m_lastForwardMs; }

double BatchController::etaSeconds() const
{
    const BatchCounts c = m_model->batchCounts();
    if (m_timed == 0 || c.total <= c.done)
        return -1;
    return m_sumMs / m_timed * (c.total - c.done) / 1000.0;
}

void BatchController::start()
{
    m_cancelledWhilePreparing = false;
    if (!m_haveEngine) {
        if (!m_preparing)
            prepareEngine(/*requeue=*/false);
        return;
    }
    enqueueQueued();
    pump();
}

void BatchController::rerun()
{
    m_cancelledWhilePreparing = false;
    if (m_preparing || m_active) {
        // Finish (or cancel) what is in flight first; the outcome handler resumes the re-run.
        m_pendingRerun = true;
        if (m_active)
            m_cancel->store(true);
        m_queue.clear();
        return;
    }
    m_queue.clear();
    prepareEngine(/*requeue=*/true);
}

void BatchController::cancel()
{
    const bool hadWork = isBusy();
    m_cancel->store(true);
    m_pendingRerun = false;
    m_queue.clear();
    m_model->cancelPending(tr("cancelled"));
    // The engine being built finishes (it cannot be interrupted); its outcome handler decides.
    if (m_preparing)
        m_cancelledWhilePreparing = true;
    if (hadWork)
        m_wasCancelled = true;
    if (!m_active && !m_preparing && hadWork)
        finishBatch();
    Q_EMIT statusChanged();
}

void BatchController::prepareEngine(bool requeue)
{
    m_preparing = true;
    m_wasCancelled = false;
    if (requeue)
        m_model->beginBatch(); // the last batch's counts are over: the bar shows the loading
    analysis::AnalyzerOptions options = m_model->options();
    // The concat view and probes read raw activations at the pinned cell.
    options.keepActivations = true;
    m_model->setLoadingEngine(true, QString::fromStdString(options.weightsPath));
    Q_EMIT statusChanged();
    BatchWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker, options, requeue] {
            auto outcome = std::make_shared<BatchWorker::EngineOutcome>(worker->prepare(options));
            QMetaObject::invokeMethod(
                this,
                [this, outcome, options, requeue] {
                    m_preparing = false;
                    m_model->setLoadingEngine(false);
                    if (outcome->ok && !outcome->reused)
                        ++m_enginesBuilt;
                    const bool cancelled = m_cancelledWhilePreparing;
                    m_cancelledWhilePreparing = false;
                    if (outcome->ok && cancelled && m_haveEngine && !outcome->reused) {
                        // Cancel while new weights loaded: back to the engine in use before.
                        QMetaObject::invokeMethod(
                            m_worker, [worker = m_worker] { worker->revert(); }, Qt::QueuedConnection);
                        if (m_lastGoodOptions)
                            m_model->setOptions(*m_lastGoodOptions);
                        Q_EMIT message(
                            tr("Loading %1 was cancelled; still using %2.")
                                .arg(weightsName(options.weightsPath), weightsName(m_model->weights().path)));
                        m_pendingRerun = false;
                        m_wasCancelled = true;
                        Q_EMIT statusChanged();
                        return;
                    }
                    if (outcome->ok) {
                        QMetaObject::invokeMethod(
                            m_worker, [worker = m_worker] { worker->commit(); }, Qt::QueuedConnection);
                        m_haveEngine = true;
                        analysis::AnalyzerOptions used = options;
                        used.arch = outcome->info.run.arch;
                        m_lastGoodOptions = used;
                        // Show (and save) the topology actually in use, not the one the weights overrode.
                        analysis::AnalyzerOptions now = m_model->options();
                        if (now.weightsPath == options.weightsPath && now.arch != used.arch) {
                            now.arch = used.arch;
                            m_model->setOptions(now);
                        }
                        m_model->setEngine(outcome->info);
                        if (requeue && !cancelled)
                            m_model->requeueAll();
                        if (m_pendingRerun && requeue)
                            m_pendingRerun = false;
                    } else {
                        Q_EMIT message(tr("The weights %1 could not be loaded; still using %2.")
                                           .arg(weightsName(options.weightsPath),
                                                m_haveEngine ? weightsName(m_model->weights().path) : tr("no weights")),
                                       outcome->error);
                        Q_EMIT engineFailed(outcome->error);
                        // Show the settings that are actually in use again.
                        if (m_lastGoodOptions)
                            m_model->setOptions(*m_lastGoodOptions);
                        m_pendingRerun = false;
                    }
                    if (m_pendingRerun) {
                        m_pendingRerun = false;
                        prepareEngine(/*requeue=*/true);
                        return;
                    }
                    if (cancelled) {
                        m_model->cancelPending(tr("cancelled"));
                        m_wasCancelled = true;
                        Q_EMIT statusChanged();
                        return;
                    }
                    enqueueQueued();
                    pump();
                    Q_EMIT statusChanged();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void BatchController::enqueueQueued()
{
    if (!m_haveEngine || m_preparing)
        return;
    const QList<int> queued = m_model->queuedImages();
    if (!isRunning() && !queued.isEmpty()) {
        // A new batch: the counts start from the images it analyses.
        m_model->beginBatch();
        m_timed = 0;
        m_sumMs = 0;
        m_wasCancelled = false;
    }
    for (int index : queued) {
        const QString path = m_model->image(index).path;
        const bool known = (m_active && m_active->path == path && !m_active->refresh) ||
                           std::any_of(m_queue.begin(), m_queue.end(),
                                       [&](const Job& j) { return j.path == path && !j.refresh; });
        if (known)
            continue;
        m_queue.push_back(Job{path, false});
        m_model->addToBatch(index);
    }
    Q_EMIT statusChanged();
}

void BatchController::onCacheNeeded(int index)
{
    if (index < 0 || index >= m_model->imageCount())
        return;
    const QString path = m_model->image(index).path;
    if ((m_active && m_active->path == path) ||
        std::any_of(m_queue.begin(), m_queue.end(), [&](const Job& j) { return j.path == path; }))
        return;
    // The image on screen goes first: the user is looking at it.
    m_queue.push_front(Job{path, true});
    pump();
}

void BatchController::pump()
{
    if (m_preparing || m_active || !m_haveEngine)
        return;
    while (!m_queue.empty()) {
        Job job = m_queue.front();
        m_queue.pop_front();
        const int index = m_model->indexOf(job.path);
        if (index < 0)
            continue;
        if (!job.refresh)
            m_model->setImageState(index, ImageState::Running,
                                   m_model->image(index).result ? m_model->image(index).error : QString());
        m_cancel->store(false);
        m_active = job;
        m_jobTimer.start();
        Q_EMIT statusChanged();
        BatchWorker* worker = m_worker;
        QMetaObject::invokeMethod(
            worker,
            [this, worker, job] {
                auto outcome = std::make_shared<BatchWorker::ImageOutcome>(worker->analyze(job.path));
                QMetaObject::invokeMethod(
                    this,
                    [this, outcome, job] {
                        m_active.reset();
                        const double ms = static_cast<double>(m_jobTimer.elapsed());
                        const int idx = m_model->indexOf(job.path);
                        if (idx >= 0) {
                            if (outcome->ok) {
                                m_lastForwardMs = outcome->result->forwardMs;
                                m_model->setImageResult(idx, std::move(*outcome->result), outcome->usedGamma);
                            } else if (outcome->cancelled) {
                                // Not re-analysed: the previous result (if any) stays, still pending.
                                const ImageEntry& e = m_model->image(idx);
                                if (!job.refresh && e.state == ImageState::Running)
                                    m_model->setImageState(idx, e.result ? ImageState::Done : ImageState::Queued,
                                                           e.result ? e.error : tr("cancelled"));
                            } else {
                                m_model->setImageState(idx, ImageState::Failed, outcome->error);
                            }
                        }
                        if (!job.refresh && outcome->ok) {
                            ++m_timed;
                            m_sumMs += ms;
                        }
                        if (m_pendingRerun) {
                            m_pendingRerun = false;
                            prepareEngine(/*requeue=*/true);
                            return;
                        }
                        if (m_queue.empty())
                            finishBatch();
                        pump();
                        Q_EMIT statusChanged();
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
        return;
    }
}

void BatchController::finishBatch()
{
    m_model->endBatch();
    Q_EMIT statusChanged();
}

} // namespace featscale::ui
