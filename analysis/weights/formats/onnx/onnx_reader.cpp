// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX models (a binary ModelProto). Read with the bounds-checked wire reader rather than OpenCV dnn:
// OpenCV would build (and fuse) the whole network, which hides which initializer is which, and its
// parser is not meant for hostile input. Parameters come from the graph's initializers (and Constant
// nodes); tensors stored in external files are refused, since following a path written in a weight
// file could read anything on the machine.
//
// Mapping: a graph exported by torch.onnx from torchvision's VGG16 keeps the parameter names
// (features.0.weight ...), which are used as they are. Otherwise the graph is walked in node order:
// Conv weights/biases in order are conv1_1 ... conv5_3 (then fc6/fc7 of the reduced VGG16 and SSD's
// extras), Gemm / MatMul(+Add) in order are fc6, fc7, fc8 (Gemm with transB=0 and MatMul store the
// weight as in x out and are transposed to torch's out x in).
#include "analysis/weights/formats/internal/reader_errors.h"
#include "analysis/weights/formats/onnx/internal/onnx_graph.h"
#include "analysis/weights/formats/protobuf/internal/protobuf_readers.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <torch/torch.h>

#include <map>
#include <set>

namespace featscale::analysis::weights {
namespace {

// A constant of the graph as an owning float32 tensor.
torch::Tensor toTensor(const OnnxGraph& g, const std::string& value)
{
    const OnnxTensor c = g.constant(value);
    torch::Tensor t = torch::empty(c.dims, torch::kFloat32);
    copyAsFloat(c, t.data_ptr<float>());
    return t;
}

/// Constants converted at most once each, however many nodes share them: a hostile graph can
/// point thousands of nodes at one large initializer.
class ConstantCache {
public:
    explicit ConstantCache(const OnnxGraph& g) : m_graph(g) { }
    const torch::Tensor& get(const std::string& value)
    {
        auto it = m_tensors.find(value);
        if (it == m_tensors.end())
            it = m_tensors.emplace(value, toTensor(m_graph, value)).first;
        return it->second;
    }
    /// The shape of a constant without converting its values.
    const std::vector<std::int64_t>& dims(const std::string& value)
    {
        auto it = m_dims.find(value);
        if (it == m_dims.end())
            it = m_dims.emplace(value, m_graph.constant(value).dims).first;
        return it->second;
    }

private:
    const OnnxGraph& m_graph;
    std::map<std::string, torch::Tensor> m_tensors;
    std::map<std::string, std::vector<std::int64_t>> m_dims;
};

/// A Conv or Linear layer found in the graph, by the names of its constants: only the layers that
/// are mapped get converted (emit), however many the graph holds.
struct Param {
    std::string op;                 // "Conv" or "Linear"
    std::string node;               // node name for messages
    std::string weight, bias;       // resolved constant names; bias may be empty
    bool transpose = false;         // stored in x out (Gemm transB=0, MatMul): torch wants out x in
    std::vector<std::int64_t> dims; // weight shape as torch wants it
};

bool hasAll(const std::map<std::string, ProtoBytes>& inits, const std::vector<CanonicalParam>& table)
{
    for (const auto& p : table)
        if (inits.count(p.name) == 0)
            return false;
    return true;
}

// torch.onnx export of a torchvision-style module: the canonical names are already there.
bool readByName(const OnnxGraph& g, RawTensors& out)
{
    for (Arch arch : {Arch::Vgg16, Arch::Vgg16Reduced}) {
        const auto table = canonicalParams(arch, /*withExtras=*/arch == Arch::Vgg16Reduced);
        const bool withExtras = hasAll(g.initializers, table);
        const auto core = canonicalParams(arch, /*withExtras=*/false);
        if (!withExtras && !hasAll(g.initializers, core))
            continue;
        for (const auto& p : withExtras ? table : core)
            out.tensors.emplace_back(p.name, toTensor(g, p.name));
        for (const auto& [name, unused] : g.initializers) // "L2Norm.weight" (conv4_3's) or "L2Norm.<tap>.weight"
            if (name == kLegacyGammaName || !gammaLayer(name).empty())
                out.tensors.emplace_back(name, toTensor(g, name).reshape({-1}).contiguous());
        return true;
    }
    return false;
}

std::int64_t numel(const std::vector<std::int64_t>& shape)
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

std::vector<Param> collectParams(const OnnxGraph& g, ConstantCache& constants)
{
    // The Add nodes that consume each value, for MatMul biases (x*W + b): one pass, not one scan of
    // the graph per MatMul.
    std::map<std::string, std::vector<const OnnxNode*>> addsOf;
    for (const OnnxNode& m : g.nodes)
        if (m.opType == "Add" && m.inputs.size() == 2)
            for (const std::string& in : m.inputs)
                addsOf[in].push_back(&m);
    std::vector<Param> params;
    for (const OnnxNode& n : g.nodes) {
        if (n.opType == "Conv") {
            if (n.inputs.size() < 2)
                throw Error("Conv node '" + n.name + "' has no weight input");
            Param p{"Conv", n.name, g.resolve(n.inputs[1]), {}, false, {}};
            if (n.inputs.size() >= 3 && !n.inputs[2].empty())
                p.bias = g.resolve(n.inputs[2]);
            p.dims = constants.dims(p.weight);
            if (p.dims.size() != 4)
                throw Error("Conv node '" + n.name + "': weight is " + shapeString(p.dims) + ", expected 4-D");
            params.push_back(std::move(p));
        } else if (n.opType == "Gemm") {
            if (n.inputs.size() < 2)
                throw Error("Gemm node '" + n.name + "' has no weight input");
            if (n.intAttribute("transA", 0) != 0)
                throw Error("Gemm node '" + n.name + "' uses transA=1, which a VGG16 classifier never does");
            if (n.floatAttribute("alpha", 1.0f) != 1.0f || n.floatAttribute("beta", 1.0f) != 1.0f)
                throw Error("Gemm node '" + n.name + "' scales with alpha/beta != 1; not a plain Linear layer");
            Param p{"Linear", n.name, g.resolve(n.inputs[1]), {}, n.intAttribute("transB", 0) == 0, {}};
            p.dims = constants.dims(p.weight);
            if (p.dims.size() != 2)
                throw Error("Gemm node '" + n.name + "': weight is " + shapeString(p.dims) + ", expected 2-D");
            if (p.transpose)
                std::swap(p.dims[0], p.dims[1]);
            if (n.inputs.size() >= 3 && !n.inputs[2].empty())
                p.bias = g.resolve(n.inputs[2]);
            params.push_back(std::move(p));
        } else if (n.opType == "MatMul" && n.inputs.size() == 2 && g.isConstant(g.resolve(n.inputs[1]))) {
            Param p{"Linear", n.name, g.resolve(n.inputs[1]), {}, true, {}};
            p.dims = constants.dims(p.weight);
            if (p.dims.size() != 2)
                throw Error("MatMul node '" + n.name + "': weight is " + shapeString(p.dims) + ", expected 2-D");
            std::swap(p.dims[0], p.dims[1]);
            // The bias of x*W + b is the constant operand of the Add that consumes the product.
            if (!n.outputs.empty())
                if (auto it = addsOf.find(n.outputs[0]); it != addsOf.end())
                    for (const OnnxNode* m : it->second)
                        for (int k = 0; k < 2; ++k)
                            if (m->inputs[k] == n.outputs[0] && g.isConstant(g.resolve(m->inputs[1 - k])))
                                p.bias = g.resolve(m->inputs[1 - k]);
            params.push_back(std::move(p));
        }
    }
    return params;
}

void emit(RawTensors& out, ConstantCache& constants, const std::string& prefix, const Param& p,
          const std::vector<std::int64_t>& shape)
{
    torch::Tensor w = constants.get(p.weight);
    if (p.transpose)
        w = w.t();
    if (!shape.empty() && w.numel() == numel(shape))
        w = w.reshape(shape); // fc6 stored as a 7x7 convolution, fc7 as 1x1
    out.tensors.emplace_back(prefix + ".weight", w.contiguous());
    if (!p.bias.empty())
        out.tensors.emplace_back(prefix + ".bias", constants.get(p.bias).reshape({-1}).contiguous());
    else
        out.warnings.push_back(prefix + " (ONNX node '" + p.node + "') has no bias");
}

void readByOrder(const OnnxGraph& g, RawTensors& out)
{
    ConstantCache constants(g);
    const std::vector<Param> params = collectParams(g, constants);
    std::vector<const Param*> convs, linears;
    for (const auto& p : params)
        (p.op == "Conv" ? convs : linears).push_back(&p);
    if (convs.size() < 13)
        throw Error("found " + std::to_string(convs.size()) + " Conv and " + std::to_string(linears.size()) +
                    " Gemm/MatMul layers with constant weights; VGG16 has 13 convolutions");

    const auto vgg = canonicalParams(Arch::Vgg16);
    for (std::size_t i = 0; i < 13; ++i) {
        const std::string& name = vgg[2 * i].name;
        emit(out, constants, name.substr(0, name.rfind('.')), *convs[i], vgg[2 * i].shape);
    }

    // Convolutions after conv5_3: fc6/fc7 of the reduced VGG16 (1024 channels), or VGG16's fc6/fc7/fc8
    // written as convolutions (4096 channels) by fully convolutional exports.
    std::size_t next = 13;
    std::vector<std::string> ignored;
    const bool convFc = convs.size() > 13 && convs[13]->dims[0] == 4096;
    if (convFc) {
        const char* names[] = {"classifier.0", "classifier.3", "classifier.6"};
        for (int k = 0; k < 3 && next < convs.size(); ++k, ++next) {
            const auto& p = vgg[26 + 2 * k];
            emit(out, constants, names[k], *convs[next], p.shape);
        }
    } else if (convs.size() >= 15) {
        emit(out, constants, "features.31", *convs[13], {1024, 512, 3, 3});
        emit(out, constants, "features.33", *convs[14], {1024, 1024, 1, 1});
        next = 15;
        const auto extras = canonicalParams(Arch::Vgg16Reduced, /*withExtras=*/true);
        const std::size_t firstExtra = extras.size() - 16;
        bool allMatch = convs.size() >= 23;
        for (std::size_t k = 0; allMatch && k < 8; ++k)
            allMatch = convs[15 + k]->dims == extras[firstExtra + 2 * k].shape;
        if (allMatch) {
            for (std::size_t k = 0; k < 8; ++k)
                emit(out, constants, "extras." + std::to_string(k), *convs[15 + k], {});
            next = 23;
        }
    } else if (convs.size() == 14) {
        ignored.push_back(convs[13]->node);
        next = 14;
    }
    for (; next < convs.size(); ++next)
        ignored.push_back(convs[next]->node);

    const char* linearNames[] = {"classifier.0", "classifier.3", "classifier.6"};
    for (std::size_t k = 0; k < linears.size(); ++k) {
        if (k < 3 && !convFc)
            emit(out, constants, linearNames[k], *linears[k], {});
        else
            ignored.push_back(linears[k]->node);
    }
    if (!ignored.empty()) {
        std::string list;
        for (std::size_t i = 0; i < ignored.size() && i < 12; ++i)
            list += (i ? ", " : "") + ignored[i];
        if (ignored.size() > 12)
            list += ", ... (" + std::to_string(ignored.size()) + " in all)";
        out.warnings.push_back("ignored ONNX layers beyond VGG16's: " + list);
    }
}

} // namespace

RawTensors parseOnnxModel(ProtoFile file, const std::string& path)
{
    RawTensors out;
    out.format = "onnx";
    rethrowWithFile(path, "ONNX model", [&] {
        const OnnxGraph g = OnnxGraph::parse(std::move(file), path);
        if (!readByName(g, out)) {
            readByOrder(g, out);
            out.warnings.push_back("ONNX parameters mapped by node order (Conv, Gemm/MatMul), not by name");
        }
    });
    return out;
}

RawTensors readOnnx(const std::string& path)
{
    ProtoFile file = readProtoFile(path);
    const std::string sha256 = file.sha256;
    RawTensors raw = parseOnnxModel(std::move(file), path);
    raw.sha256 = sha256;
    return raw;
}

} // namespace featscale::analysis::weights
