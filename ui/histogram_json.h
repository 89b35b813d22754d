// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runs/run_data.h"

#include <string>

namespace featscale::ui {

/// histograms.json: the engine's exact bins of every exported image, layer and stage (and the
/// aggregate over all images), with the metadata a reader needs to trust them — weights, an
/// UNTRAINED flag and warning for default weights, bin scheme, input size, eps mode and gamma.
/// The JSON twin of histograms.csv, for notebooks that would rather not parse CSV rows back into
/// arrays. Pure function of the run; written by ExportActions next to the engine's run files.
std::string histogramsJson(const analysis::RunData& run);

} // namespace featscale::ui
