// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/gamma_io.h"

#include "analysis/core/atomic_file.h"
#include "analysis/core/types.h"
#include "analysis/weights/internal/canonical.h"
#include "analysis/weights/internal/state_dict.h"

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
bool looksLikeText(const std::string& head)
{
    return head.find('\0') == std::string::npos;
}

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
                throw Error(path + ": line " + std::to_string(lineNo) + ": channel " + std::to_string(static_cast<long>(ch))
                            + " appears twice");
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

std::vector<float> readGammaUnchecked(const std::string& path)
{
    // Opening a FIFO blocks until a writer comes, reading a terminal until the user types: only
    // regular files (through symbolic links) are gamma files.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw Error(path + ": cannot open gamma file (" + (ec ? ec.message() : std::string("no such file")) + ")");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": not a regular file (a folder, FIFO, device or terminal); give a gamma file");
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
    if (!looksLikeText(head)) {
        f.close();
        // A checkpoint: its learned L2Norm gamma when it maps onto the model (conv4_3's, or its
        // only one), else its only 1-D tensor (a gamma saved on its own).
        const auto raw = weights::readWeightFile(path);
        try {
            const auto learned = learnedGammas(raw, path);
            if (learned.count("conv4_3"))
                return learned.at("conv4_3");
            if (learned.size() == 1)
                return learned.begin()->second;
        } catch (const Error&) {
            // not a whole model: try the single-tensor form below
        }
        std::vector<float> found;
        int oneD = 0;
        for (const auto& [name, tensor] : raw.tensors)
            if (tensor.dim() == 1) {
                ++oneD;
                found = toFloats(tensor);
            }
        if (oneD != 1)
            throw Error(path + ": no learned L2Norm gamma found (expected an SSD checkpoint or a file holding one 1-D tensor)");
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

std::vector<float> readGammaFile(const std::string& path)
{
    std::vector<float> gamma = readGammaUnchecked(path);
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

} // namespace featscale::analysis
