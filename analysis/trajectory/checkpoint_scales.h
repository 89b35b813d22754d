// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_data.h"

#include <functional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// One layer and stage at one checkpoint, aggregated over the images as `analyze` aggregates them
/// (its `*` rows of summary.csv).
struct StageScale {
    std::string layer;
    Stage stage = Stage::Before;
    double median = 0, p5 = 0, p95 = 0;
    double meanAbs = 0;         ///< mean |x| per element (LayerStats::meanAbs)
    double ratio = 0;           ///< median / the reference layer's median before L2Norm (medianRatio)
    bool fromHistogram = false; ///< percentiles from the merged histogram (several images)
};

/// The images through one checkpoint.
struct CheckpointScales {
    std::vector<StageScale> stages; ///< network order, before then after per layer
    std::string reference;          ///< the layer the ratios are to, before L2Norm
    std::size_t images = 0;         ///< images analysed
    std::vector<FailureRecord> failures;
};

/// The layer medians are compared with: `wanted` when given, else the deepest analysed layer (fc7
/// with the default layers: conv4_3 / fc7, as `analyze` reports it). Throws Error when `wanted`
/// is not among the aggregates.
std::string referenceLayer(const std::vector<StageRecord>& aggregates, const std::string& wanted);

/// Median, p5, p95, mean |x| and ratio of every aggregate to the reference layer's median.
std::vector<StageScale> scalesOf(const std::vector<StageRecord>& aggregates, const std::string& reference);

/// Analyses the images with `options` and the checkpoint's weights (options.weightsPath is set to
/// it; its learned gammas apply unless options give others) and aggregates them as a run does
/// (RunAggregator, images in the order given). An image that fails is recorded and skipped.
/// progress(done, total) after each image; false throws Cancelled (nothing of this checkpoint is
/// kept). Throws Error when the checkpoint cannot be loaded.
CheckpointScales analyzeCheckpoint(AnalyzerOptions options, const std::string& checkpoint,
                                   const std::vector<std::string>& images, const std::string& reference,
                                   const ProgressFn& progress = {});

} // namespace featscale::analysis
