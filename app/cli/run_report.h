// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/run_data.h"

#include <ostream>

namespace featscale::cli {

/// Human-readable table of a run's aggregates plus the ParseNet ratios of medians
/// (each layer's median over the last layer's), with the untrained warning when it applies.
void printRunReport(std::ostream& os, const analysis::RunData& run);

} // namespace featscale::cli
