// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace featscale::analysis {

/// The channel-L2 norm of one layer at every spatial location: an H x W map, row-major.
/// Plain data, cheap to copy between threads. A NaN marks a location whose value is undefined
/// (only produced by the "naive" L2Norm on an all-zero vector).
struct NormMap {
    std::string layer;
    int height = 0;
    int width = 0;
    std::vector<float> values; ///< height * width, row-major

    float at(int y, int x) const { return values[static_cast<size_t>(y) * width + x]; }
    bool empty() const { return values.empty(); }
};

} // namespace featscale::analysis
