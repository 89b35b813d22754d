// SPDX-License-Identifier: GPL-3.0-or-later
// Free of LibTorch (so the fuzz target can build it alone). The parts of an
// ONNX ModelProto that hold parameters — nodes (op type, inputs, outputs, scalar attributes) and
// constant tensors — read with the bounds-checked wire reader. Constant tensors stay undecoded views
// into the file buffer until constant() is asked for one, so only parameters that are used get
// converted.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"

#include <map>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

struct OnnxNode {
    std::string name;
    std::string opType;
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<std::string, std::int64_t> ints;
    std::map<std::string, float> floats;

    std::int64_t intAttribute(const std::string& key, std::int64_t fallback) const;
    float floatAttribute(const std::string& key, float fallback) const;
};

/// A constant tensor, validated (floating point, stored value count == product of dims) but not
/// yet copied: its values are views into the file buffer.
struct OnnxTensor {
    std::vector<std::int64_t> dims;
    std::int64_t dataType = 0; ///< TensorProto.DataType: 1 float, 10 float16, 11 double, 16 bfloat16
    std::size_t count = 0;
    bool hasRaw = false;
    ProtoBytes raw;
    std::vector<ProtoField> floats, doubles; ///< float_data / double_data occurrences
    std::vector<std::int64_t> halfBits;      ///< float16/bfloat16 patterns from int32_data
};

/// Copies t's count values, converted to float32, to dst.
void copyAsFloat(const OnnxTensor& t, float* dst);

/// The main graph of an ONNX model. Owns the file's bytes; not copyable (views point into them).
class OnnxGraph {
public:
    /// Parses a whole ModelProto (taking its bytes); name is used in messages. Throws ProtoError for
    /// malformed bytes and Error for data that is not a complete ONNX model.
    static OnnxGraph parse(ProtoFile file, const std::string& name);

    OnnxGraph(OnnxGraph&&) = default;
    OnnxGraph(const OnnxGraph&) = delete;
    OnnxGraph& operator=(const OnnxGraph&) = delete;

    /// Follows Identity nodes back to the value they copy.
    std::string resolve(const std::string& value) const;
    /// True when value is an initializer or the output of a Constant node.
    bool isConstant(const std::string& value) const { return initializers.count(value) != 0; }
    /// The constant named value (float, double, float16 or bfloat16). Throws Error when value is not
    /// a constant or is not floating point, ProtoError when its data do not match its shape.
    OnnxTensor constant(const std::string& value) const;

    std::vector<OnnxNode> nodes;
    std::map<std::string, ProtoBytes> initializers; ///< name -> TensorProto bytes

private:
    OnnxGraph() = default;

    ProtoFile m_file;
    std::map<std::string, std::string> m_identity; ///< Identity output -> input
};

} // namespace featscale::analysis::weights
