// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <cstdint>
#include <map>
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
    EpsMode eps = EpsMode::Caffe;  ///< the L2Norm eps of the framework the weights were trained in
    bool untrained = true;         ///< true for the seeded default initialisation
    std::uint64_t seed = 0;        ///< seed of the default initialisation
    std::int64_t parameterCount = 0;
    /// Learned L2Norm gamma per tap name ("conv4_3" -> 512 values); empty when the file has none.
    std::map<std::string, std::vector<float>> gammas;
    /// S3FD ports that dilate fc6 where the Caffe original does not (yxlijun/S3FD.pytorch: 3);
    /// 0 for the topology's own.
    int fc6Dilation = 0;
    bool hasExtras = false; ///< the detector's extra layers (SSD's conv8_2 ..., S3FD's conv6_2 ...) are loaded
    std::vector<std::string> warnings; ///< e.g. NaN/Inf parameters, ignored keys

    /// One line for status bars and logs, e.g. "vgg16-397923af.pth (pytorch-legacy, torchvision, 3a1f9c…)"
    /// or, for the default weights, untrainedSentence(seed) (untrained.h) and the topology.
    std::string summary() const;
};

} // namespace featscale::analysis
