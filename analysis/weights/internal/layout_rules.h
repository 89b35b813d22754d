// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch (through state_dict.h).
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/internal/state_dict.h"

#include <string>

namespace featscale::analysis::weights {

/// Outcome of renaming one file key into canonical names.
struct Renamed {
    enum Status { Mapped, Ignored, Unknown } status = Unknown;
    std::string name; ///< canonical name when Mapped
};

/// One known key layout: how to recognise it and how its keys map to canonical names.
struct LayoutRule {
    const char* layout;                ///< MappedWeights::layout
    Arch defaultArch;                  ///< for files holding convolutions only
    std::vector<const char*> markers;  ///< any of these keys present -> this layout
    Renamed (*rename)(const std::string& key);
};

/// First rule (most specific first) one of whose marker keys the file has; nullptr if none.
const LayoutRule* detectLayout(const RawTensors& raw, bool (*hasKey)(const RawTensors&, const std::string&));

/// Family and default preprocessing of a weight set. The single place that decides it.
struct Convention {
    const char* family;
    Preset preset;
};
Convention conventionFor(const std::string& format, const std::string& layout, Arch arch);

/// Files in no known layout: their tensors, in file order, must have exactly the shapes of one
/// canonical table in order (vgg16, vgg16-reduced, vgg16-reduced with SSD extras, or the 13
/// convolutions alone); a tensor named like an L2Norm weight of 512 values is taken as gamma.
/// Otherwise throws Error listing expected and found keys and shapes.
MappedWeights mapByOrder(const RawTensors& raw, std::optional<Arch> archHint, const std::string& path);

} // namespace featscale::analysis::weights
