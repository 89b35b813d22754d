// SPDX-License-Identifier: GPL-3.0-or-later
// Vgg16Impl's oneDNN path: activations stay in oneDNN's blocked layout from layer to layer and the
// convolution weights are reordered once per set of weights; only tapped activations (and pool5,
// for vgg16's fc6/fc7 matrix products) are converted back to dense NCHW.
#include "analysis/network/internal/vgg16.h"

#include <algorithm>

namespace featscale::analysis {

void Vgg16Impl::packBlocked()
{
    m_packed.clear();
    for (const NetOp& op : m_net)
        if (op.kind == NetOp::Conv)
            m_packed.push_back(at::mkldnn_reorder_conv2d_weight(op.conv->weight.detach().to_mkldnn(),
                                                                {op.padding, op.padding}, {op.stride, op.stride},
                                                                {op.dilation, op.dilation}, /*groups=*/1));
}

std::map<std::string, torch::Tensor> Vgg16Impl::forwardBlocked(const torch::Tensor& input,
                                                               const std::vector<std::string>& taps, int deepest,
                                                               const std::function<void()>& check)
{
    if (m_packed.empty())
        packBlocked();
    std::map<std::string, torch::Tensor> out;
    torch::Tensor x = input.contiguous().to_mkldnn();
    bool dense = false; // vgg16's fc6/fc7 leave the blocked layout for good
    std::size_t conv = 0;
    walk(
        deepest, check,
        [&](std::size_t, const NetOp& op) {
            switch (op.kind) {
            case NetOp::Conv:
                x = at::mkldnn_convolution(x, m_packed[conv++], op.conv->bias.detach(), {op.padding, op.padding},
                                           {op.stride, op.stride}, {op.dilation, op.dilation}, /*groups=*/1);
                break;
            case NetOp::Relu:
                x = at::relu_(x);
                break;
            case NetOp::Pool: {
                const auto& o = op.pool->options;
                x = at::mkldnn_max_pool2d(x, o.kernel_size(), o.stride(), o.padding(), o.dilation(), o.ceil_mode());
                break;
            }
            case NetOp::Fc:
                x = fcProduct(op, dense ? x : x.to_dense());
                dense = true;
                break;
            }
        },
        // A tapped activation leaves the blocked layout once; the network continues on the blocked copy.
        [&](const std::string& tap) {
            if (std::find(taps.begin(), taps.end(), tap) != taps.end())
                out[tap] = dense ? x : x.to_dense();
        });
    return out;
}

} // namespace featscale::analysis
