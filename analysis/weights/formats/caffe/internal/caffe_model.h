// SPDX-License-Identifier: GPL-3.0-or-later
// Free of LibTorch (so the fuzz target can build it alone). The layers and
// blobs of a binary Caffe NetParameter (V2 `layer` and V1 `layers`), validated but not yet copied:
// a blob's values stay views into the file buffer until copyBlobValues.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

struct CaffeLayer {
    std::string name;
    std::string type;                 ///< V2 type string; "Convolution"/"InnerProduct"/"V1:<n>" for V1 files
    std::vector<std::string> bottoms; ///< input blob names (a Normalize layer's bottom is the tap it normalizes)
    std::vector<ProtoBytes> blobs;
};

/// A BlobProto whose shape (BlobShape, or legacy num/channels/height/width) has been checked to
/// describe exactly the values stored: count is bounded by the bytes in the file.
struct CaffeBlob {
    std::vector<std::int64_t> shape;
    std::size_t count = 0;
    std::vector<ProtoField> floats, doubles;
};

/// The layers of a NetParameter, in file order. fields receives the number of top-level fields.
/// Throws ProtoError for malformed bytes or V0 layers.
std::vector<CaffeLayer> parseCaffeLayers(const ProtoBytes& net, std::size_t& fields);

/// Parses and validates one blob; what names it in messages. Throws ProtoError.
CaffeBlob parseCaffeBlob(const ProtoBytes& bytes, const std::string& what);

/// Copies the blob's count values, converted to float, to dst.
void copyBlobValues(const CaffeBlob& blob, float* dst);

} // namespace featscale::analysis::weights
