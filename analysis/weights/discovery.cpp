// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/discovery.h"

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

std::string torchCheckpoints()
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

std::string kerasModels()
{
    std::string home = env("KERAS_HOME");
    if (home.empty() && !env("HOME").empty())
        home = env("HOME") + "/.keras";
    return home.empty() ? std::string() : home + "/models";
}

void scan(const std::string& folder, bool keras, std::vector<DiscoveredWeights>& all)
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
    for (const std::string& f : {torchCheckpoints(), kerasModels()})
        if (!f.empty())
            folders.push_back(f);
    return folders;
}

std::vector<DiscoveredWeights> discoverWeights()
{
    std::vector<DiscoveredWeights> out;
    scan(torchCheckpoints(), /*keras=*/false, out);
    scan(kerasModels(), /*keras=*/true, out);
    return out;
}

} // namespace featscale::analysis::weights
