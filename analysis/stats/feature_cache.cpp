// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/feature_cache.h"

#include "analysis/core/types.h"

#include <cstdint>
#include <limits>

namespace featscale::analysis {

NormalizedSquares NormalizedSquares::pool(const std::vector<std::shared_ptr<const FeatureCache>>& caches,
                                          const std::string& layer)
{
    NormalizedSquares out;
    for (const auto& cache : caches) {
        if (!cache)
            continue;
        NormalizedSquares one = cache->normalizedSquares(layer);
        const int rows = one.rows, cols = one.cols;
        if (one.empty() || rows <= 0 || cols <= 0)
            throw Error("gamma fit: layer " + layer + " has no cached normalized features (is it an L2Norm layer?)");
        if (out.cols != 0 && out.cols != cols)
            throw Error("gamma fit: layer " + layer + " has " + std::to_string(cols) + " channels in one image and " +
                        std::to_string(out.cols) + " in another");
        if (static_cast<int64_t>(out.rows) + rows > std::numeric_limits<int>::max())
            throw Error("gamma fit: too many locations pooled for layer " + layer);
        out.cols = cols;
        out.rows += rows;
        out.values.insert(out.values.end(), one.values.begin(), one.values.end());
    }
    if (out.rows == 0)
        throw Error("gamma fit: no analysed images with cached features for layer " + layer);
    return out;
}

} // namespace featscale::analysis
