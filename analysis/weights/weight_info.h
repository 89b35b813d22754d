// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis {

/// What a loaded weight set is: plain data for display and export (no tensors).
struct WeightInfo {
    std::string path;        ///< empty for the built-in default weights
    std::string displayName; ///< file name, or "default (untrained, seed N)"
    std::string format;      ///< "builtin", "pytorch-zip", "pytorch-legacy", "torchscript", "caffe", "onnx", "keras-h5"
    std::string layout;      ///< key layout recognised: "torchvision-vgg16", "ssd.pytorch", ...
    std::string family;      ///< whose convention the weights follow: "torchvision", "caffe", "ssd.pytorch", ...
    std::string sha256;      ///< of the file; empty for builtin
    Arch arch = Arch::Vgg16Reduced;
    Preset preset = Preset::Caffe; ///< the input convention the weights were trained with
    bool untrained = true;         ///< true for the seeded default initialisation
    std::uint64_t seed = 0;        ///< seed of the default initialisation
    std::int64_t parameterCount = 0;
    bool hasGamma = false;      ///< the file carried a learned L2Norm gamma
    std::vector<float> gamma;   ///< that gamma (empty otherwise)
    bool hasExtras = false;     ///< SSD extra layers conv8_2 ... conv11_2 are loaded
    std::vector<std::string> warnings; ///< e.g. NaN/Inf parameters, ignored keys

    /// One line for status bars and logs, e.g. "vgg16-397923af.pth (pytorch-legacy, torchvision, 3a1f9c…)"
    /// or "default weights — UNTRAINED (seed 0)".
    std::string summary() const;
};

} // namespace featscale::analysis
