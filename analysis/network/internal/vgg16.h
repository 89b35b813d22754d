// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"
#include "analysis/network/internal/winograd_conv.h"

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
    std::vector<float> norms; ///< height * width, row-major: sqrt(sum over channels of x^2)
    double sumAbs = 0.0;      ///< sum of |x| over every element (Caffe's debug_info magnitude)
    torch::Tensor activation; ///< [1, C, H, W] dense; undefined unless requested
};

/// One step of the network. The whole network, SSD's extras and vgg16's fc6/fc7 included, is one
/// list of these in execution order (Vgg16Impl::net()); every execution path walks that list with
/// Vgg16Impl::walk, so taps, depth and cancellation are counted in one place.
struct NetOp {
    enum Kind {
        Conv, ///< convolution (features, the reduced net's fc6/fc7, SSD extras)
        Relu, ///< in place; every Conv is followed by one
        Pool, ///< max pooling
        Fc,   ///< vgg16's fc6 or fc7 Linear layer slid over its input as a convolution, ReLU included
    } kind = Conv;
    std::string tap;                           ///< non-empty: a tap is read after this op
    int stride = 1, padding = 0, dilation = 1; ///< Conv
    int kernel = 0;                            ///< Conv: kernel side; Fc: 7 for fc6, 1 for fc7
    torch::nn::Conv2d conv{nullptr};           ///< what every path runs (vgg16-bn: BatchNorm folded in)
    /// vgg16-bn only: the convolution and BatchNorm as stored (registered under torchvision's
    /// names); conv holds their fold, remade whenever the weights change (Vgg16Impl::refold).
    torch::nn::Conv2d stored{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
    torch::nn::MaxPool2d pool{nullptr};
    torch::nn::Linear linear{nullptr}; ///< Fc
};

/// VGG16 in every topology of core/topology.h, with parameters registered under torchvision's
/// names (features.N.weight, classifier.N.weight; vgg16-bn's BatchNorm as features.N+1) and, for
/// the detectors, ssd.pytorch's indices (features.31 = fc6, features.33 = fc7) and extras.N for
/// their extra layers: the canonical names of weights/internal/canonical.h.
///
/// Each topology follows its published definition (the layer options are in vgg16.cpp, next to
/// the definition they come from): pool3 rounds up in every detector; pool5 is 3x3 stride 1 in
/// SSD (fc6 dilation 6) and 2x2 stride 2 in RefineDet (fc6 dilation 3, pad 3) and S3FD (fc6 pad 3,
/// dilation 1 in the Caffe original; 3 in yxlijun/S3FD.pytorch, chosen by fc6Dilation).
/// vgg16-bn's BatchNorm (eval mode, running statistics, eps 1e-5) is folded into the
/// convolutions, so all paths run plain convolutions.
///
/// vgg16's fc6/fc7 are Linear layers (as stored) evaluated convolutionally: fc6's 4096x25088
/// weight is viewed as 4096x512x7x7 and slid over pool5, so fc6/fc7 give a spatial map at any
/// input of 224 px or more (smaller inputs get torchvision's adaptive 7x7 average pool first).
///
/// Three execution paths compute the same function, each in its own file and each a walk over
/// net():
///  - vgg16_autograd.cpp: the op-by-op LibTorch modules, used when gradients are wanted.
///  - vgg16_blocked.cpp: with autograd off (c10::InferenceMode, as Analyzer runs it) activations
///    stay in oneDNN's blocked layout from layer to layer, the conv weights are reordered into the
///    layout oneDNN's kernels read once per set of weights (not once per call), and only tapped
///    activations are converted back to dense NCHW.
///  - vgg16_hwc.cpp (forwardTaps, on CPUs with AVX2 and FMA, networks whose 3x3 convolutions are
///    all stride 1 with padding = dilation — not the detectors' extras nor S3FD's Caffe fc6):
///    activations kept height x width x channels in buffers reused from image to image, every
///    3x3 convolution by Winograd F(4x4,3x3) (WinogradConv3x3) with bias, ReLU and the channel norms
///    fused into its output transform, pooling with its norms (hwc_ops.h); a tap's dense activation
///    is only made when asked for.
/// Both inference paths run vgg16's fc6/fc7 as matrix products over the few fc6 positions
/// (fcProduct), reading fc6's 411 MB weight once in its stored row-major layout.
///
/// Not thread-safe: the reused buffers make one model usable from one thread at a time.
class Vgg16Impl : public torch::nn::Module {
public:
    /// fc6Dilation: 0 for the topology's own; S3FD ports that dilate fc6 (yxlijun's: 3) set it.
    Vgg16Impl(Arch arch, bool withExtras, int fc6Dilation = 0);

    /// Runs up to the deepest requested tap and returns each tap's NCHW activation.
    /// keepGoing is polled between taps; when it returns false, throws Cancelled.
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
    int fc6Dilation() const { return m_fc6Dilation; }
    /// Whether forwardTaps may take the HWC Winograd path on a CPU that supports it.
    bool hwcCapable() const { return m_hwcCapable; }
    std::vector<std::string> tapNames() const; ///< available taps in network order
    /// The taps (network order) that an input of height × width reaches: a detector's extra
    /// layers shrink the map by valid convolutions, and below the size they were designed for
    /// (SSD300's conv11_2 needs 300 px) the map vanishes before them.
    std::vector<std::string> reachableTaps(int height, int width) const;
    const std::vector<NetOp>& net() const { return m_net; }

private:
    /// Walks net() up to the op that produces tap number `deepest` (network order): run(i, op) for
    /// each op, then tapped(op.tap) and check() after each op that carries a tap.
    void walk(int deepest, const std::function<void()>& check,
              const std::function<void(std::size_t, const NetOp&)>& run,
              const std::function<void(const std::string&)>& tapped) const;
    int deepestTap(const std::vector<std::string>& taps) const;
    /// An Fc op on a dense NCHW input as one matrix product: fc6 over the 7x7 windows of pool5
    /// (adaptive-pooled to 7x7 first when smaller), fc7 over fc6's positions; ReLU applied.
    torch::Tensor fcProduct(const NetOp& op, const torch::Tensor& input) const;

    std::map<std::string, torch::Tensor> forwardAutograd(const torch::Tensor& input,
                                                         const std::vector<std::string>& taps, int deepest,
                                                         const std::function<void()>& check);
    std::map<std::string, torch::Tensor> forwardBlocked(const torch::Tensor& input,
                                                        const std::vector<std::string>& taps, int deepest,
                                                        const std::function<void()>& check);
    void packBlocked();
    std::map<std::string, TapOutput> forwardHwc(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                const std::vector<std::string>& withActivation, int deepest,
                                                const std::function<void()>& check);
    void packWinograd();
    void dropPacked();
    /// vgg16-bn: recomputes each Conv op's folded weights from its stored convolution and BatchNorm.
    void refold();

    /// oneDNN-layout copies of the conv weights for forwardBlocked, one per Conv op of net();
    /// empty until first needed, cleared whenever the weights change.
    std::vector<torch::Tensor> m_packed;
    /// forwardHwc's state: Winograd weights per Conv op (null for 1x1 convolutions, which run as
    /// a matrix product), activation buffers and scratch kept between images so they are not
    /// faulted in each time.
    std::vector<std::unique_ptr<WinogradConv3x3>> m_winograd;
    std::vector<float> m_buffers[2];
    ConvWorkspace m_workspace;

    Arch m_arch;
    bool m_withExtras;
    int m_fc6Dilation = 1;
    bool m_hasFc = true;
    bool m_hwcCapable = true;
    std::vector<NetOp> m_net;
    torch::nn::Sequential m_features{nullptr};
    torch::nn::Sequential m_classifier{nullptr};
    torch::nn::Sequential m_extras{nullptr};
};
TORCH_MODULE(Vgg16);

} // namespace featscale::analysis
