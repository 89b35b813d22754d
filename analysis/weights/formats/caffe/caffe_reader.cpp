// SPDX-License-Identifier: GPL-3.0-or-later
// Caffe .caffemodel files (a binary NetParameter). Read with the bounds-checked wire reader rather
// than OpenCV dnn: OpenCV needs a prototxt that matches the file exactly, rejects V1 files it cannot
// upgrade, and its protobuf parser is not meant for hostile input. Blobs are matched by layer name
// (conv1_1 ... conv5_3, fc6, fc7, fc8, conv6_1 ... conv10_2) and Normalize layers by the blob they
// normalize, so any net definition that uses the VGG16 / SSD / RefineDet / SFD names works, whatever
// else it holds; the mapping then tells the topology from the extra and normalized layers present.
#include "analysis/weights/formats/caffe/internal/caffe_model.h"
#include "analysis/weights/formats/internal/reader_errors.h"
#include "analysis/weights/formats/protobuf/internal/protobuf_readers.h"
#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <torch/torch.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace featscale::analysis::weights {
namespace {

// The detectors' extra layers in Caffe naming, in the order of the canonical extras.N: SSD300 has
// the first 8, SSD512 all 10, SFD (S3FD) the first 4, RefineDet the first 2.
constexpr const char* kCaffeExtras[] = {"conv6_1", "conv6_2", "conv7_1", "conv7_2",  "conv8_1",
                                        "conv8_2", "conv9_1", "conv9_2", "conv10_1", "conv10_2"};
constexpr int kExtraCounts[] = {0, 2, 4, 8, 10};

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One blob as a float32 tensor of its stored shape.
torch::Tensor blobTensor(const ProtoBytes& bytes, const std::string& what)
{
    const CaffeBlob blob = parseCaffeBlob(bytes, what);
    torch::Tensor t = torch::empty(blob.shape, torch::kFloat32);
    copyBlobValues(blob, t.data_ptr<float>());
    return t;
}

// A blob in its canonical shape when the element count agrees (legacy 4-D blobs of biases and
// inner products, or fc6 stored as a 7x7 convolution); otherwise as stored, so that the mapping
// reports the mismatch with the shape the file really has.
torch::Tensor shaped(torch::Tensor t, const std::vector<std::int64_t>& canonical)
{
    std::int64_t n = 1;
    for (auto d : canonical)
        n *= d;
    return t.numel() == n ? t.reshape(canonical).contiguous() : t;
}

class CaffeMapper {
public:
    explicit CaffeMapper(RawTensors& out) : m_out(out)
    {
        // SSD512's table holds every extra layer any detector has (the others' are its first ones).
        for (const auto& p : canonicalParams(Arch::Ssd512, /*withExtras=*/true))
            m_shapes[p.name] = p.shape;
        for (const auto& p : canonicalParams(Arch::Vgg16))
            m_shapes[p.name] = p.shape;
        for (const auto& p : canonicalParams(Arch::Vgg16))
            if (p.name.rfind("features.", 0) == 0 && m_convPrefix.count(p.layer) == 0) {
                m_convPrefix[p.layer] = p.name.substr(0, p.name.rfind('.'));
                m_channels[p.layer] = p.shape[0];
            }
        m_channels["fc7"] = 1024;
        for (int i = 0; i < 10; ++i)
            m_convPrefix[kCaffeExtras[i]] = "extras." + std::to_string(i);
    }

    void add(const CaffeLayer& layer, const std::vector<torch::Tensor>& blobs)
    {
        const std::string& n = layer.name;
        if (layer.type == "Normalize" || (blobs.size() == 1 && endsWith(n, "_norm"))) {
            addNormalize(layer, blobs);
        } else if (m_convPrefix.count(n)) {
            emit(m_convPrefix[n], n, blobs);
        } else if (n == "fc6") {
            const bool linear = blobs[0].numel() == 4096LL * 25088 ||
                                (blobs[0].numel() != 1024LL * 512 * 9 && layer.type == "InnerProduct");
            emit(linear ? "classifier.0" : "features.31", n, blobs);
        } else if (n == "fc7") {
            const bool linear = blobs[0].numel() == 4096LL * 4096 ||
                                (blobs[0].numel() != 1024LL * 1024 && layer.type == "InnerProduct");
            emit(linear ? "classifier.3" : "features.33", n, blobs);
        } else if (n == "fc8") {
            m_fc8 = blobs; // kept only when fc6/fc7 turn out to be VGG16's Linear layers
        } else {
            m_ignored.push_back(n);
        }
    }

    void finish()
    {
        // A protobuf has no end marker: a file cut at a layer boundary parses cleanly, so completeness
        // is what reveals truncation. VGG16 without all 13 convolutions is not VGG16.
        std::string missing;
        for (const auto& [layer, prefix] : m_convPrefix)
            if (prefix.rfind("features.", 0) == 0 && m_seen.count(prefix) == 0)
                missing += (missing.empty() ? "" : ", ") + layer;
        const bool fc6 = m_seen.count("classifier.0") || m_seen.count("features.31");
        const bool fc7 = m_seen.count("classifier.3") || m_seen.count("features.33");
        if (fc6 != fc7)
            missing += std::string(missing.empty() ? "" : ", ") + (fc6 ? "fc7" : "fc6");
        // Extra layers come in the detectors' counts (RefineDet 2, SFD 4, SSD300 8, SSD512 10), from
        // conv6_1 on; anything else is a file cut short (or a net that is none of them).
        int last = 0;
        for (int i = 0; i < 10; ++i)
            if (m_seen.count("extras." + std::to_string(i)))
                last = i + 1;
        const int expected = *std::lower_bound(std::begin(kExtraCounts), std::end(kExtraCounts), last);
        for (int i = 0; i < expected; ++i)
            if (!m_seen.count("extras." + std::to_string(i)))
                missing += std::string(missing.empty() ? "" : ", ") + kCaffeExtras[i];
        if (!missing.empty())
            throw Error("layers missing: " + missing +
                        " (truncated file, or not a VGG16 / SSD / RefineDet / SFD model?)");
        if (!m_fc8.empty()) {
            if (m_hasLinearFc)
                emit("classifier.6", "fc8", m_fc8);
            else
                m_ignored.push_back("fc8");
        }
        if (!m_ignored.empty()) {
            std::string list;
            for (std::size_t i = 0; i < m_ignored.size() && i < 12; ++i)
                list += (i ? ", " : "") + m_ignored[i];
            if (m_ignored.size() > 12)
                list += ", ... (" + std::to_string(m_ignored.size()) + " in all)";
            m_out.warnings.push_back("ignored Caffe layers that are not part of the VGG16 backbone and its extra "
                                     "layers (detection heads and the like): " +
                                     list);
        }
    }

private:
    // A Normalize layer scales the tap its bottom blob names (ReLUs work in place, so conv4_3's
    // output blob is "conv4_3"); the layer's own name is only a fallback ("conv4_3_norm"). Its one
    // blob holds the learned scale, one value per channel (or one shared by all channels).
    void addNormalize(const CaffeLayer& layer, const std::vector<torch::Tensor>& blobs)
    {
        const std::string& n = layer.name;
        std::string tap = layer.bottoms.empty() ? std::string() : layer.bottoms.front();
        if (!m_channels.count(tap) && endsWith(n, "_norm"))
            tap = n.substr(0, n.size() - 5);
        if (!m_channels.count(tap)) {
            m_ignored.push_back(n + " (Normalize on " +
                                (layer.bottoms.empty() ? std::string("no input") : layer.bottoms.front()) + ")");
            return;
        }
        const std::int64_t channels = m_channels[tap];
        if (blobs.size() != 1)
            throw Error("Normalize layer " + n + " (on " + tap + ") has " + std::to_string(blobs.size()) +
                        " blobs; expected one, its scale");
        torch::Tensor scale = blobs[0].reshape({-1});
        if (scale.numel() == 1) {
            m_out.warnings.push_back("Normalize layer " + n + " shares one scale across channels (" +
                                     std::to_string(scale.item<float>()) + "): used for all " +
                                     std::to_string(channels) + " channels of " + tap);
            scale = scale.expand({channels});
        }
        if (scale.numel() != channels)
            throw Error("Normalize layer " + n + " (on " + tap + ") has " + std::to_string(scale.numel()) +
                        " scale values, but " + tap + " has " + std::to_string(channels) + " channels");
        if (auto [it, inserted] = m_normalizedBy.emplace(tap, n); !inserted)
            throw Error("two Normalize layers normalize " + tap + ": " + it->second + " and " + n);
        m_out.tensors.emplace_back(gammaName(tap), scale.contiguous());
    }

    void emit(const std::string& prefix, const std::string& layer, const std::vector<torch::Tensor>& blobs)
    {
        if (!m_seen.insert(prefix).second)
            throw Error("two layers map to " + layer + " (" + prefix + ")");
        if (prefix.rfind("classifier.", 0) == 0)
            m_hasLinearFc = true;
        m_out.tensors.emplace_back(prefix + ".weight", shaped(blobs[0], m_shapes[prefix + ".weight"]));
        if (blobs.size() >= 2)
            m_out.tensors.emplace_back(prefix + ".bias", shaped(blobs[1], m_shapes[prefix + ".bias"]));
        else
            m_out.warnings.push_back(layer + " has no bias blob (bias_term: false?)");
        if (blobs.size() > 2)
            m_out.warnings.push_back(layer + ": ignored " + std::to_string(blobs.size() - 2) + " extra blob(s)");
    }

    RawTensors& m_out;
    std::map<std::string, std::vector<std::int64_t>> m_shapes;
    std::map<std::string, std::string> m_convPrefix;   // Caffe layer name -> canonical prefix
    std::map<std::string, std::int64_t> m_channels;    // taps a Normalize layer may scale
    std::map<std::string, std::string> m_normalizedBy; // tap -> Normalize layer
    std::set<std::string> m_seen;
    std::vector<torch::Tensor> m_fc8;
    std::vector<std::string> m_ignored;
    bool m_hasLinearFc = false;
};

} // namespace

RawTensors parseCaffeModel(const ProtoBytes& bytes, const std::string& path)
{
    RawTensors out;
    out.format = "caffe";
    rethrowWithFile(path, "Caffe model", [&] {
        std::size_t fields = 0;
        const std::vector<CaffeLayer> layers = parseCaffeLayers(bytes, fields);
        CaffeMapper mapper(out);
        std::set<std::string> names;
        std::size_t withBlobs = 0;
        for (const auto& layer : layers) {
            if (layer.blobs.empty())
                continue;
            ++withBlobs;
            // A saved model has one entry per layer; a repeated name with weights is ambiguous.
            if (!names.insert(layer.name).second)
                throw Error("layer name '" + layer.name + "' occurs twice with weights");
            std::vector<torch::Tensor> blobs;
            for (std::size_t i = 0; i < layer.blobs.size(); ++i)
                blobs.push_back(blobTensor(layer.blobs[i], "layer " + layer.name + " blob " + std::to_string(i)));
            mapper.add(layer, blobs);
        }
        if (withBlobs == 0)
            throw Error(layers.empty()
                            ? "not a Caffe model: no layers found (" + std::to_string(fields) + " top-level fields)"
                            : "the net holds no weights (a deploy prototxt saved as binary?)");
        mapper.finish();
    });
    return out;
}

RawTensors readCaffe(const std::string& path)
{
    const ProtoFile file = readProtoFile(path);
    RawTensors raw = parseCaffeModel(file.all(), path);
    raw.sha256 = file.sha256;
    return raw;
}

} // namespace featscale::analysis::weights
