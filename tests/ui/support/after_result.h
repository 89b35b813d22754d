// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/feature_cache.h"

#include <string>
#include <vector>

namespace featscale::ui::test {

/// The after-L2Norm data of one layer from per-location norms the test computed itself (row-major,
/// height × width): the map, its statistics and its histogram under `bins`. For FeatureCache test
/// doubles, whose after() is written in the test.
analysis::AfterResult afterResultOf(const std::string& layer, int height, int width, std::vector<float> norms,
                                    const analysis::BinScheme& bins);

} // namespace featscale::ui::test
