// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/histogram.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/stats/norm_map.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace featscale::analysis {

class FeatureCache;

/// After-statistics for one normalized layer under a new gamma.
struct AfterResult {
    NormMap after;
    LayerStats stats;
    Histogram hist;
};

/// Squared normalized features of one layer, pooled over one or more images: a rows x cols
/// row-major matrix holding x̂², one row per spatial location, one column per channel.
/// This is all a gamma fit needs: the after-norm at a location is sqrt(Σ_c γ_c² x̂_c²).
struct NormalizedSquares {
    int rows = 0;
    int cols = 0;
    std::vector<float> values; ///< rows * cols

    bool empty() const { return values.empty(); }

    /// Pools FeatureCache::normalizedSquares of `layer` over caches (null entries are skipped).
    /// Throws Error when a cache lacks the layer or the channel counts differ.
    static NormalizedSquares pool(const std::vector<std::shared_ptr<const FeatureCache>>& caches,
                                  const std::string& layer);
};

/// Cached per-image features that let gamma change without re-running the network: the engine
/// keeps one per analysed image (ImageResult::cache). Plain C++ interface; the engine's
/// implementation holds LibTorch tensors (stats/internal/tensor_feature_cache.h).
/// Immutable once built; safe to use from several threads.
class FeatureCache {
public:
    virtual ~FeatureCache() = default;
    /// Norms of gamma ⊙ x̂ for a normalized layer; gamma.size() must equal its channels.
    virtual AfterResult after(const std::string& layer, const std::vector<float>& gamma,
                              const BinScheme& bins) const = 0;
    /// Normalized layers cached here.
    virtual std::vector<std::string> normalizedLayers() const = 0;
    /// x̂ (unit-norm channel vector, eps semantics applied) at a cell; empty if not cached.
    virtual std::vector<float> normalizedAt(const std::string& layer, int y, int x) const = 0;
    /// Raw activation vector at a cell (keepActivations only); empty if not cached.
    virtual std::vector<float> activationAt(const std::string& layer, int y, int x) const = 0;
    /// Squared normalized features of a layer as a (H*W) x C matrix; empty if not cached.
    virtual NormalizedSquares normalizedSquares(const std::string& layer) const = 0;
    virtual std::size_t bytes() const = 0;
};

} // namespace featscale::analysis
