// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/trajectory/checkpoint_scales.h"
#include "analysis/trajectory/trajectory.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// The header lines of gamma.csv and trajectory.csv (README "Output formats").
inline constexpr const char* kGammaCsvHeader = "checkpoint,step,layer,channel,gamma";
inline constexpr const char* kTrajectoryCsvHeader =
    "checkpoint,step,step_source,layer,stage,channels,gamma_mean,gamma_std,gamma_min,gamma_max,gamma_cv,"
    "near_uniform,images,median,p5,p95,mean_abs,reference,ratio,percentiles";

/// Writes a trajectory directory (README "Output formats"): gamma.csv (every γ value), trajectory.csv
/// (per checkpoint γ's summary per normalized layer and, with images, each layer's scale) and
/// trajectory.json (the order, steps and their sources, notes, flags, failures). Rows stream to
/// temporary files as checkpoints are added, so memory does not grow with the number of
/// checkpoints; the three files replace earlier ones together at finish(). A writer destroyed
/// unfinished leaves the earlier directory as it was. One thread.
class TrajectoryWriter {
public:
    /// notes: the trajectory's (orderByStep); images: how many image inputs each checkpoint sees
    /// (0: γ only).
    TrajectoryWriter(const std::string& dir, std::vector<std::string> notes, std::size_t images);
    ~TrajectoryWriter();
    TrajectoryWriter(const TrajectoryWriter&) = delete;
    TrajectoryWriter& operator=(const TrajectoryWriter&) = delete;

    /// A checkpoint in training order, with its scales when images were analysed.
    void add(const TrajectoryCheckpoint& checkpoint, const CheckpointScales* scales = nullptr);
    /// A checkpoint that could not be read or analysed (kept out of the CSV files).
    void addFailure(const TrajectoryCheckpoint& checkpoint, const std::string& error);
    /// Near-uniform γ flags so far, one sentence each ("conv4_3 at step 20 (a.pth): γ cv 0.0 %: ...").
    const std::vector<std::string>& flags() const;
    std::size_t added() const;
    /// Publishes the files; interrupted records that the run stopped before every checkpoint.
    void finish(bool interrupted = false);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// A trajectory directory read back (what a figure or the GUI needs).
struct TrajectoryData {
    struct Point {
        std::string checkpoint; ///< as given (unescaped)
        std::optional<std::int64_t> step;
        std::string stepSource;
        std::map<std::string, std::vector<float>> gammas; ///< per normalized layer, from gamma.csv
        std::vector<StageScale> scales;                   ///< with images only
        std::size_t images = 0;
    };
    std::vector<Point> checkpoints; ///< training order
    std::vector<std::string> notes, flags;
    std::vector<std::pair<std::string, std::string>> failed; ///< checkpoint, error
    std::string reference;                                   ///< ratio reference layer (with images)
    bool interrupted = false;
};

/// Reads a directory TrajectoryWriter wrote. Throws Error naming the file, line and problem
/// (missing or non-regular file, over 256 MiB, malformed row, a checkpoint or channel missing or
/// repeated, numbers that are not numbers).
TrajectoryData readTrajectory(const std::string& dir);

} // namespace featscale::analysis
