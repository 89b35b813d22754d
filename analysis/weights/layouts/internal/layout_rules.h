// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch (through state_dict.h).
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/internal/state_dict.h"

#include <string>

namespace featscale::analysis::weights {

/// Outcome of renaming one file key into canonical names.
struct Renamed {
    /// Ignored: bookkeeping dropped quietly (BatchNorm's num_batches_tracked); Head: a detection
    /// head, not part of the backbone, dropped and listed in a warning.
    enum Status { Mapped, Ignored, Head, Unknown } status = Unknown;
    std::string name; ///< canonical name when Mapped
};

/// One known key layout: how to recognise it and how its keys map to canonical names.
struct LayoutRule {
    const char* layout;               ///< MappedWeights::layout
    Arch defaultArch;                 ///< for files holding convolutions only
    std::vector<const char*> markers; ///< any of these keys present -> this layout
    Renamed (*rename)(const std::string& key);
    bool fixesArch = false; ///< the layout belongs to defaultArch alone (RefineDet's, S3FD's ports)
    int fc6Dilation = 0;    ///< MappedWeights::fc6Dilation of this layout's files
};

/// First rule (most specific first) one of whose marker keys the file has; nullptr if none.
const LayoutRule* detectLayout(const RawTensors& raw, bool (*hasKey)(const RawTensors&, const std::string&));

/// Family, default preprocessing and L2Norm eps of a weight set. The single place that decides them.
struct Convention {
    const char* family;
    Preset preset;
    EpsMode eps;
};
Convention conventionFor(const std::string& format, const std::string& layout, Arch arch);

/// Files in no known layout: their tensors, in file order, must have exactly the shapes of one
/// canonical table in order (vgg16, vgg16-reduced, vgg16-reduced with SSD extras, or the 13
/// convolutions alone, or another topology's table); tensors named like L2Norm weights (256 or
/// 512 values) are taken as the family's gammas, in file order.
/// Otherwise throws Error listing expected and found keys and shapes.
MappedWeights mapByOrder(const RawTensors& raw, std::optional<Arch> archHint, const std::string& path);

} // namespace featscale::analysis::weights
