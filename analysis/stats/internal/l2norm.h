// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to analysis/: includes LibTorch.
#pragma once

#include "analysis/core/types.h"

#include <torch/torch.h>

namespace featscale::analysis {

/// x̂ = x normalised over channels (dim 1 of NCHW), with the zero-vector semantics of `mode`:
///   tf           x * rsqrt(max(Σx², 1e-12))          (TensorFlow l2_normalize)
///   torchvision  x / max(‖x‖, 1e-12)                 (torch.nn.functional.normalize)
///   caffe        x / sqrt(Σx² + 1e-10)               (Caffe SSD Normalize layer)
///   ssd-pytorch  x / (sqrt(Σx²) + 1e-10)             (ssd.pytorch / mmdet; NaN gradient at 0)
///   naive        x / ‖x‖                              (NaN at all-zero vectors)
/// Differentiable (autograd) in every mode.
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
