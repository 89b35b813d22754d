// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/tensor_source.h"
#include "analysis/weights/internal/state_dict.h"

namespace featscale::analysis::weights {

/// Copies parsed tensor sources into owned, contiguous float32 torch tensors (file order kept).
RawTensors toRawTensors(const ParsedTensors& parsed, const std::string& format);

} // namespace featscale::analysis::weights
