// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch. The Caffe and ONNX readers on bytes already in memory —
// what readCaffe / readOnnx use after reading the file, and what the fuzz target feeds directly.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"
#include "analysis/weights/internal/state_dict.h"

#include <string>

namespace featscale::analysis::weights {

/// A binary Caffe NetParameter; name is used in error messages (normally the file's path).
RawTensors parseCaffeModel(const ProtoBytes& bytes, const std::string& name);

/// A binary ONNX ModelProto; takes ownership of the bytes.
RawTensors parseOnnxModel(ProtoFile file, const std::string& name);

} // namespace featscale::analysis::weights
