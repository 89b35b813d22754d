// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/gamma_io.h"

#include "analysis/core/atomic_file.h"
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"
#include "analysis/weights/bytes/internal/file_bytes.h"
#include "analysis/weights/formats/torch7/internal/t7_reader.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace featscale::analysis {

namespace {

/// The learned gammas of a whole checkpoint, by normalized layer.
std::map<std::string, std::vector<float>> learnedGammas(const weights::RawTensors& raw, const std::string& path);

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

float parseNumber(const std::string& token, const std::string& path, int line)
{
    const std::string t = trim(token);
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size())
        throw Error(path + ": line " + std::to_string(line) + ": \"" + t + "\" is not a number");
    if (!std::isfinite(v))
        throw Error(path + ": line " + std::to_string(line) + ": gamma must be finite, got " + t);
    return static_cast<float>(v);
}

/// A text file has no NUL bytes in its head; every weight format does (binary headers or zip).
bool looksLikeText(const std::string& head) { return head.find('\0') == std::string::npos; }

std::vector<float> parseGammaText(const std::string& text, const std::string& path)
{
    std::istringstream in(text);
    std::string raw;
    int lineNo = 0;
    bool csv = false;
    std::map<long, float> byChannel;
    std::vector<float> plain;
    while (std::getline(in, raw)) {
        ++lineNo;
        std::string line = trim(raw.substr(0, raw.find('#')));
        if (line.empty())
            continue;
        if (!csv && byChannel.empty() && plain.empty() && line.rfind("layer", 0) == 0)
            throw Error(path + ": holds the gamma of several layers (layer,channel,gamma); give it where one "
                               "file for every normalized layer is expected (featscale-cli --gamma-file FILE)");
        if (!csv && byChannel.empty() && plain.empty() && line.rfind("channel", 0) == 0) {
            std::string header;
            for (char c : line)
                if (c != ' ' && c != '\t')
                    header += c;
            if (header != "channel,gamma")
                throw Error(path + ": line " + std::to_string(lineNo) + ": expected the header \"channel,gamma\"");
            csv = true;
            continue;
        }
        if (csv) {
            const auto comma = line.find(',');
            if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos)
                throw Error(path + ": line " + std::to_string(lineNo) + ": expected \"channel,gamma\"");
            const float ch = parseNumber(line.substr(0, comma), path, lineNo);
            if (ch < 0 || ch != std::floor(ch) || ch > 1e7)
                throw Error(path + ": line " + std::to_string(lineNo) + ": bad channel index");
            if (!byChannel.emplace(static_cast<long>(ch), parseNumber(line.substr(comma + 1), path, lineNo)).second)
                throw Error(path + ": line " + std::to_string(lineNo) + ": channel " +
                            std::to_string(static_cast<long>(ch)) + " appears twice");
            continue;
        }
        for (char& c : line)
            if (c == ',' || c == ';' || c == '\t')
                c = ' ';
        std::istringstream tokens(line);
        std::string token;
        while (tokens >> token)
            plain.push_back(parseNumber(token, path, lineNo));
    }
    if (csv) {
        std::vector<float> out;
        for (const auto& [ch, g] : byChannel) {
            if (ch != static_cast<long>(out.size()))
                throw Error(path + ": channel " + std::to_string(out.size()) + " is missing");
            out.push_back(g);
        }
        if (out.empty())
            throw Error(path + ": no gamma rows after the header");
        return out;
    }
    if (plain.empty())
        throw Error(path + ": no gamma values found");
    return plain;
}

std::vector<float> toFloats(const torch::Tensor& tensor)
{
    const torch::Tensor t = tensor.to(torch::kFloat).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

std::string shapeText(const std::vector<std::int64_t>& sizes)
{
    std::string out;
    for (std::size_t i = 0; i < sizes.size(); ++i)
        out += (i ? "x" : "") + std::to_string(sizes[i]);
    return out.empty() ? "scalar" : out;
}

/// One value per channel: every dimension but one is 1 (512, 1x512x1x1, 512x1).
bool gammaShaped(const std::vector<std::int64_t>& sizes)
{
    int wide = 0;
    for (std::int64_t s : sizes)
        if (s != 1)
            ++wide;
    return wide <= 1 && !sizes.empty() && sizes != std::vector<std::int64_t>{0};
}

/// The name is `layer` itself or ends in ".layer" ({net = {conv4_3 = t}}).
bool namedFor(const std::string& name, const std::string& layer)
{
    return name == layer ||
           (name.size() > layer.size() && name.compare(name.size() - layer.size(), layer.size(), layer) == 0 &&
            name[name.size() - layer.size() - 1] == '.');
}

/// A Lua Torch file (torch.save): one FloatTensor/DoubleTensor or storage of one value per
/// channel (512, 1x512x1x1), a list of numbers, or a table of them keyed by layer name.
std::vector<float> gammaFromT7(const std::string& path, const std::string& layer)
{
    const weights::FileBytes file(path);
    std::vector<weights::t7::Array> arrays = weights::t7::readArrays(file.bytes(), path);
    if (arrays.empty())
        throw Error(path + ": .t7 file holds no tensor, storage or list of numbers");
    auto describe = [](const weights::t7::Array& a) {
        return (a.name.empty() ? std::string("the file's object") : excerpt(a.name)) + " [" + shapeText(a.sizes) + "]";
    };
    auto take = [&](weights::t7::Array& a) {
        if (!gammaShaped(a.sizes))
            throw Error(path + ": " + describe(a) +
                        " is not a gamma (expected one value per channel, e.g. 512 or 1x512x1x1)");
        return std::move(a.values);
    };
    for (auto& a : arrays)
        if (namedFor(a.name, layer))
            return take(a);
    if (arrays.size() == 1)
        return take(arrays.front());
    std::string names;
    for (std::size_t i = 0; i < arrays.size() && i < 8; ++i)
        names += (i ? ", " : "") + describe(arrays[i]);
    if (arrays.size() > 8)
        names += ", ...";
    throw Error(path + ": .t7 file holds " + std::to_string(arrays.size()) + " arrays (" + names +
                ") and none is named " + layer);
}

/// ASCII torch.save files ("4\n1\n3\nV 1\n17\ntorch.FloatTensor\n..."): text, but not a gamma list.
bool looksLikeAsciiT7(const std::string& head)
{
    return head.size() > 2 && head[0] >= '0' && head[0] <= '8' && head[1] == '\n' &&
           (head.find("\ntorch.") != std::string::npos || head.find("\nV ") != std::string::npos);
}

/// Opening a FIFO blocks until a writer comes, reading a terminal until the user types: only
/// regular files (through symbolic links) are gamma files. Throws Error naming the file otherwise.
void requireRegularFile(const std::string& path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw Error(path + ": cannot open gamma file (" + (ec ? ec.message() : std::string("no such file")) + ")");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": not a regular file (a folder, FIFO, device or terminal); give a gamma file");
}

std::vector<float> readGammaUnchecked(const std::string& path, const std::string& layer)
{
    requireRegularFile(path);
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw Error(path + ": cannot open gamma file");
    f.seekg(0, std::ios::end);
    const long long size = static_cast<long long>(f.tellg());
    f.seekg(0);
    if (size <= 0)
        throw Error(path + ": gamma file is empty");
    std::string head(static_cast<size_t>(std::min<long long>(size, 4096)), '\0');
    f.read(head.data(), static_cast<std::streamsize>(head.size()));
    if (looksLikeText(head) && looksLikeAsciiT7(head))
        throw Error(path + ": an ASCII .t7 file (torch.save with 'ascii'); featscale reads binary .t7 files: save it "
                           "again with torch.save(file, object) in Lua Torch");
    // By content: PyTorch users name files .t7 too (torch.save(net.state_dict(), "ckpt.t7")), and
    // those open with a zip or pickle signature, never with a Lua type tag (an int32 of 0-8).
    const bool luaTag = head.size() >= 4 && static_cast<unsigned char>(head[0]) <= 8 && head[1] == 0 && head[2] == 0 &&
                        head[3] == 0;
    if (!looksLikeText(head) &&
        (weights::t7::looksLikeT7({reinterpret_cast<const std::uint8_t*>(head.data()), head.size()}) ||
         (luaTag && std::filesystem::path(path).extension() == ".t7"))) {
        f.close();
        return gammaFromT7(path, layer);
    }
    if (!looksLikeText(head)) {
        f.close();
        // A checkpoint: its learned L2Norm gamma when it maps onto the model (conv4_3's, or its
        // only one), else its only 1-D tensor (a gamma saved on its own).
        const auto raw = weights::readWeightFile(path);
        try {
            const auto learned = learnedGammas(raw, path);
            if (learned.count(layer))
                return learned.at(layer);
            if (learned.size() == 1)
                return learned.begin()->second;
        } catch (const Error&) {
            // not a whole model: try the single-tensor form below
        }
        for (const auto& [name, tensor] : raw.tensors)
            if (tensor.dim() == 1 && namedFor(name, layer))
                return toFloats(tensor);
        std::vector<float> found;
        int oneD = 0;
        for (const auto& [name, tensor] : raw.tensors)
            if (tensor.dim() == 1) {
                ++oneD;
                found = toFloats(tensor);
            }
        if (oneD != 1)
            throw Error(
                path + ": no learned L2Norm gamma found (expected an SSD checkpoint or a file holding one 1-D tensor)");
        return found;
    }
    if (size > kMaxGammaTextBytes)
        throw Error(path + ": too large for a gamma text file (" + std::to_string(size) + " bytes)");
    std::string text(static_cast<size_t>(size), '\0');
    f.seekg(0);
    f.read(text.data(), size);
    if (!f)
        throw Error(path + ": read error");
    return parseGammaText(text, path);
}

std::map<std::string, std::vector<float>> learnedGammas(const weights::RawTensors& raw, const std::string& path)
{
    std::map<std::string, std::vector<float>> out;
    for (const auto& [name, tensor] : weights::mapToCanonical(raw, std::nullopt, path).params)
        if (const std::string layer = weights::gammaLayer(name); !layer.empty())
            out[layer] = toFloats(tensor);
    return out;
}

} // namespace

void checkGamma(const std::vector<float>& gamma, const std::string& source)
{
    if (gamma.empty())
        throw Error(source + ": gamma has no values");
    std::size_t bad = 0, first = 0;
    for (std::size_t c = 0; c < gamma.size(); ++c)
        if (!std::isfinite(gamma[c]) && bad++ == 0)
            first = c;
    if (bad)
        throw Error(source + ": gamma must be finite, but " + std::to_string(bad) + " of its " +
                    std::to_string(gamma.size()) + " values are NaN or Inf (first: channel " + std::to_string(first) +
                    " = " + std::to_string(gamma[first]) + ")");
}

std::map<std::string, std::vector<float>> readLearnedGammas(const std::string& path)
{
    return learnedGammas(weights::readWeightFile(path), path);
}

std::vector<float> readGammaFile(const std::string& path, const std::string& layer)
{
    std::vector<float> gamma = readGammaUnchecked(path, layer);
    checkGamma(gamma, path);
    return gamma;
}

void writeGammaCsv(const std::string& path, const std::vector<float>& gamma, const std::vector<std::string>& comments)
{
    std::string out;
    for (const auto& c : comments)
        out += "# " + c + "\n";
    out += "channel,gamma\n";
    char buf[64];
    for (size_t i = 0; i < gamma.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%zu,%.9g\n", i, static_cast<double>(gamma[i]));
        out += buf;
    }
    writeFileAtomically(path, out);
}

namespace {

/// Reads a text gamma file whole (regular files only: a FIFO or terminal would block).
std::string readGammaText(const std::string& path)
{
    requireRegularFile(path);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot read gamma file (" + ec.message() + ")");
    if (static_cast<long long>(size) > kMaxGammaTextBytes)
        throw Error(path + ": too large for a gamma text file (" + std::to_string(size) + " bytes)");
    std::ifstream f(path, std::ios::binary);
    std::string text(static_cast<size_t>(size), '\0');
    if (!f || !f.read(text.data(), static_cast<std::streamsize>(size)))
        throw Error(path + ": cannot read gamma file");
    return text;
}

std::string withoutBlanks(const std::string& s)
{
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\t')
            out += c;
    return out;
}

} // namespace

bool isLayerGammaCsv(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    std::ifstream f(path, std::ios::binary);
    std::string raw;
    // The header comes after at most a few comment lines; 64 KB of them is already not our file.
    std::size_t read = 0;
    while (read < (64u << 10) && std::getline(f, raw)) {
        read += raw.size() + 1;
        const std::string line = trim(raw.substr(0, raw.find('#')));
        if (!line.empty())
            return withoutBlanks(line) == "layer,channel,gamma";
    }
    return false;
}

std::map<std::string, std::vector<float>> readLayerGammaCsv(const std::string& path)
{
    const std::string text = readGammaText(path);
    if (!looksLikeText(text))
        throw Error(path + ": not a text file; expected a layer,channel,gamma CSV");
    std::istringstream in(text);
    std::string raw;
    int lineNo = 0;
    bool header = false;
    std::map<std::string, std::map<long, float>> rows;
    while (std::getline(in, raw)) {
        ++lineNo;
        const std::string line = trim(raw.substr(0, raw.find('#')));
        if (line.empty())
            continue;
        const std::string where = path + ": line " + std::to_string(lineNo) + ": ";
        if (!header) {
            if (withoutBlanks(line) != "layer,channel,gamma")
                throw Error(where + "expected the header \"layer,channel,gamma\"");
            header = true;
            continue;
        }
        const auto c1 = line.find(',');
        const auto c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
        if (c2 == std::string::npos || line.find(',', c2 + 1) != std::string::npos)
            throw Error(where + "expected \"layer,channel,gamma\"");
        const std::string layer = trim(line.substr(0, c1));
        if (layer.empty())
            throw Error(where + "the layer name is empty");
        const float ch = parseNumber(line.substr(c1 + 1, c2 - c1 - 1), path, lineNo);
        if (ch < 0 || ch != std::floor(ch) || ch > 1e7)
            throw Error(where + "bad channel index");
        if (!rows[layer].emplace(static_cast<long>(ch), parseNumber(line.substr(c2 + 1), path, lineNo)).second)
            throw Error(where + "channel " + std::to_string(static_cast<long>(ch)) + " of " + layer + " appears twice");
    }
    if (!header)
        throw Error(path + ": empty; expected the header \"layer,channel,gamma\"");
    if (rows.empty())
        throw Error(path + ": no gamma rows after the header");
    std::map<std::string, std::vector<float>> out;
    for (const auto& [layer, byChannel] : rows) {
        std::vector<float>& g = out[layer];
        for (const auto& [ch, value] : byChannel) {
            if (ch != static_cast<long>(g.size()))
                throw Error(path + ": channel " + std::to_string(g.size()) + " of " + layer + " is missing");
            g.push_back(value);
        }
        checkGamma(g, path + ": " + layer);
    }
    return out;
}

void writeLayerGammaCsv(const std::string& path, const std::map<std::string, std::vector<float>>& gammas,
                        const std::vector<std::string>& comments)
{
    std::string out;
    for (const auto& c : comments)
        out += "# " + c + "\n";
    out += "layer,channel,gamma\n";
    char buf[64];
    for (const auto& [layer, gamma] : gammas)
        for (size_t i = 0; i < gamma.size(); ++i) {
            std::snprintf(buf, sizeof buf, ",%zu,%.9g\n", i, static_cast<double>(gamma[i]));
            out += layer + buf;
        }
    writeFileAtomically(path, out);
}

} // namespace featscale::analysis
