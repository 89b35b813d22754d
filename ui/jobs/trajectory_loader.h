// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "analysis/trajectory/trajectory_files.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace featscale::ui {

/// A training run as the Training tab holds it: the checkpoints loadTrajectory read (in training
/// order, failed ones with their error), each one's scales over the images when images were used,
/// and whether the load ran to the end. Plain data, copied between threads.
struct TrajectoryRun {
    analysis::Trajectory trajectory;
    /// Parallel to trajectory.checkpoints: the scales over the images (with images only; empty
    /// for a checkpoint not analysed, its error then in analysisErrors).
    std::vector<std::optional<analysis::CheckpointScales>> scales;
    std::vector<std::string> analysisErrors; ///< parallel to trajectory.checkpoints; "" when fine
    std::size_t images = 0;                  ///< image inputs each checkpoint saw (0: γ only)
    std::string reference;                   ///< the layer the ratios are to (with images)
    bool complete = true;                    ///< false: cancelled, the checkpoints done so far kept

    /// The checkpoints that were read (and analysed, with images).
    std::size_t usable() const;
    /// What the figure draws: the usable checkpoints in training order (analysis::TrajectoryData,
    /// as readTrajectory returns it for a directory the CLI wrote).
    analysis::TrajectoryData figureData() const;
    /// Writes gamma.csv, trajectory.csv and trajectory.json into dir through the engine's
    /// TrajectoryWriter (atomic, together). Throws analysis::Error naming the directory.
    void write(const std::string& dir) const;
};

/// Loads a training run off the GUI thread (QtConcurrent): the checkpoints' γ and steps
/// (analysis::loadTrajectory) and, with images, every checkpoint over them
/// (analysis::analyzeCheckpoint). Reports progress per checkpoint through queued signals, then
/// exactly one finished(). cancel() stops between checkpoints (and between images); what was done
/// until then is kept (TrajectoryRun::complete false).
///
/// Owned by a widget on the GUI thread; one load at a time. The destructor cancels and waits, so
/// no signal reaches a destroyed receiver.
class TrajectoryLoader : public QObject {
    Q_OBJECT
public:
    struct Job {
        std::vector<std::string> checkpoints;
        std::vector<std::string> images; ///< empty: γ only
        analysis::AnalyzerOptions options;
    };
    explicit TrajectoryLoader(QObject* parent = nullptr);
    ~TrajectoryLoader() override;

    bool isRunning() const { return m_running; }
    /// Starts a load; false (nothing done) while one runs.
    bool start(const Job& job);
    void cancel();
    void waitForFinished();

Q_SIGNALS:
    /// done of total checkpoints; analysing is true in the second pass (over the images).
    void progress(int done, int total, bool analysing);
    void finished(const featscale::ui::TrajectoryRun& run);

private:
    QFuture<void> m_future;
    bool m_running = false; ///< GUI thread only
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace featscale::ui

Q_DECLARE_METATYPE(featscale::ui::TrajectoryRun)
