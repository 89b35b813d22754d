// SPDX-License-Identifier: GPL-3.0-or-later
// The inference kernels of Vgg16's fast path. Plain C++ (no LibTorch).
#pragma once

#include "analysis/core/internal/boundary.h"

#include <cstddef>
#include <vector>

namespace featscale::analysis {

/// Reusable scratch memory of the fast forward pass: kept by the model between images so large
/// buffers are not mapped, faulted in and unmapped again for every image.
struct ConvWorkspace {
    std::vector<float> transformedInput;  ///< V: [36][tiles][channels]
    std::vector<float> transformedOutput; ///< M: [36][tiles][outChannels]
};

/// A 3x3 convolution with "same" padding (padding = dilation), stride 1, followed by bias and
/// ReLU, on activations stored height x width x channels (channels contiguous), computed with
/// Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray 2016): every 4x4 block of outputs of a
/// channel pair costs 36 multiplications instead of 144, and the multiplications of all channel
/// pairs become 36 independent matrix products, run by an AVX2/FMA register-blocked kernel.
///
/// Numerically the result differs from a direct convolution by float rounding only (about 1e-6
/// relative on VGG16 activations; tests/analysis/fast_path_test checks it against LibTorch).
/// Dilated convolutions (SSD's fc6, dilation 6) are split into dilation² interleaved phases,
/// each an ordinary 3x3 convolution. The transformed weights are computed once, in double.
///
/// Immutable after construction; run() may be called from one thread at a time per workspace
/// (it parallelises internally with ATen's intra-op threads).
class WinogradConv3x3 {
public:
    /// weight: [outChannels][inChannels][3][3] row-major; bias: [outChannels].
    /// outChannels must be a multiple of 16. The input is read with inChannels rounded up to a
    /// multiple of 8 (inChannelsPadded(); the padding channels must hold zeros).
    WinogradConv3x3(const float* weight, const float* bias, int outChannels, int inChannels, int dilation);

    /// True when this CPU has AVX2 and FMA (the kernels need both).
    static bool supported();

    int outChannels() const { return m_k; }
    int inChannelsPadded() const { return m_cp; }

    /// in: height x width x inChannelsPadded(); out: height x width x outChannels (overwritten).
    /// norms (optional, height x width): the L2 norm over channels of each output location.
    void run(const float* in, int height, int width, float* out, float* norms, ConvWorkspace& ws) const;

private:
    std::vector<float> m_u; ///< transformed weights, [36][outChannels/16][inChannelsPadded][16]
    std::vector<float> m_bias;
    int m_k, m_c, m_cp, m_dilation;
};

} // namespace featscale::analysis
