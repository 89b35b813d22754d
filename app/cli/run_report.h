// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runs/run_data.h"

#include <cstddef>
#include <ostream>
#include <vector>

namespace featscale::cli {

/// Human-readable table of a run's aggregates plus the ParseNet ratios of medians
/// (each layer's median over the last layer's), with the untrained warning when it applies.
void printRunReport(std::ostream& os, const analysis::RunData& run);
/// The same from a run's aggregates (a streamed run keeps no per-image records).
void printRunReport(std::ostream& os, const analysis::RunMetadata& meta, const std::vector<analysis::StageRecord>& agg,
                    std::size_t images);

} // namespace featscale::cli
