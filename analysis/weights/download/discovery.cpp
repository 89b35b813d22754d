// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/download/discovery.h"

#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/verified_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;

struct Pattern {
    const char* prefix; // the file name starts with this ...
    const char* suffix; // ... and ends with this
    const char* kind;
    Arch arch;
};

// torch.hub names checkpoints <name>-<hash prefix>.pth; ssd.pytorch's backbone keeps its own name.
constexpr Pattern kTorchPatterns[] = {
    {"vgg16-", ".pth", "torchvision vgg16 (ImageNet classifier)", Arch::Vgg16},
    {"vgg16_bn-", ".pth", "torchvision vgg16_bn (ImageNet classifier with BatchNorm)", Arch::Vgg16Bn},
    {"vgg16_features-amdegroot-", ".pth", "torchvision SSD backbone (ssd.pytorch VGG16 features)", Arch::Vgg16Reduced},
    {"ssd300_vgg16_coco-", ".pth", "torchvision ssd300_vgg16 (COCO detector: backbone, learned L2Norm, extras)",
     Arch::Vgg16Reduced},
    {"vgg16_reducedfc", ".pth", "ssd.pytorch vgg16_reducedfc backbone", Arch::Vgg16Reduced},
};

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

bool matches(const std::string& name, const std::string& prefix, const std::string& suffix)
{
    return name.size() >= prefix.size() + suffix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

std::string torchCheckpointsFolder()
{
    std::string home = env("TORCH_HOME");
    if (home.empty()) {
        std::string cache = env("XDG_CACHE_HOME");
        if (cache.empty() && !env("HOME").empty())
            cache = env("HOME") + "/.cache";
        if (cache.empty())
            return {};
        home = cache + "/torch";
    }
    return home + "/hub/checkpoints";
}

std::string kerasModelsFolder()
{
    std::string home = env("KERAS_HOME");
    if (home.empty() && !env("HOME").empty())
        home = env("HOME") + "/.keras";
    return home.empty() ? std::string() : home + "/models";
}

namespace {

// The full digest a file's name promises: the catalogue entry's with that file name. A torch.hub
// name carries only 8 hex digits of the sha256 (32 bits, forgeable by brute force in minutes), so
// such a name alone proves nothing: it is reported as not verifiable. Returns false when the
// catalogue has no full digest for the name; hinted tells whether the name carries such a prefix.
bool referenceFor(const std::string& name, HashKind& kind, std::string& hash, bool& hinted)
{
    hinted = false;
    for (const CatalogEntry& e : builtinCatalog())
        if (e.file == name) {
            hinted = true;
            if (!e.verifiable())
                return false;
            kind = e.hashKind;
            hash = e.hash;
            return true;
        }
    const auto dash = name.rfind('-'), dot = name.rfind('.');
    if (dash == std::string::npos || dot == std::string::npos || dot < dash + 9)
        return false;
    const std::string hex = name.substr(dash + 1, dot - dash - 1);
    hinted = std::all_of(hex.begin(), hex.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    return false;
}

void check(DiscoveredWeights& w, bool hash)
{
    HashKind kind = HashKind::Sha256;
    std::string expected;
    bool hinted = false;
    if (!referenceFor(std::filesystem::path(w.path).filename().string(), kind, expected, hinted)) {
        w.check = DiscoveredWeights::Check::NoReference;
        w.kind += hinted ? std::string(" — ") + kNotVerifiable : " — no published hash to check it against";
        return;
    }
    w.expected = toString(kind) + " " + expected;
    std::optional<FileDigests> d = cachedDigests(w.path);
    if (!d && hash) {
        try {
            d = fileDigests(w.path);
        } catch (const Error&) {
            // unreadable: stays NotVerified; opening it reports the error
        }
    }
    if (!d) {
        w.check = DiscoveredWeights::Check::NotVerified;
        w.kind = "named like " + w.kind + " — not verified yet";
        return;
    }
    w.actual = digestOf(kind, *d);
    if (digestsMatch(kind, expected, *d)) {
        w.check = DiscoveredWeights::Check::Verified;
        w.kind += " — verified (" + toString(kind) + " " + w.actual + ")";
    } else {
        w.check = DiscoveredWeights::Check::Mismatch;
        w.kind = "NOT the published file: named like " + w.kind + ", but its " + toString(kind) + " is " +
                 w.actual.substr(0, 16) + "…, expected " + w.expected;
    }
}

void scan(const std::string& folder, bool keras, bool hash, std::vector<DiscoveredWeights>& all)
{
    if (folder.empty())
        return;
    std::vector<DiscoveredWeights> out;
    std::error_code ec;
    fs::directory_iterator it(folder, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc))
            continue;
        const std::string name = it->path().filename().string();
        DiscoveredWeights w;
        if (keras) {
            if (!matches(name, "vgg16_weights_", ".h5"))
                continue;
            const bool notop = name.find("_notop") != std::string::npos;
            w.kind = notop ? "Keras VGG16 without classifier (_notop: convolutions only)"
                           : "Keras VGG16 (ImageNet classifier)";
            w.arch = Arch::Vgg16;
        } else {
            const Pattern* p = nullptr;
            for (const auto& candidate : kTorchPatterns)
                if (!p && matches(name, candidate.prefix, candidate.suffix))
                    p = &candidate;
            if (!p)
                continue;
            w.kind = p->kind;
            w.arch = p->arch;
        }
        w.path = it->path().string();
        w.sizeBytes = it->file_size(fileEc);
        check(w, hash);
        out.push_back(std::move(w));
    }
    std::sort(out.begin(), out.end(),
              [](const DiscoveredWeights& a, const DiscoveredWeights& b) { return a.path < b.path; });
    all.insert(all.end(), out.begin(), out.end());
}

} // namespace

std::vector<std::string> discoveryFolders()
{
    std::vector<std::string> folders;
    for (const std::string& f : {torchCheckpointsFolder(), kerasModelsFolder()})
        if (!f.empty())
            folders.push_back(f);
    return folders;
}

std::vector<DiscoveredWeights> discoverWeights(bool hash)
{
    std::vector<DiscoveredWeights> out;
    scan(torchCheckpointsFolder(), /*keras=*/false, hash, out);
    scan(kerasModelsFolder(), /*keras=*/true, hash, out);
    return out;
}

} // namespace featscale::analysis::weights
