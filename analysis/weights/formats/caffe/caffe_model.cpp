// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/caffe/internal/caffe_model.h"

#include "analysis/weights/layouts/internal/canonical.h"

#include <algorithm>

namespace featscale::analysis::weights {
namespace {

// Field numbers from Caffe's caffe.proto.
constexpr std::uint32_t kNetLayersV1 = 2; // NetParameter.layers (V1LayerParameter)
constexpr std::uint32_t kNetLayer = 100;  // NetParameter.layer (LayerParameter)
constexpr std::uint32_t kLayerName = 1, kLayerType = 2, kLayerBottom = 3, kLayerBlobs = 7;
constexpr std::uint32_t kV1V0Layer = 1, kV1Bottom = 2, kV1Name = 4, kV1Type = 5, kV1Blobs = 6;
// A layer with more inputs than this is not part of a VGG detector (Concat layers have a handful).
constexpr std::size_t kMaxBottoms = 64;
constexpr std::uint32_t kBlobNum = 1, kBlobChannels = 2, kBlobHeight = 3, kBlobWidth = 4, kBlobData = 5, kBlobShape = 7,
                        kBlobDoubleData = 8;
constexpr std::uint32_t kShapeDim = 1;
// V1LayerParameter.LayerType values that matter here.
constexpr std::uint64_t kV1Convolution = 4, kV1InnerProduct = 14;

std::string v1TypeName(std::uint64_t t)
{
    if (t == kV1Convolution)
        return "Convolution";
    if (t == kV1InnerProduct)
        return "InnerProduct";
    return "V1:" + std::to_string(t);
}

CaffeLayer parseLayer(const ProtoBytes& bytes, bool v1)
{
    CaffeLayer layer;
    ProtoReader r(bytes);
    ProtoField f;
    while (r.next(f)) {
        if (!v1 && f.number == kLayerName && f.wire == ProtoField::kBytes)
            layer.name = f.bytes.str();
        else if (!v1 && f.number == kLayerType && f.wire == ProtoField::kBytes)
            layer.type = f.bytes.str();
        else if (f.number == (v1 ? kV1Bottom : kLayerBottom) && f.wire == ProtoField::kBytes) {
            if (layer.bottoms.size() < kMaxBottoms)
                layer.bottoms.emplace_back(reinterpret_cast<const char*>(f.bytes.data),
                                           std::min<std::size_t>(f.bytes.size, 256));
        } else if (!v1 && f.number == kLayerBlobs && f.wire == ProtoField::kBytes)
            layer.blobs.push_back(f.bytes);
        else if (v1 && f.number == kV1Name && f.wire == ProtoField::kBytes)
            layer.name = f.bytes.str();
        else if (v1 && f.number == kV1Type && f.wire == ProtoField::kVarint)
            layer.type = v1TypeName(f.varint);
        else if (v1 && f.number == kV1Blobs && f.wire == ProtoField::kBytes)
            layer.blobs.push_back(f.bytes);
        else if (v1 && f.number == kV1V0Layer && f.wire == ProtoField::kBytes)
            throw ProtoError("V0 layer definitions (Caffe before 2014) are not supported; upgrade the file "
                             "with Caffe's upgrade_net_proto_binary",
                             f.fileOffset);
    }
    return layer;
}

} // namespace

std::vector<CaffeLayer> parseCaffeLayers(const ProtoBytes& bytes, std::size_t& fields)
{
    std::vector<CaffeLayer> layers;
    ProtoReader net(bytes);
    ProtoField f;
    fields = 0;
    while (net.next(f)) {
        ++fields;
        if (f.wire != ProtoField::kBytes)
            continue;
        if (f.number == kNetLayer)
            layers.push_back(parseLayer(f.bytes, /*v1=*/false));
        else if (f.number == kNetLayersV1)
            layers.push_back(parseLayer(f.bytes, /*v1=*/true));
    }
    return layers;
}

CaffeBlob parseCaffeBlob(const ProtoBytes& bytes, const std::string& what)
{
    CaffeBlob blob;
    std::vector<std::int64_t>& dims = blob.shape;
    std::int64_t legacy[4] = {0, 0, 0, 0};
    bool hasLegacy = false;
    ProtoReader r(bytes);
    ProtoField f;
    while (r.next(f)) {
        if (f.number == kBlobShape && f.wire == ProtoField::kBytes) {
            dims.clear();
            ProtoReader sr(f.bytes);
            ProtoField d;
            while (sr.next(d))
                if (d.number == kShapeDim)
                    appendVarints(d, dims);
        } else if (f.number >= kBlobNum && f.number <= kBlobWidth && f.wire == ProtoField::kVarint) {
            legacy[f.number - kBlobNum] = static_cast<std::int32_t>(f.varint);
            hasLegacy = true;
        } else if (f.number == kBlobData) {
            blob.count += floatCount(f);
            blob.floats.push_back(f);
        } else if (f.number == kBlobDoubleData) {
            blob.count += doubleCount(f);
            blob.doubles.push_back(f);
        }
    }
    if (dims.empty() && hasLegacy)
        dims.assign(legacy, legacy + 4);

    // The claimed shape must describe exactly the values present: allocations are sized by values
    // that are really in the file, never by a claimed dimension.
    constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 40;
    std::uint64_t product = 1;
    for (auto d : dims) {
        const auto ud = static_cast<std::uint64_t>(d);
        if (d < 0 || (ud != 0 && product > kMaxElements / ud))
            throw ProtoError(what + ": absurd blob shape " + shapeString(dims), bytes.fileOffset);
        product *= ud;
    }
    if (dims.empty())
        dims = {static_cast<std::int64_t>(blob.count)};
    else if (product != blob.count)
        throw ProtoError(what + ": blob shape " + shapeString(dims) + " needs " + std::to_string(product) +
                             " values but the file holds " + std::to_string(blob.count),
                         bytes.fileOffset);
    return blob;
}

void copyBlobValues(const CaffeBlob& blob, float* dst)
{
    for (const auto& d : blob.floats) {
        copyFloats(d, dst);
        dst += floatCount(d);
    }
    for (const auto& d : blob.doubles) {
        copyDoubles(d, dst);
        dst += doubleCount(d);
    }
}

} // namespace featscale::analysis::weights
