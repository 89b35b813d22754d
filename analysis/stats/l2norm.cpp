// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/internal/l2norm.h"

namespace featscale::analysis {

torch::Tensor l2Normalize(const torch::Tensor& x, EpsMode mode)
{
    const auto sumSq = x.square().sum(/*dim=*/1, /*keepdim=*/true);
    switch (mode) {
    case EpsMode::Tf:
        return x * torch::rsqrt(torch::clamp_min(sumSq, 1e-12));
    case EpsMode::Torchvision:
        return x / torch::clamp_min(sumSq.sqrt(), 1e-12);
    case EpsMode::Caffe:
        return x / torch::sqrt(sumSq + 1e-10);
    case EpsMode::SsdPytorch:
        return x / (sumSq.sqrt() + 1e-10);
    case EpsMode::Naive:
        return x / sumSq.sqrt();
    }
    throw Error("unknown eps mode");
}

L2NormImpl::L2NormImpl(int channels, EpsMode m, float initGamma) : mode(m)
{
    weight = register_parameter("weight", torch::full({channels}, initGamma));
}

torch::Tensor L2NormImpl::forward(const torch::Tensor& x) { return weight.view({1, -1, 1, 1}) * l2Normalize(x, mode); }

} // namespace featscale::analysis
