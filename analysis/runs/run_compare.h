// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <string>
#include <vector>

namespace featscale::analysis {

/// One run's aggregate at one layer and stage, and its median relative to the first run's.
struct ComparedStage {
    std::string layer;
    Stage stage = Stage::Before;
    std::size_t run = 0;         ///< index into RunComparison::runs
    double median = 0, p5 = 0, p95 = 0;
    double ratio = 0;            ///< median / the first run's median (NaN when that is 0)
    bool histogramPercentiles = false; ///< aggregate percentiles read from the merged histogram
};

/// Several runs side by side: the aggregate median, p5 and p95 of every layer and stage that all
/// of them have, in the order the runs were given. The aggregates are those of the runs' summary
/// files (aggregate() of what readRun reads), so a median here is the `*` row's p50 there.
/// Plain data; any thread.
struct RunComparison {
    std::vector<std::string> runs;      ///< run directories as given
    std::vector<bool> untrained;        ///< per run: made with featscale's default weights
    std::vector<std::size_t> images;    ///< per run: images analysed
    /// per run: the layer/stage pairs ("conv5_3 before") it has that not every run has; these
    /// are left out of the comparison
    std::vector<std::vector<std::string>> dropped;
    std::vector<ComparedStage> rows;    ///< per common layer and stage (the first run's order), runs in order
};

/// Reads the run directories and compares them. Throws Error naming the directory when one is
/// missing or is not a run directory, or when the runs have no layer and stage in common.
RunComparison compareRuns(const std::vector<std::string>& dirs);

/// The comparison as CSV: layer,stage,run,median,p5,p95,ratio,untrained,images,percentiles
/// (run as given, escaped as names in run files are; numbers with 17 significant digits).
std::string comparisonCsv(const RunComparison& comparison);

} // namespace featscale::analysis
