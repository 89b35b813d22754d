// SPDX-License-Identifier: GPL-3.0-or-later
// Vgg16Impl's op-by-op path: the registered LibTorch modules one after another, differentiable.
// Runs when gradients are wanted; the reference the faster paths are tested against.
#include "analysis/network/internal/vgg16.h"

#include <algorithm>

namespace featscale::analysis {

std::map<std::string, torch::Tensor> Vgg16Impl::forwardAutograd(const torch::Tensor& input,
                                                                const std::vector<std::string>& taps, int deepest,
                                                                const std::function<void()>& check)
{
    std::map<std::string, torch::Tensor> out;
    torch::Tensor x = input;
    walk(
        deepest, check,
        [&](std::size_t, const NetOp& op) {
            switch (op.kind) {
            case NetOp::Conv:
                x = op.conv.ptr()->forward(x);
                break;
            case NetOp::Relu:
                x = torch::relu(x);
                break;
            case NetOp::Pool:
                x = op.pool.ptr()->forward(x);
                break;
            case NetOp::Fc: {
                // The Linear weight viewed as a convolution kernel over its input's channels.
                if (op.kernel > 1 && (x.size(2) < op.kernel || x.size(3) < op.kernel))
                    x = torch::adaptive_avg_pool2d(x, {op.kernel, op.kernel});
                const auto& w = op.linear->weight;
                x = torch::relu(
                    torch::conv2d(x, w.view({w.size(0), x.size(1), op.kernel, op.kernel}), op.linear->bias));
                break;
            }
            }
        },
        [&](const std::string& tap) {
            if (std::find(taps.begin(), taps.end(), tap) != taps.end())
                out[tap] = x;
        });
    return out;
}

} // namespace featscale::analysis
