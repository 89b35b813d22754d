// SPDX-License-Identifier: GPL-3.0-or-later
// Layer operations of Vgg16's fast path on height x width x channels
// activations (channels contiguous). Plain C++ (no LibTorch).
#pragma once

#include "analysis/core/internal/boundary.h"

namespace featscale::analysis {

/// Output size of max_pool2d along one axis (PyTorch's rule, dilation 1).
int poolOutputSize(int size, int kernel, int stride, int padding, bool ceilMode);

/// Max pooling with PyTorch's semantics (floor or ceil mode, implicit -inf padding, NaN
/// propagates). out must hold poolOutputSize(height...) x poolOutputSize(width...) x channels.
/// norms (optional, one per output location) receives the L2 norm over channels, computed while
/// the pooled vector is still in registers.
void maxPoolHwc(const float* in, int height, int width, int channels, int kernel, int stride, int padding,
                bool ceilMode, float* out, float* norms);

/// L2 norm over channels of every location: channels are contiguous, so each norm is one
/// contiguous reduction.
void channelNormsHwc(const float* in, int locations, int channels, float* norms);

/// ReLU in place on locations x channels rows, and the channel norms of the result (optional).
void reluNormsHwc(float* data, int locations, int channels, float* norms);

} // namespace featscale::analysis
