// SPDX-License-Identifier: GPL-3.0-or-later
// The canonical parameter table of each topology: names, shapes and the Caffe
// layer name each parameter belongs to (for error messages such as "shape mismatch for conv4_3").
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

struct CanonicalParam {
    std::string name;  ///< e.g. "features.21.weight"
    std::string layer; ///< Caffe name, e.g. "conv4_3"
    std::vector<std::int64_t> shape;
};

/// In network order, weight before bias (BatchNorm: weight, bias, running_mean, running_var).
///  - vgg16: 13 convs (features.0 ... features.28) + classifier.{0,3,6} Linears;
///  - vgg16-bn: torchvision's vgg16_bn indices (conv1_1 = features.0, its BatchNorm features.1,
///    conv1_2 = features.3, ... conv5_3 = features.40, bn features.41) + the same classifier;
///  - vgg16-reduced, ssd512, refinedet, s3fd: 13 convs + fc6 (features.31) + fc7 (features.33),
///    plus, when withExtras, the family's extra convs as extras.N in ssd.pytorch order
///    (SSD300: 8, SSD512: 10, RefineDet: 2, S3FD: 4). withExtras is ignored for vgg16/vgg16-bn.
/// BatchNorm's num_batches_tracked counters are not parameters and not listed.
std::vector<CanonicalParam> canonicalParams(Arch arch, bool withExtras = false);

/// Output channels of a convolution tap (its weight's first dimension in the canonical table), or
/// 0 when the topology has no such convolution.
int convChannels(Arch arch, bool withExtras, const std::string& tap);

/// Whether the topology has extra layers after fc7 (detectors) or a classifier (vgg16, vgg16-bn).
bool hasExtraLayers(Arch arch);

/// "512x512x3x3"
std::string shapeString(const std::vector<std::int64_t>& shape);

/// Canonical name of a learned L2Norm gamma: "L2Norm.<tap>.weight", e.g. "L2Norm.conv4_3.weight".
std::string gammaName(const std::string& layer);
/// The tap of a canonical gamma name ("L2Norm.conv5_3.weight" -> "conv5_3"); empty for other names.
std::string gammaLayer(const std::string& name);
/// Canonical name of conv4_3's gamma (SSD's one L2Norm layer).
inline const char* kGammaName = "L2Norm.conv4_3.weight";
/// The name featscale used before gammas were per layer, and ssd.pytorch's key: read as conv4_3's.
inline const char* kLegacyGammaName = "L2Norm.weight";

} // namespace featscale::analysis::weights
