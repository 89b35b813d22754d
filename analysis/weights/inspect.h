// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/weights/weight_info.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// Opens a weight file the way an Analyzer would (any supported format, decided by content; nothing
/// in the file is executed) and describes it: format, key layout, family and its input preset,
/// topology, parameter count, sha256, learned gamma, SSD extras, NaN/Inf and ignored-key warnings.
/// archHint picks the topology when the file alone does not decide. Throws Error naming the file
/// and the problem.
WeightInfo inspect(const std::string& path, std::optional<Arch> archHint = std::nullopt);

/// One parameter as plain data: shape and float32 values, row-major.
struct PlainTensor {
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

/// A weight file's parameters under featscale's canonical names (`features.N.weight`, `fc6`'s
/// `features.31.weight` in the reduced topology, `classifier.N.*`, `extras.N.*`, `L2Norm.weight`),
/// for tools that run the same weights elsewhere (the OpenCV DNN benchmark, tests).
struct CanonicalWeights {
    WeightInfo info;
    std::map<std::string, PlainTensor> params;
};

/// inspect() plus the parameters themselves.
CanonicalWeights readCanonical(const std::string& path, std::optional<Arch> archHint = std::nullopt);

} // namespace featscale::analysis::weights
