// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/gamma_fit.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace featscale::analysis {
class FeatureCache;
}

namespace featscale::ui {

/// Runs analysis::fitGamma off the GUI thread (QtConcurrent) and reports back through queued
/// signals: a progress signal per Adam step (for the live loss curve), then exactly one of
/// finished / failed / cancelled.
///
/// Owned by a widget on the GUI thread. One fit at a time. The destructor cancels a running fit
/// and waits for it (the fit checks for cancellation every step, i.e. within milliseconds), so
/// no signal ever reaches a destroyed receiver.
class GammaFitRunner : public QObject {
    Q_OBJECT
public:
    /// Everything a fit needs, captured by value: the caches are immutable and thread-safe.
    struct Job {
        std::vector<std::shared_ptr<const analysis::FeatureCache>> caches;
        std::string layer;       ///< normalized layer whose gamma is fitted
        std::string targetLayer; ///< for messages only
        double targetMedian = 0;
        /// The closed-form uniform γ (analysis::fitUniformGamma) instead of the per-channel Adam
        /// fit; the result then has one γ value repeated per channel and no loss curve.
        bool uniform = false;
        analysis::GammaFitOptions options;
    };

    explicit GammaFitRunner(QObject* parent = nullptr);
    ~GammaFitRunner() override;

    bool isRunning() const;
    /// Starts a fit; returns false (and does nothing) while one is running.
    bool start(const Job& job);
    /// Asks the running fit to stop at its next step.
    void cancel();
    /// Blocks until the running fit (if any) has ended; for tests and shutdown.
    void waitForFinished();

Q_SIGNALS:
    void progress(int step, int steps, double loss);
    void finished(const featscale::analysis::GammaFitResult& result);
    void failed(const QString& message);
    void cancelled();

private:
    QFuture<void> m_future;
    bool m_running = false; ///< GUI thread only
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace featscale::ui

Q_DECLARE_METATYPE(featscale::analysis::GammaFitResult)
