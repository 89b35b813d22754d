// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/runs/run_data.h"

#include <string>
#include <utility>
#include <vector>

namespace featscale::analysis {

/// One run's aggregate at one layer and stage, and its median relative to the first run's.
struct ComparedStage {
    std::string layer;
    Stage stage = Stage::Before;
    std::size_t run = 0; ///< index into RunComparison::runs
    double median = 0, p5 = 0, p95 = 0;
    double ratio = 0;                  ///< median / the reference run's median (NaN when that is 0)
    bool histogramPercentiles = false; ///< aggregate percentiles read from the merged histogram
};

/// Several runs side by side: the aggregate median, p5 and p95 of every layer and stage that all
/// of them have, in the order the runs were given. The aggregates are those of the runs' summary
/// files (aggregate() of what readRun reads), so a median here is the `*` row's p50 there.
/// Plain data; any thread.
struct RunComparison {
    std::vector<std::string> runs;   ///< run directories as given
    std::vector<bool> untrained;     ///< per run: made with featscale's default weights
    std::vector<std::size_t> images; ///< per run: images analysed
    /// per run: the layer/stage pairs ("conv5_3 before") it has that not every run has; these
    /// are left out of the comparison
    std::vector<std::vector<std::string>> dropped;
    std::vector<ComparedStage> rows; ///< per common layer and stage (the first run's order), runs in order
};

/// One run reduced to what a comparison needs: its name, labels and aggregates (aggregate() of its
/// RunData, or of an in-memory analysis converted with toRecord). Plain data; any thread.
struct RunAggregates {
    std::string name;
    bool untrained = false;
    std::size_t images = 0;
    std::vector<StageRecord> stages; ///< aggregate(): per layer and stage, network order
};

/// Compares runs already reduced to their aggregates: the layer/stage pairs every run has, in the
/// first run's order, each run's median relative to runs[reference]'s (0 when out of range).
/// Throws Error when the runs have no layer and stage in common. compareRuns is this on the runs
/// it reads.
RunComparison compareAggregates(const std::vector<RunAggregates>& runs, std::size_t reference = 0);

/// A ratio of medians inside one run, e.g. ParseNet's conv4_3 / fc7, at one stage.
struct WithinRunRatio {
    std::string numerator, denominator;
    Stage stage = Stage::Before;
    Stage numeratorStage = Stage::Before, denominatorStage = Stage::Before;
    double ratio = 0;                  ///< NaN when a median is missing or the denominator's is 0
    bool histogramPercentiles = false; ///< either median read from a merged histogram
};

/// The layers a within-run ratio compares in a run that has `layers` (network order) of which
/// `normalized` go through L2Norm: conv4_3 over fc7 when the run has them, else the first
/// normalized (else first) layer over the last other one. Empty strings when fewer than two layers.
std::pair<std::string, std::string> defaultRatioLayers(const std::vector<std::string>& layers,
                                                       const std::vector<std::string>& normalized);

/// numerator / denominator medians before L2Norm (both layers before) and after it (each layer
/// after L2Norm when it is normalized, else before, since L2Norm leaves it unchanged).
/// The after entry is left out when neither layer is normalized.
std::vector<WithinRunRatio> withinRunRatios(const std::vector<StageRecord>& stages, const std::string& numerator,
                                            const std::string& denominator);

/// Within-run ratios as CSV: run,numerator,denominator,stage,ratio,percentiles (one row per run
/// and stage; runs[i] names ratios[i]).
std::string withinRunRatiosCsv(const std::vector<std::string>& runs,
                               const std::vector<std::vector<WithinRunRatio>>& ratios);

/// Reads the run directories and compares them. Throws Error naming the directory when one is
/// missing or is not a run directory, or when the runs have no layer and stage in common.
RunComparison compareRuns(const std::vector<std::string>& dirs);

/// The comparison as CSV: layer,stage,run,median,p5,p95,ratio,untrained,images,percentiles
/// (run as given, escaped as names in run files are; numbers with 17 significant digits).
std::string comparisonCsv(const RunComparison& comparison);

} // namespace featscale::analysis
