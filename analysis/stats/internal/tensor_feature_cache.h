// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/stats/feature_cache.h"

#include <torch/torch.h>

#include <map>

namespace featscale::analysis {

/// FeatureCache backed by tensors. For each normalized layer it keeps x̂ and x̂² as (H*W) x C
/// row-major matrices, so a new gamma costs one matrix-vector product: ‖γ⊙x̂‖ = sqrt(x̂² · γ²).
class TensorFeatureCache final : public FeatureCache {
public:
    struct Normalized {
        torch::Tensor xhat;   ///< [H*W, C]
        torch::Tensor xhatSq; ///< [H*W, C]
        /// [C] float64: Σ over locations of |x̂_c|, so mean |γ_c x̂_c| under any gamma is one dot product
        torch::Tensor absSums;
        int height = 0, width = 0;
    };
    std::map<std::string, Normalized> normalized;
    std::map<std::string, torch::Tensor> activations; ///< [C, H, W], keepActivations only

    AfterResult after(const std::string& layer, const std::vector<float>& gamma, const BinScheme& bins) const override;
    std::vector<std::string> normalizedLayers() const override;
    std::vector<float> normalizedAt(const std::string& layer, int y, int x) const override;
    std::vector<float> activationAt(const std::string& layer, int y, int x) const override;
    NormalizedSquares normalizedSquares(const std::string& layer) const override;
    std::size_t bytes() const override;
};

/// Norm map of an NCHW activation (batch 1): sqrt(Σ_c x²) at each location.
NormMap normMapOf(const std::string& layer, const torch::Tensor& activation);

/// Stats + histogram of a norm map.
void summarise(const NormMap& map, const BinScheme& bins, LayerStats& stats, Histogram& hist);

} // namespace featscale::analysis
