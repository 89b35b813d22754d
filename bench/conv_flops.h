// SPDX-License-Identifier: GPL-3.0-or-later
// FLOPs of VGG16's convolutions, counted from the layer shapes of an actual result.
#pragma once

#include "analysis/engine/analyzer.h"

namespace featscale::bench {

struct ConvFlops {
    double features = 0; ///< conv1_1 .. conv5_3, as direct convolutions
    /// conv1_1 .. conv5_3 as the Winograd path computes them: the 36 matrix products per layer,
    /// 2 * 36 * tiles * inChannels (rounded up to 8) * outChannels with tiles = ceil(h/4) *
    /// ceil(w/4); the input and output transforms (a few percent) are not counted.
    double winogradFeatures = 0;
    double fc = 0; ///< fc6 + fc7 evaluated as convolutions (0 when not analysed)
    double total() const { return features + fc; }
};

/// Direct: 2 * Cin * Cout * k * k per output location (a multiply-add is two FLOPs), for every
/// convolution, with the output size read from the result's norm map of that layer. The result
/// must contain every conv tap (AnalyzerOptions::layersAll). Throws when a conv tap is missing.
ConvFlops convFlops(featscale::analysis::Arch arch, const featscale::analysis::ImageResult& result);

} // namespace featscale::bench
