// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// One checkpoint of a training run: where it is, which step it was saved at and its learned
/// L2Norm gammas.
struct TrajectoryCheckpoint {
    std::string path;
    int given = 0; ///< position in the order given (0-based)
    std::optional<std::int64_t> step;
    /// Where the step came from: the file's own record (CheckpointGammas::stepSource: "meta.iter",
    /// "epoch", ...), else "file name _iter_N" or "file name"; empty when there is none.
    std::string stepSource;
    std::map<std::string, std::vector<float>> gammas; ///< per normalized tap
    std::string readMode;                             ///< CheckpointGammas::readMode
    std::uint64_t bytesRead = 0, fileBytes = 0;
    std::string error; ///< non-empty: the checkpoint could not be read and is skipped
};

/// Checkpoints in training order, with what the order rests on.
struct Trajectory {
    std::vector<TrajectoryCheckpoint> checkpoints; ///< by step; failed ones included (error set)
    /// Sentences for the user: checkpoints sharing a step, checkpoints without one (both keep the
    /// order given), the order's source when the files disagree on it.
    std::vector<std::string> notes;
    /// False when progress asked to stop: the checkpoints read until then, ordered.
    bool complete = true;
};

/// γ of one layer at one checkpoint, summarised. cv = std / |mean| (population std).
struct GammaSummary {
    int channels = 0;
    double mean = 0, std = 0, min = 0, max = 0, cv = 0;
    /// cv below kNearUniformCv: one shared scale would do (Caffe's Normalize `channel_shared`).
    bool nearUniform = false;
};
inline constexpr double kNearUniformCv = 0.01;
/// The sentence a near-uniform γ is flagged with.
inline constexpr const char* kNearUniformNote = "one shared scale would do (Caffe `channel_shared`)";

GammaSummary summarizeGamma(const std::vector<float>& gamma);

/// The weight files of a checkpoint directory (not recursive): .pth .pt .pkl .tar .ckpt .bin
/// .caffemodel .t7 .h5 .onnx, sorted by name. Throws Error naming dir when it cannot be listed.
std::vector<std::string> checkpointFiles(const std::string& dir);

/// Orders checkpoints by step, stably: ties keep the order given, checkpoints without a step come
/// after those with one, in the order given; notes say so (`given` must be set).
void orderByStep(Trajectory& trajectory);

/// Reads each checkpoint's gammas and step (readCheckpointGammas: γ's records only where the
/// format allows; one checkpoint in memory at a time), takes the step from the file name where the
/// file records none, and orders them (orderByStep). A checkpoint that cannot be read is kept with
/// its error. progress(done, total) after each checkpoint; returning false stops there (complete
/// is then false). Any thread; no shared state.
Trajectory loadTrajectory(const std::vector<std::string>& paths, const ProgressFn& progress = {});

} // namespace featscale::analysis
