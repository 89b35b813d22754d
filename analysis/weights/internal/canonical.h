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
    std::string name;               ///< e.g. "features.21.weight"
    std::string layer;              ///< Caffe name, e.g. "conv4_3"
    std::vector<std::int64_t> shape;
};

/// In network order, weight before bias. vgg16: 13 convs + 3 classifier Linears;
/// vgg16-reduced: 13 convs + fc6 + fc7, plus the 8 extra convs when withExtras.
std::vector<CanonicalParam> canonicalParams(Arch arch, bool withExtras = false);

/// "512x512x3x3"
std::string shapeString(const std::vector<std::int64_t>& shape);

/// Canonical name of the learned L2Norm gamma.
inline const char* kGammaName = "L2Norm.weight";

} // namespace featscale::analysis::weights
