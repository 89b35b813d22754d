// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the Caffe and ONNX weight readers without LibTorch — the bounds-checked protobuf
// wire reader, Caffe layer/blob parsing (V1 and V2) and ONNX graph/initializer parsing, including
// the float/double/float16/bfloat16 conversions. Input starting with ONNX's ir_version tag (0x08) is
// read as ONNX, anything else as Caffe, as readWeightFile routes unnamed protobufs. Every blob and
// constant is copied out into a buffer of its validated count, so a count that the bytes do not
// justify would show as a huge allocation (-malloc_limit_mb) or an overflow (ASan).
#include "analysis/core/types.h"
#include "analysis/weights/formats/caffe/internal/caffe_model.h"
#include "analysis/weights/formats/onnx/internal/onnx_graph.h"

#include <vector>

namespace {

using namespace featscale::analysis;
using namespace featscale::analysis::weights;

void readCaffe(const ProtoBytes& bytes)
{
    std::size_t fields = 0;
    std::vector<float> out;
    for (const CaffeLayer& layer : parseCaffeLayers(bytes, fields))
        for (std::size_t i = 0; i < layer.blobs.size(); ++i) {
            const CaffeBlob blob = parseCaffeBlob(layer.blobs[i], layer.name);
            out.resize(blob.count);
            copyBlobValues(blob, out.data());
        }
}

void readOnnx(ProtoFile file)
{
    const OnnxGraph g = OnnxGraph::parse(std::move(file), "fuzz.onnx");
    std::vector<float> out;
    for (const auto& [name, bytes] : g.initializers) {
        try {
            const OnnxTensor t = g.constant(name);
            out.resize(t.count);
            copyAsFloat(t, out.data());
        } catch (const Error&) {
            // a non-float constant (e.g. a shape) is refused; keep converting the others
        }
    }
    for (const OnnxNode& n : g.nodes)
        for (const auto& input : n.inputs)
            g.resolve(input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        if (size > 0 && data[0] == 0x08) {
            ProtoFile file;
            file.bytes.assign(data, data + size);
            readOnnx(std::move(file));
        } else {
            readCaffe(ProtoBytes{data, size, 0});
        }
    } catch (const ProtoError&) {
        // Malformed protobuf refused with its byte offset: the expected outcome.
    } catch (const Error&) {
        // Refused with a message: also expected.
    }
    return 0;
}
