// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>

class QThread;

namespace featscale::ui {

class AppModel;
class BatchWorker;

/// Runs the engine for AppModel's queued images, one at a time, on a worker thread.
///
/// The Analyzer is created on the worker thread (BatchWorker) and never touched from the GUI
/// thread; each step (prepare engine, analyse one image) is posted there and its outcome posted
/// back, so the GUI thread only ever applies finished results. The queue lives here, on the GUI
/// thread, as file paths (indices shift when the user removes images mid-run).
///
/// A new engine (weights, arch, preset, size, layers, eps) is built first; only when that
/// succeeds are images re-queued, so a wrong weight file leaves everything on screen as it was.
/// Results stay until replaced: a re-run marks images pending and each keeps its previous result
/// until the new one arrives; Cancel leaves the rest as they were. The batch counts are the
/// model's (AppModel::batchCounts), so the progress bar and the image list agree.
class BatchController : public QObject {
    Q_OBJECT
public:
    explicit BatchController(AppModel* model, QObject* parent = nullptr);
    ~BatchController() override;

    bool isRunning() const;    ///< a batch of images is being analysed
    bool isBusy() const;       ///< anything (engine preparation, analysis) is in flight
    bool isPreparing() const;  ///< an engine is being created (weights being read)
    bool wasCancelled() const; ///< the last batch (or engine load) ended by Cancel
    int batchDone() const;     ///< AppModel::batchCounts().done
    int batchTotal() const;    ///< AppModel::batchCounts().total
    int enginesBuilt() const;  ///< engines actually created (a reused engine does not count)
    double etaSeconds() const; ///< < 0 when unknown
    double lastForwardMs() const;

public Q_SLOTS:
    /// Builds the engine from AppModel::options() if none exists, then analyses queued images.
    void start();
    /// Rebuilds the engine from AppModel::options() and re-analyses every image.
    void rerun();
    /// Stops after the current layer; the rest of the batch stays queued and images waiting for
    /// re-analysis keep their previous results. Pressed while weights load, the engine in use
    /// before stays (the first engine of a window is kept, but no image starts).
    void cancel();

Q_SIGNALS:
    void statusChanged(); ///< progress, ETA or busy state changed
    void engineFailed(const QString& error);
    /// A short user-level message for the message bar; `details` (file names, the engine's wording)
    /// is shown on request.
    void message(const QString& text, const QString& details = {});

private:
    struct Job {
        QString path;
        bool refresh = false; ///< re-analysis to rebuild a dropped FeatureCache; state stays Done
    };
    void prepareEngine(bool requeue);
    void pump();
    void enqueueQueued();
    void onCacheNeeded(int index);
    void finishBatch();

    AppModel* m_model;
    QThread* m_thread;
    BatchWorker* m_worker;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::deque<Job> m_queue;
    std::optional<Job> m_active;
    bool m_preparing = false;
    bool m_haveEngine = false;
    bool m_pendingRerun = false;
    bool m_cancelledWhilePreparing = false; ///< Cancel pressed while the engine was being built
    bool m_wasCancelled = false;
    std::optional<analysis::AnalyzerOptions> m_lastGoodOptions;
    int m_enginesBuilt = 0;
    int m_timed = 0; ///< images of this batch timed for the ETA
    double m_sumMs = 0;
    double m_lastForwardMs = -1;
    QElapsedTimer m_jobTimer;
};

} // namespace featscale::ui
