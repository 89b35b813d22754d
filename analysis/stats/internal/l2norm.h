// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"

#include <torch/torch.h>

namespace featscale::analysis {

/// x̂ = x normalised over channels (dim 1 of NCHW), with the zero-vector semantics of `mode`
/// (the formulas are listed once, in epsModes(), core/types.cpp). Differentiable (autograd) in
/// every mode; ssd-pytorch's gradient is NaN at an all-zero vector, as in ssd.pytorch.
torch::Tensor l2Normalize(const torch::Tensor& x, EpsMode mode);

/// SSD's L2Norm layer: gamma ⊙ x̂ with a learnable per-channel gamma (SSD's "scale", filler 20).
class L2NormImpl : public torch::nn::Module {
public:
    L2NormImpl(int channels, EpsMode mode, float initGamma = kDefaultGamma);
    torch::Tensor forward(const torch::Tensor& x);

    torch::Tensor weight; ///< gamma, shape [C], requires_grad
    EpsMode mode;
};
TORCH_MODULE(L2Norm);

} // namespace featscale::analysis
