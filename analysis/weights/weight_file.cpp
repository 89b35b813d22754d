// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/hash/sha256.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace featscale::analysis::weights {
namespace {

std::string lowerExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::string readHead(std::ifstream& in, std::size_t n)
{
    std::string buf(n, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(n));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    return buf;
}

std::string hexPrefix(const std::string& bytes)
{
    std::ostringstream os;
    for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 8); ++i) {
        static const char* digits = "0123456789abcdef";
        auto c = static_cast<unsigned char>(bytes[i]);
        os << digits[c >> 4] << digits[c & 15] << (i + 1 < std::min<std::size_t>(bytes.size(), 8) ? " " : "");
    }
    return os.str();
}

// A TorchScript archive is a zip that holds compiled code and constants.pkl next to data.pkl;
// a torch.save archive holds only data.pkl and data/. The central directory (end of file) lists
// every entry name, so looking there is enough to tell them apart without parsing the archive.
bool zipLooksLikeTorchScript(std::ifstream& in, std::uintmax_t size)
{
    const std::uintmax_t tail = std::min<std::uintmax_t>(size, 1u << 20);
    in.clear();
    in.seekg(static_cast<std::streamoff>(size - tail));
    std::string buf = readHead(in, static_cast<std::size_t>(tail));
    return buf.find("constants.pkl") != std::string::npos || buf.find("/code/") != std::string::npos;
}

std::string indexString(std::int64_t flat, const torch::IntArrayRef& shape)
{
    std::vector<std::int64_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = shape[d] > 0 ? flat % shape[d] : 0;
        flat = shape[d] > 0 ? flat / shape[d] : 0;
    }
    std::string out = "[";
    for (std::size_t d = 0; d < index.size(); ++d)
        out += (d ? ", " : "") + std::to_string(index[d]);
    return out + "]";
}

// Where a parameter's NaN and Inf values sit: counts of each and the first offending element, so
// a user can find it in the file ("features.21.weight (conv4_3): 2 NaN and 1 Inf among 2359296
// values; first at [3, 7, 1, 2]"). Empty when every value is finite.
std::string nonFiniteReport(const std::string& name, const std::string& layer, const torch::Tensor& t)
{
    const torch::Tensor flat = t.reshape({-1});
    const std::int64_t nan = flat.isnan().sum().item<std::int64_t>();
    const std::int64_t inf = flat.isinf().sum().item<std::int64_t>();
    if (nan == 0 && inf == 0)
        return {};
    const std::int64_t first = (~flat.isfinite()).nonzero().index({0, 0}).item<std::int64_t>();
    std::string counts;
    if (nan > 0)
        counts = std::to_string(nan) + " NaN";
    if (inf > 0)
        counts += (counts.empty() ? "" : " and ") + std::to_string(inf) + " Inf";
    return name + (layer.empty() ? "" : " (" + layer + ")") + ": " + counts + " among " + std::to_string(t.numel()) +
           " values; first at " + indexString(first, t.sizes()) +
           (!gammaLayer(name).empty() ? " — the after-L2Norm statistics will be NaN"
                                      : " — this layer's outputs and everything after it may be NaN");
}

} // namespace

RawTensors readWeightFile(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(path + ": no such file");
    if (std::filesystem::is_directory(path, ec))
        throw Error(path + ": is a directory, not a weight file");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot read file size (" + ec.message() + ")");
    if (size == 0)
        throw Error(path + ": empty file (0 bytes)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open for reading (permission denied?)");
    const std::string head = readHead(in, 16);
    const std::string ext = lowerExtension(path);

    if (head.size() >= 4 && head.compare(0, 4, "PK\x03\x04", 4) == 0)
        return zipLooksLikeTorchScript(in, size) ? readTorchScript(path) : readPytorchZip(path);
    if (head.size() >= 8 && head.compare(0, 8, "\x89HDF\r\n\x1a\n", 8) == 0)
        return readKerasH5(path);
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 && head[1] >= 1 && head[1] <= 5)
        return readPytorchLegacy(path);
    // Legacy files saved with pickle_protocol 0 or 1 open with the magic number as a text LONG.
    if (head.compare(0, 16, "L119547037146038") == 0)
        return readPytorchLegacy(path);
    if (ext == ".onnx")
        return readOnnx(path);
    if (ext == ".caffemodel" || ext == ".caffe")
        return readCaffe(path);
    // Unnamed protobufs: ONNX's ModelProto starts with ir_version (field 1, varint: tag 0x08);
    // Caffe's NetParameter with name (0x0a), V1 layers (0x12) or layer (field 100: 0xa2 0x06).
    const auto b0 = static_cast<unsigned char>(head[0]);
    if (b0 == 0x08)
        return readOnnx(path);
    if (b0 == 0x0a || b0 == 0x12 || (b0 == 0xa2 && head.size() > 1 && static_cast<unsigned char>(head[1]) == 0x06))
        return readCaffe(path);
    throw Error(path + ": unrecognised weight file format (first bytes: " + hexPrefix(head) +
                "); expected PyTorch .pth/.pt (zip or legacy), TorchScript, Caffe .caffemodel, ONNX or Keras .h5");
}

std::string sha256File(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open for reading");
    Sha256 h;
    std::array<char, 1 << 16> buf{};
    while (in) {
        in.read(buf.data(), buf.size());
        h.update(reinterpret_cast<const unsigned char*>(buf.data()), static_cast<std::size_t>(in.gcount()));
    }
    return h.hexDigest();
}

std::vector<std::string> nonFiniteWarnings(const MappedWeights& mapped)
{
    std::map<std::string, std::string> layerOf;
    for (const CanonicalParam& p : canonicalParams(mapped.arch, /*withExtras=*/true))
        layerOf[p.name] = p.layer;
    for (const auto& entry : mapped.params)
        if (const std::string tap = gammaLayer(entry.first); !tap.empty())
            layerOf[entry.first] = tap + " L2Norm gamma";
    // Network order, so the first warning is the layer where NaN/Inf enters the forward pass.
    std::vector<std::string> order;
    for (const CanonicalParam& p : canonicalParams(mapped.arch, /*withExtras=*/true))
        if (mapped.params.count(p.name))
            order.push_back(p.name);
    for (const auto& entry : mapped.params)
        if (std::find(order.begin(), order.end(), entry.first) == order.end())
            order.push_back(entry.first);
    std::vector<std::string> out;
    for (const std::string& name : order)
        if (std::string report = nonFiniteReport(name, layerOf[name], mapped.params.at(name)); !report.empty())
            out.push_back(std::move(report));
    return out;
}

std::pair<MappedWeights, WeightInfo> loadWeights(const std::string& path, std::optional<Arch> archHint)
{
    RawTensors raw = readWeightFile(path);
    MappedWeights mapped = mapToCanonical(raw, archHint, path);
    WeightInfo info;
    info.path = path;
    info.displayName = std::filesystem::path(path).filename().string();
    info.format = raw.format;
    info.layout = mapped.layout;
    info.family = mapped.family;
    info.sha256 = raw.sha256;
    info.arch = mapped.arch;
    info.preset = mapped.preset;
    info.eps = mapped.eps;
    info.fc6Dilation = mapped.fc6Dilation;
    info.untrained = false;
    info.warnings = raw.warnings;
    info.warnings.insert(info.warnings.end(), mapped.warnings.begin(), mapped.warnings.end());
    const std::vector<std::string> nonFinite = nonFiniteWarnings(mapped);
    info.warnings.insert(info.warnings.end(), nonFinite.begin(), nonFinite.end());
    for (const auto& [name, t] : mapped.params) {
        if (const std::string tap = gammaLayer(name); !tap.empty()) {
            auto g = t.to(torch::kFloat32).contiguous();
            info.gammas[tap].assign(g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
            continue;
        }
        const bool statistic = name.size() > 13 && (name.compare(name.size() - 13, 13, ".running_mean") == 0 ||
                                                    name.compare(name.size() - 12, 12, ".running_var") == 0);
        if (!statistic) // BatchNorm's running statistics are buffers, not parameters
            info.parameterCount += t.numel();
        if (name.rfind("extras.", 0) == 0)
            info.hasExtras = true;
    }
    return {std::move(mapped), std::move(info)};
}

} // namespace featscale::analysis::weights
