// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run_controller.h"

#include "ui/app_model.h"
#include "ui/run_worker.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>

namespace featscale::ui {

RunController::RunController(AppModel* model, QObject* parent)
    : QObject(parent), m_model(model), m_thread(new QThread(this)),
      m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    m_thread->setObjectName(QStringLiteral("featscale-engine"));
    m_worker = new RunWorker(m_cancel);
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
    connect(m_model, &AppModel::cacheNeeded, this, &RunController::onCacheNeeded);
    connect(m_model, &AppModel::rerunRequested, this, &RunController::rerun);
}

RunController::~RunController()
{
    m_cancel->store(true);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

bool RunController::isRunning() const { return m_active.has_value() || !m_queue.empty(); }
bool RunController::isBusy() const { return m_preparing || isRunning(); }
int RunController::batchDone() const { return m_done; }
int RunController::batchTotal() const { return m_total; }
double RunController::lastForwardMs() const { return m_lastForwardMs; }

double RunController::etaSeconds() const
{
    if (m_done == 0 || m_total <= m_done)
        return -1;
    return m_sumMs / m_done * (m_total - m_done) / 1000.0;
}

void RunController::start()
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

void RunController::rerun()
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

void RunController::cancel()
{
    m_cancel->store(true);
    m_pendingRerun = false;
    const bool hadWork = !m_queue.empty();
    for (const Job& job : m_queue) {
        const int index = m_model->indexOf(job.path);
        if (index >= 0 && !job.refresh)
            m_model->setImageState(index, ImageState::Queued, tr("cancelled"));
    }
    m_queue.clear();
    // The engine being built finishes (it is needed anyway), but no image starts after it.
    if (m_preparing)
        m_cancelledWhilePreparing = true;
    if (!m_active && hadWork)
        finishBatch();
    Q_EMIT statusChanged();
}

void RunController::prepareEngine(bool requeue)
{
    m_preparing = true;
    Q_EMIT statusChanged();
    analysis::AnalyzerOptions options = m_model->options();
    // The concat view and probes read raw activations at the pinned cell.
    options.keepActivations = true;
    RunWorker* worker = m_worker;
    QMetaObject::invokeMethod(worker, [this, worker, options, requeue] {
        auto outcome = std::make_shared<RunWorker::EngineOutcome>(worker->prepare(options));
        QMetaObject::invokeMethod(this, [this, outcome, options, requeue] {
            m_preparing = false;
            if (outcome->ok) {
                m_haveEngine = true;
                m_lastGoodOptions = options;
                m_model->setEngine(outcome->info);
                if (requeue)
                    m_model->requeueAll();
                if (m_pendingRerun && requeue)
                    m_pendingRerun = false;
            } else {
                const QString text = tr("Could not load the engine: %1").arg(outcome->error);
                Q_EMIT engineFailed(text);
                m_model->postMessage(text);
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
            if (m_cancelledWhilePreparing) {
                m_cancelledWhilePreparing = false;
                for (int index : m_model->queuedImages())
                    m_model->setImageState(index, ImageState::Queued, tr("cancelled"));
                Q_EMIT statusChanged();
                return;
            }
            enqueueQueued();
            pump();
            Q_EMIT statusChanged();
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void RunController::enqueueQueued()
{
    if (!m_haveEngine)
        return;
    if (!isRunning()) {
        m_done = 0;
        m_total = 0;
        m_sumMs = 0;
    }
    for (int index : m_model->queuedImages()) {
        const QString path = m_model->image(index).path;
        const bool known = (m_active && m_active->path == path && !m_active->refresh)
                           || std::any_of(m_queue.begin(), m_queue.end(),
                                          [&](const Job& j) { return j.path == path && !j.refresh; });
        if (known)
            continue;
        m_queue.push_back(Job{path, false});
        ++m_total;
    }
    Q_EMIT statusChanged();
}

void RunController::onCacheNeeded(int index)
{
    if (index < 0 || index >= m_model->imageCount())
        return;
    const QString path = m_model->image(index).path;
    if ((m_active && m_active->path == path)
        || std::any_of(m_queue.begin(), m_queue.end(), [&](const Job& j) { return j.path == path; }))
        return;
    // The image on screen goes first: the user is looking at it.
    m_queue.push_front(Job{path, true});
    pump();
}

void RunController::pump()
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
            m_model->setImageState(index, ImageState::Running);
        m_cancel->store(false);
        m_active = job;
        m_jobTimer.start();
        Q_EMIT statusChanged();
        RunWorker* worker = m_worker;
        QMetaObject::invokeMethod(worker, [this, worker, job] {
            auto outcome = std::make_shared<RunWorker::ImageOutcome>(worker->analyze(job.path));
            QMetaObject::invokeMethod(this, [this, outcome, job] {
                m_active.reset();
                const double ms = static_cast<double>(m_jobTimer.elapsed());
                const int idx = m_model->indexOf(job.path);
                if (idx >= 0) {
                    if (outcome->ok) {
                        m_lastForwardMs = outcome->result->forwardMs;
                        m_model->setImageResult(idx, std::move(*outcome->result), outcome->usedGamma);
                    } else if (outcome->cancelled) {
                        if (!job.refresh)
                            m_model->setImageState(idx, ImageState::Queued, tr("cancelled"));
                    } else {
                        m_model->setImageState(idx, ImageState::Failed, outcome->error);
                    }
                }
                if (!job.refresh) {
                    ++m_done;
                    m_sumMs += ms;
                    Q_EMIT m_model->runProgress(m_done, m_total);
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
            }, Qt::QueuedConnection);
        }, Qt::QueuedConnection);
        return;
    }
}

void RunController::finishBatch()
{
    Q_EMIT m_model->runFinished();
    Q_EMIT statusChanged();
}

} // namespace featscale::ui
