// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/trajectory/checkpoint_gammas.h"

#include "analysis/core/types.h"
#include "analysis/stats/gamma_io.h"
#include "analysis/weights/bytes/internal/sparse_file.h"
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <set>

namespace featscale::analysis {
namespace {

using weights::pickle::Kind;
using weights::pickle::Value;

const Value* intEntry(const Value* dict, const char* key)
{
    if (!dict || dict->kind != Kind::Dict)
        return nullptr;
    const Value* v = dict->dictGet(key);
    return v && v->kind == Kind::Int ? v : nullptr;
}

/// The step a checkpoint dict records: mmdetection's meta (iter before epoch: it is the finer
/// count and never repeats between checkpoints), else the dict's own counter.
void stepOfRoot(const Value* root, CheckpointGammas& out)
{
    if (!root || root->kind != Kind::Dict)
        return;
    const Value* meta = root->dictGet("meta");
    for (const char* key : {"iter", "epoch"})
        if (const Value* v = intEntry(meta, key)) {
            out.step = v->i;
            out.stepSource = std::string("meta.") + key;
            return;
        }
    for (const char* key : {"iteration", "iter", "global_step", "step", "epoch"})
        if (const Value* v = intEntry(root, key)) {
            out.step = v->i;
            out.stepSource = key;
            return;
        }
}

bool isZip(weights::SparseFile& file)
{
    file.fetch(0, 4);
    const auto b = file.bytes();
    return b.size >= 4 && b.data[0] == 'P' && b.data[1] == 'K' && b.data[2] == 3 && b.data[3] == 4;
}

/// The γ records of a PyTorch zip archive; false when its layout is not known by key names (or it
/// is TorchScript), for the whole-file reader to decide.
bool readZipGammas(const std::string& path, CheckpointGammas& out)
{
    weights::SparseFile file(path);
    out.fileBytes = file.size();
    if (!isZip(file))
        return false;
    std::map<std::string, std::string> keys; // tap -> file key
    weights::ParsedTensors parsed;
    try {
        parsed = weights::parsePytorchZipSelected(
            file.bytes(), path, [&](std::uint64_t offset, std::uint64_t size) { file.fetch(offset, size); },
            [&](const Value* root, const std::vector<std::string>& names) {
                stepOfRoot(root, out);
                keys = weights::gammaKeys(names);
                std::set<std::string> chosen;
                for (const auto& [tap, key] : keys)
                    chosen.insert(key);
                return chosen;
            });
    } catch (const Error&) {
        // TorchScript archives and other zips are the whole-file reader's to read or refuse
        if (keys.empty())
            return false;
        throw;
    }
    if (keys.empty())
        return false;
    for (const auto& [tap, key] : keys) {
        const auto it = std::find_if(parsed.tensors.begin(), parsed.tensors.end(),
                                     [&](const weights::TensorSource& t) { return t.name == key; });
        if (it == parsed.tensors.end())
            throw Error(path + ": the L2Norm gamma " + key + " holds no tensor");
        const int channels = weights::convChannels(Arch::Vgg16Reduced, /*withExtras=*/false, tap);
        if (channels == 0)
            throw Error(path + ": learned L2Norm gamma for " + tap + " (key " + key + "), a layer VGG16 does not have");
        if (it->sizes != std::vector<std::int64_t>{channels})
            throw Error(path + ": shape mismatch for " + tap + "'s L2Norm gamma: expected " + std::to_string(channels) +
                        ", found " + weights::shapeString(it->sizes) + " (key " + key + ")");
        std::vector<float> gamma(static_cast<std::size_t>(channels));
        weights::copyAsFloat32(*it, gamma.data());
        checkGamma(gamma, path + ": " + key);
        out.gammas[tap] = std::move(gamma);
    }
    out.readMode = "gamma records";
    out.bytesRead = file.bytesRead();
    return true;
}

} // namespace

CheckpointGammas readCheckpointGammas(const std::string& path)
{
    CheckpointGammas out;
    out.path = path;
    if (readZipGammas(path, out))
        return out;
    out.step.reset();
    out.stepSource.clear();
    out.gammas = readLearnedGammas(path);
    if (out.gammas.empty())
        throw Error(path + ": no learned L2Norm gamma in this weight file");
    for (const auto& [tap, gamma] : out.gammas)
        checkGamma(gamma, path + ": " + tap);
    out.readMode = "whole file";
    std::error_code ec;
    out.fileBytes = std::filesystem::file_size(path, ec);
    out.bytesRead = out.fileBytes;
    return out;
}

std::optional<std::int64_t> stepFromFileName(const std::string& path, std::string* source)
{
    const std::string stem = std::filesystem::path(path).stem().string();
    auto numberAt = [&](std::size_t pos, std::size_t end) -> std::optional<std::int64_t> {
        std::int64_t v = 0;
        for (std::size_t i = pos; i < end; ++i) {
            if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
                return std::nullopt; // beyond any step count: not one
            v = v * 10 + (stem[i] - '0');
        }
        return v;
    };
    auto digitsFrom = [&](std::size_t pos) {
        std::size_t e = pos;
        while (e < stem.size() && std::isdigit(static_cast<unsigned char>(stem[e])))
            ++e;
        return e;
    };
    if (const std::size_t at = stem.rfind("_iter_"); at != std::string::npos) {
        const std::size_t from = at + 6, end = digitsFrom(from);
        if (end > from && end == stem.size())
            if (auto v = numberAt(from, end)) {
                if (source)
                    *source = "file name _iter_N";
                return v;
            }
    }
    std::size_t end = stem.size();
    while (end > 0 && !std::isdigit(static_cast<unsigned char>(stem[end - 1])))
        --end;
    if (end == 0) {
        if (source)
            source->clear();
        return std::nullopt;
    }
    std::size_t from = end;
    while (from > 0 && std::isdigit(static_cast<unsigned char>(stem[from - 1])))
        --from;
    const auto v = numberAt(from, end);
    if (source)
        *source = v ? "file name" : "";
    return v;
}

} // namespace featscale::analysis
