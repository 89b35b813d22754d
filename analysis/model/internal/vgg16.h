// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to analysis/: includes LibTorch.
#pragma once

#include "analysis/core/types.h"
#include "analysis/model/internal/winograd_conv.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace featscale::analysis {

/// One tap of Vgg16Impl::forwardTaps: the channel-L2 norm map, and the activation if asked for.
struct TapOutput {
    int channels = 0, height = 0, width = 0;
    std::vector<float> norms;  ///< height * width, row-major: sqrt(sum over channels of x^2)
    torch::Tensor activation;  ///< [1, C, H, W] dense; undefined unless requested
};

/// VGG16 in both topologies, with parameters registered under torchvision's names
/// (features.N.weight, classifier.N.weight) and, for the reduced net, ssd.pytorch's indices
/// (features.31 = fc6, features.33 = fc7) and extras.N for SSD's extra layers.
///
/// vgg16's fc6/fc7 are Linear layers (as stored) evaluated convolutionally: fc6's 4096x25088
/// weight is viewed as 4096x512x7x7 and slid over pool5, so fc6/fc7 give a spatial map at any
/// input of 224 px or more (smaller inputs get torchvision's adaptive 7x7 average pool first).
///
/// Two execution paths compute the same function. With autograd off (c10::InferenceMode, as
/// Analyzer runs it) activations stay in oneDNN's blocked layout from layer to layer, the conv
/// weights are reordered into the layout oneDNN's kernels read once per set of weights (not once
/// per call), and only tapped activations are converted back to dense NCHW; vgg16's fc6/fc7 run
/// as one matrix product over the few fc6 positions, reading fc6's 411 MB weight once in its
/// stored row-major layout. Otherwise (gradients wanted) the op-by-op LibTorch modules run.
///
/// forwardTaps adds a third path for CPUs with AVX2 and FMA (the common case): activations kept
/// height x width x channels in buffers reused from image to image, every 3x3 convolution by
/// Winograd F(4x4,3x3) (WinogradConv3x3) with bias, ReLU and the channel norms fused into its
/// output transform, pooling with its norms (hwc_ops.h); a tap's dense activation is only made
/// when asked for. Models with SSD's extras use the oneDNN path.
///
/// Not thread-safe: the reused buffers make one model usable from one thread at a time.
class Vgg16Impl : public torch::nn::Module {
public:
    Vgg16Impl(Arch arch, bool withExtras);

    /// Runs up to the deepest requested tap and returns each tap's NCHW activation.
    /// keepGoing is polled between layers; when it returns false, throws Cancelled.
    std::map<std::string, torch::Tensor> forward(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                 const std::function<bool()>& keepGoing = {});

    /// Channel-norm maps of the taps (and the dense activations of those in withActivation),
    /// by the fastest path this CPU and model allow. Requires autograd off (c10::InferenceMode).
    std::map<std::string, TapOutput> forwardTaps(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                 const std::vector<std::string>& withActivation,
                                                 const std::function<bool()>& keepGoing = {});

    /// torchvision's initialisation, seeded: kaiming-normal (fan_out, relu) for convs, N(0, 0.01)
    /// for Linear layers, zero biases.
    void initDefault(std::uint64_t seed);
    /// Copies canonical parameters in; throws Error naming the layer on a missing key or a shape
    /// mismatch. vgg16 files without a classifier (Keras "notop") load with fc6/fc7 unavailable.
    void loadCanonical(const std::map<std::string, torch::Tensor>& params, const std::string& source);

    Arch arch() const { return m_arch; }
    bool hasExtras() const { return m_withExtras; }
    bool hasFc() const { return m_hasFc; }
    std::vector<std::string> tapNames() const; ///< available taps in network order

private:
    struct Op {
        enum Kind { Conv, Relu, Pool } kind;
        int featureIndex;       ///< index in `features`
        std::string tap;        ///< non-empty: a tap is read after this op
        int padding = 0, dilation = 1; ///< Conv (stride is 1 throughout `features`)
        torch::nn::Conv2d conv{nullptr};
        torch::nn::MaxPool2d pool{nullptr};
    };
    torch::Tensor fc6Conv(const torch::Tensor& pool5);
    std::pair<torch::Tensor, torch::Tensor> fcMatmul(const torch::Tensor& pool5, bool withFc7); ///< fc6, fc7
    std::map<std::string, torch::Tensor> forwardBlocked(const torch::Tensor& input,
                                                        const std::vector<std::string>& taps, int deepest,
                                                        const std::function<void()>& check);
    void packWeights();
    int deepestTap(const std::vector<std::string>& taps) const;
    std::map<std::string, TapOutput> forwardHwc(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                const std::vector<std::string>& withActivation, int deepest,
                                                const std::function<void()>& check);
    void packWinograd();

    /// oneDNN-layout copies of the conv weights for forwardBlocked, one per Conv op then one per
    /// extra layer; empty until first needed, cleared whenever the weights change.
    std::vector<torch::Tensor> m_packed;
    /// forwardHwc's state: Winograd weights per Conv op (null for the 1x1 fc7 of the reduced net),
    /// activation buffers and scratch kept between images so they are not faulted in each time.
    std::vector<std::unique_ptr<WinogradConv3x3>> m_winograd;
    std::vector<float> m_buffers[2];
    ConvWorkspace m_workspace;

    Arch m_arch;
    bool m_withExtras;
    bool m_hasFc = true;
    std::vector<Op> m_ops;
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
    std::vector<torch::nn::Conv2d> m_extras;
    torch::nn::Sequential m_extrasSeq{nullptr};
};
TORCH_MODULE(Vgg16);

} // namespace featscale::analysis
