// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/onnx/internal/onnx_graph.h"
#include "analysis/weights/bytes/internal/float16.h"

#include "analysis/core/types.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <cstring>
#include <utility>

namespace featscale::analysis::weights {
namespace {

// Field numbers from onnx.proto.
constexpr std::uint32_t kModelGraph = 7, kModelOpsetImport = 8;
constexpr std::uint32_t kGraphNode = 1, kGraphInitializer = 5;
constexpr std::uint32_t kNodeInput = 1, kNodeOutput = 2, kNodeName = 3, kNodeOpType = 4, kNodeAttribute = 5;
constexpr std::uint32_t kAttrName = 1, kAttrF = 2, kAttrI = 3, kAttrT = 5;
constexpr std::uint32_t kTensorDims = 1, kTensorDataType = 2, kTensorSegment = 3, kTensorFloatData = 4,
                        kTensorInt32Data = 5, kTensorName = 8, kTensorRawData = 9, kTensorDoubleData = 10,
                        kTensorExternalData = 13, kTensorDataLocation = 14;
// TensorProto.DataType values accepted as parameters.
constexpr std::int64_t kFloat = 1, kFloat16 = 10, kDouble = 11, kBFloat16 = 16;

// Guards against a chain of Identity nodes that loops.
constexpr int kMaxIdentityChain = 64;
// A VGG16 graph has a few dozen nodes and parameters; the largest real models a few tens of
// thousands. Past these counts a file is refused, so that millions of tiny records (2 bytes each on
// the wire, some 200 in memory) cannot cost gigabytes.
constexpr std::size_t kMaxNodes = 100000;
constexpr std::size_t kMaxInitializers = 100000;

/// The node types the readers look at; all others are skipped as they are parsed.
bool usedNodeType(const std::string& op)
{
    return op == "Conv" || op == "Gemm" || op == "MatMul" || op == "Add" || op == "Identity" || op == "Constant";
}

std::string tensorName(const ProtoBytes& bytes)
{
    ProtoReader r(bytes);
    ProtoField f;
    while (r.next(f))
        if (f.number == kTensorName && f.wire == ProtoField::kBytes)
            return f.bytes.str();
    return {};
}

OnnxNode parseNode(const ProtoBytes& bytes, std::map<std::string, ProtoBytes>& constants)
{
    OnnxNode node;
    std::vector<ProtoBytes> tensorAttrs;
    ProtoReader r(bytes);
    ProtoField f;
    while (r.next(f)) {
        if (f.wire != ProtoField::kBytes)
            continue;
        if (f.number == kNodeInput)
            node.inputs.push_back(f.bytes.str());
        else if (f.number == kNodeOutput)
            node.outputs.push_back(f.bytes.str());
        else if (f.number == kNodeName)
            node.name = f.bytes.str();
        else if (f.number == kNodeOpType)
            node.opType = f.bytes.str();
        else if (f.number == kNodeAttribute) {
            std::string name;
            ProtoReader ar(f.bytes);
            ProtoField a;
            bool hasI = false, hasF = false;
            std::int64_t i = 0;
            float fl = 0;
            ProtoBytes t;
            while (ar.next(a)) {
                if (a.number == kAttrName && a.wire == ProtoField::kBytes)
                    name = a.bytes.str();
                else if (a.number == kAttrI && a.wire == ProtoField::kVarint)
                    hasI = true, i = a.asInt64();
                else if (a.number == kAttrF && a.wire == ProtoField::kFixed32)
                    hasF = true, fl = a.asFloat();
                else if (a.number == kAttrT && a.wire == ProtoField::kBytes)
                    t = a.bytes;
            }
            if (hasI)
                node.ints[name] = i;
            if (hasF)
                node.floats[name] = fl;
            if (name == "value" && t.data)
                tensorAttrs.push_back(t);
        }
    }
    if (node.opType == "Constant" && !tensorAttrs.empty() && !node.outputs.empty())
        constants[node.outputs[0]] = tensorAttrs.front();
    return node;
}

} // namespace

std::int64_t OnnxNode::intAttribute(const std::string& key, std::int64_t fallback) const
{
    auto it = ints.find(key);
    return it == ints.end() ? fallback : it->second;
}

float OnnxNode::floatAttribute(const std::string& key, float fallback) const
{
    auto it = floats.find(key);
    return it == floats.end() ? fallback : it->second;
}

OnnxGraph OnnxGraph::parse(ProtoFile file, const std::string& path)
{
    OnnxGraph g;
    g.m_file = std::move(file);
    ProtoBytes graph;
    bool hasOpset = false;
    ProtoReader model(g.m_file.all());
    ProtoField f;
    while (model.next(f)) {
        if (f.number == kModelGraph && f.wire == ProtoField::kBytes)
            graph = f.bytes;
        else if (f.number == kModelOpsetImport && f.wire == ProtoField::kBytes)
            hasOpset = true;
    }
    if (!graph.data)
        throw Error(path + ": not an ONNX model (no graph)");
    // Every valid model declares its opsets; exporters write them after the graph, so their absence
    // is also how a file cut just after the graph shows.
    if (!hasOpset)
        throw Error(path + ": not a complete ONNX model (no opset_import; truncated?)");

    ProtoReader gr(graph);
    while (gr.next(f)) {
        if (f.wire != ProtoField::kBytes)
            continue;
        if (f.number == kGraphNode) {
            OnnxNode node = parseNode(f.bytes, g.initializers);
            if (!usedNodeType(node.opType))
                continue;
            if (g.nodes.size() == kMaxNodes)
                throw Error(path + ": more than " + std::to_string(kMaxNodes) +
                            " Conv/Gemm/MatMul/Add/Identity/Constant nodes; not a VGG16 graph");
            g.nodes.push_back(std::move(node));
        } else if (f.number == kGraphInitializer) {
            g.initializers[tensorName(f.bytes)] = f.bytes;
        }
        if (g.initializers.size() > kMaxInitializers)
            throw Error(path + ": more than " + std::to_string(kMaxInitializers) +
                        " constant tensors; not a VGG16 graph");
    }
    for (const auto& n : g.nodes)
        if (n.opType == "Identity" && n.inputs.size() == 1 && n.outputs.size() == 1)
            g.m_identity[n.outputs[0]] = n.inputs[0];
    return g;
}

std::string OnnxGraph::resolve(const std::string& value) const
{
    std::string v = value;
    for (int i = 0; i < kMaxIdentityChain; ++i) {
        auto it = m_identity.find(v);
        if (it == m_identity.end())
            return v;
        v = it->second;
    }
    throw Error("Identity nodes form a cycle through '" + value + "'");
}

OnnxTensor OnnxGraph::constant(const std::string& value) const
{
    auto it = initializers.find(value);
    if (it == initializers.end())
        throw Error("'" + value + "' is computed by the graph, not a stored parameter");
    OnnxTensor t;
    std::vector<ProtoField> int32s;
    ProtoReader r(it->second);
    ProtoField f;
    while (r.next(f)) {
        switch (f.number) {
        case kTensorDims:
            appendVarints(f, t.dims);
            break;
        case kTensorDataType:
            t.dataType = f.asInt64();
            break;
        case kTensorFloatData:
            t.floats.push_back(f);
            break;
        case kTensorInt32Data:
            int32s.push_back(f);
            break;
        case kTensorDoubleData:
            t.doubles.push_back(f);
            break;
        case kTensorRawData:
            t.raw = f.bytes, t.hasRaw = true;
            break;
        case kTensorSegment:
            throw Error("tensor '" + value + "' is segmented, which is not supported");
        case kTensorExternalData:
            throw Error("tensor '" + value +
                        "' is stored in an external file; featscale reads only "
                        "self-contained .onnx files (it never follows paths written in a weight file)");
        case kTensorDataLocation:
            if (f.varint != 0)
                throw Error("tensor '" + value +
                            "' is stored in an external file; featscale reads only "
                            "self-contained .onnx files (it never follows paths written in a weight file)");
            break;
        default:
            break;
        }
    }
    constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 40;
    std::uint64_t n = 1;
    for (auto d : t.dims) {
        const auto ud = static_cast<std::uint64_t>(d);
        if (d < 0 || (ud != 0 && n > kMaxElements / ud))
            throw Error("tensor '" + value + "' has an absurd shape " + shapeString(t.dims));
        n *= ud;
    }
    if (t.dataType != kFloat && t.dataType != kFloat16 && t.dataType != kDouble && t.dataType != kBFloat16)
        throw Error("tensor '" + value + "' has ONNX data type " + std::to_string(t.dataType) +
                    "; parameters must be float, double, float16 or bfloat16");
    const std::size_t elemSize = t.dataType == kFloat ? 4 : t.dataType == kDouble ? 8 : 2;
    const std::string shapeText = shapeString(t.dims);

    // Every path checks the stored value count against the claimed shape, so a tensor never gets
    // more memory than its bytes in the file justify.
    std::size_t count = 0;
    if (t.hasRaw) {
        if (t.raw.size != n * elemSize)
            throw ProtoError("tensor '" + value + "' of shape " + shapeText + " needs " + std::to_string(n * elemSize) +
                                 " bytes of raw data, found " + std::to_string(t.raw.size),
                             t.raw.fileOffset);
        count = static_cast<std::size_t>(n);
    } else if (t.dataType == kFloat) {
        for (const auto& d : t.floats)
            count += floatCount(d);
    } else if (t.dataType == kDouble) {
        for (const auto& d : t.doubles)
            count += doubleCount(d);
    } else {
        // float16 / bfloat16 without raw_data: the 16-bit patterns sit in int32_data, one per varint.
        for (const auto& d : int32s) {
            appendVarints(d, t.halfBits);
            if (t.halfBits.size() > n)
                break;
        }
        count = t.halfBits.size();
    }
    if (count != n)
        throw Error("tensor '" + value + "' of shape " + shapeText + " holds " + std::to_string(count) + " values");
    t.count = count;
    return t;
}

void copyAsFloat(const OnnxTensor& t, float* dst)
{
    auto fromBits = [&](std::uint16_t bits) {
        return t.dataType == kFloat16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
    };
    if (t.hasRaw) {
        const unsigned char* p = t.raw.data;
        if (t.dataType == kFloat) {
            if (t.count)
                std::memcpy(dst, p, t.count * 4);
            return;
        }
        for (std::size_t i = 0; i < t.count; ++i) {
            if (t.dataType == kDouble) {
                double d;
                std::memcpy(&d, p + 8 * i, 8);
                dst[i] = static_cast<float>(d);
            } else {
                std::uint16_t bits;
                std::memcpy(&bits, p + 2 * i, 2);
                dst[i] = fromBits(bits);
            }
        }
        return;
    }
    if (t.dataType == kFloat) {
        for (const auto& d : t.floats) {
            copyFloats(d, dst);
            dst += floatCount(d);
        }
    } else if (t.dataType == kDouble) {
        for (const auto& d : t.doubles) {
            copyDoubles(d, dst);
            dst += doubleCount(d);
        }
    } else {
        for (std::size_t i = 0; i < t.halfBits.size(); ++i)
            dst[i] = fromBits(static_cast<std::uint16_t>(t.halfBits[i]));
    }
}

} // namespace featscale::analysis::weights
