// SPDX-License-Identifier: GPL-3.0-or-later
// Vgg16Impl::forwardTaps, the path Analyzer runs, and its height x width x channels execution path
// (Winograd convolutions with fused bias, ReLU and channel norms). See vgg16.h for all three paths.
#include "analysis/network/internal/hwc_ops.h"
#include "analysis/network/internal/vgg16.h"
#include "analysis/stats/internal/tensor_feature_cache.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// A dense [1, C, H, W] copy of an H x W x C buffer.
torch::Tensor nchwFromHwc(const float* data, int height, int width, int channels)
{
    return torch::from_blob(const_cast<float*>(data), {height, width, channels}, torch::kFloat32)
        .permute({2, 0, 1})
        .unsqueeze(0)
        .contiguous();
}

TapOutput tapFromTensor(const std::string& name, const torch::Tensor& activation, bool keepActivation)
{
    TapOutput t;
    t.channels = static_cast<int>(activation.size(1));
    t.height = static_cast<int>(activation.size(2));
    t.width = static_cast<int>(activation.size(3));
    t.norms = normMapOf(name, activation).values;
    t.sumAbs = activation.abs().sum(/*dtype=*/torch::kFloat64).item<double>();
    if (keepActivation)
        t.activation = activation;
    return t;
}

// Σ|x| over a tap's HWC buffer: float partial sums over short blocks, added in double, so the
// total keeps float's relative precision however many elements the tap has.
double sumAbsHwc(const float* data, std::size_t n)
{
    double total = 0.0;
    constexpr std::size_t kBlock = 4096;
    for (std::size_t b = 0; b < n; b += kBlock) {
        const std::size_t e = std::min(n, b + kBlock);
        float acc[8] = {};
        std::size_t i = b;
        for (; i + 8 <= e; i += 8)
            for (int l = 0; l < 8; ++l)
                acc[l] += std::fabs(data[i + l]);
        double block = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (; i < e; ++i)
            block += std::fabs(data[i]);
        total += block;
    }
    return total;
}

} // namespace

std::map<std::string, TapOutput> Vgg16Impl::forwardTaps(const torch::Tensor& input,
                                                        const std::vector<std::string>& taps,
                                                        const std::vector<std::string>& withActivation,
                                                        const std::function<bool()>& keepGoing)
{
    const int deepest = deepestTap(taps);
    auto check = [&] {
        if (keepGoing && !keepGoing())
            throw Cancelled();
    };
    if (!torch::GradMode::is_enabled() && WinogradConv3x3::supported() && m_hwcCapable && input.dim() == 4 &&
        input.size(0) == 1 && input.size(1) == 3 && input.scalar_type() == torch::kFloat32 && input.device().is_cpu())
        return forwardHwc(input, taps, withActivation, deepest, check);
    std::map<std::string, TapOutput> out;
    for (const auto& [name, activation] : forward(input, taps, keepGoing))
        out[name] = tapFromTensor(name, activation, contains(withActivation, name));
    return out;
}

void Vgg16Impl::packWinograd()
{
    torch::NoGradGuard noGrad;
    m_winograd.clear();
    for (const NetOp& op : m_net) {
        if (op.kind != NetOp::Conv)
            continue;
        const auto& w = op.conv->weight;
        if (op.kernel != 3) { // the reduced net's fc7 (1x1) runs as a matrix product
            m_winograd.push_back(nullptr);
            continue;
        }
        const auto weight = w.detach().contiguous();
        const auto bias = op.conv->bias.detach().contiguous();
        m_winograd.push_back(std::make_unique<WinogradConv3x3>(weight.data_ptr<float>(), bias.data_ptr<float>(),
                                                               static_cast<int>(w.size(0)), static_cast<int>(w.size(1)),
                                                               op.dilation));
    }
}

std::map<std::string, TapOutput> Vgg16Impl::forwardHwc(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                       const std::vector<std::string>& withActivation, int deepest,
                                                       const std::function<void()>& check)
{
    if (m_winograd.empty())
        packWinograd();
    int height = static_cast<int>(input.size(2)), width = static_cast<int>(input.size(3));
    int channels = m_winograd.front()->inChannelsPadded(); // 3 colour channels, zero-padded
    auto ensure = [](std::vector<float>& buffer, std::size_t n) {
        if (buffer.size() < n)
            buffer.resize(n);
        return buffer.data();
    };
    int current = 0;
    {
        float* x = ensure(m_buffers[0], static_cast<std::size_t>(height) * width * channels);
        std::fill(x, x + static_cast<std::size_t>(height) * width * channels, 0.0f);
        const auto chw = input[0].contiguous();
        const float* src = chw.data_ptr<float>();
        for (int c = 0; c < 3; ++c)
            for (std::size_t i = 0; i < static_cast<std::size_t>(height) * width; ++i)
                x[i * channels + c] = src[static_cast<std::size_t>(c) * height * width + i];
    }

    std::map<std::string, TapOutput> out;
    std::vector<float> norms; // of the op just run, when its tap is wanted
    torch::Tensor dense;      // vgg16's fc6/fc7 leave the HWC buffers for dense NCHW tensors
    std::size_t conv = 0;
    walk(
        deepest, check,
        [&](std::size_t i, const NetOp& op) {
            // ReLU is fused into the convolution before it, so a convolution computes the norms of
            // the tap read after that ReLU.
            const std::string& tap = op.kind == NetOp::Conv ? m_net[i + 1].tap : op.tap;
            const bool wanted = contains(taps, tap);
            const float* in = m_buffers[current].data();
            switch (op.kind) {
            case NetOp::Relu:
                return;
            case NetOp::Fc:
                dense = fcProduct(op, dense.defined() ? dense : nchwFromHwc(in, height, width, channels));
                return;
            case NetOp::Conv: {
                const int k = static_cast<int>(op.conv->weight.size(0));
                norms.assign(wanted ? static_cast<std::size_t>(height) * width : 0, 0.0f);
                float* y = ensure(m_buffers[1 - current], static_cast<std::size_t>(height) * width * k);
                if (const auto& winograd = m_winograd[conv]) {
                    winograd->run(in, height, width, y, wanted ? norms.data() : nullptr, m_workspace);
                } else { // 1x1: [H*W, C] x [C, K] on the same buffers, then ReLU and the norms
                    const auto x = torch::from_blob(const_cast<float*>(in), {height * width, channels},
                                                    torch::kFloat32);
                    auto result = torch::from_blob(y, {height * width, k}, torch::kFloat32);
                    at::addmm_out(result, op.conv->bias.detach(), x, op.conv->weight.detach().view({k, channels}).t());
                    reluNormsHwc(y, height * width, k, wanted ? norms.data() : nullptr);
                }
                ++conv;
                channels = k;
                break;
            }
            case NetOp::Pool: {
                const auto& o = op.pool->options;
                const int kernel = (*o.kernel_size())[0], stride = (*o.stride())[0], padding = (*o.padding())[0];
                const int oh = poolOutputSize(height, kernel, stride, padding, o.ceil_mode());
                const int ow = poolOutputSize(width, kernel, stride, padding, o.ceil_mode());
                norms.assign(wanted ? static_cast<std::size_t>(oh) * ow : 0, 0.0f);
                float* y = ensure(m_buffers[1 - current], static_cast<std::size_t>(oh) * ow * channels);
                maxPoolHwc(in, height, width, channels, kernel, stride, padding, o.ceil_mode(), y,
                           wanted ? norms.data() : nullptr);
                height = oh;
                width = ow;
                break;
            }
            }
            current = 1 - current;
        },
        [&](const std::string& tap) {
            if (!contains(taps, tap))
                return;
            if (dense.defined()) {
                out[tap] = tapFromTensor(tap, dense, contains(withActivation, tap));
                return;
            }
            TapOutput t;
            t.channels = channels;
            t.height = height;
            t.width = width;
            t.norms = std::move(norms);
            t.sumAbs = sumAbsHwc(m_buffers[current].data(), static_cast<std::size_t>(height) * width * channels);
            if (contains(withActivation, tap))
                t.activation = nchwFromHwc(m_buffers[current].data(), height, width, channels);
            out[tap] = std::move(t);
        });
    return out;
}

} // namespace featscale::analysis
