// SPDX-License-Identifier: GPL-3.0-or-later
// First version: files already in featscale's canonical names (torchvision's VGG16 state dict,
// or a reduced VGG16 saved with the same `features.N` indices). Other layouts: issue #3.
#include "analysis/weights/canonical.h"
#include "analysis/weights/state_dict.h"

#include <torch/torch.h>

#include <set>

namespace featscale::analysis::weights {

MappedWeights mapToCanonical(const RawTensors& raw, std::optional<Arch> archHint, const std::string& path)
{
    std::map<std::string, torch::Tensor> byName(raw.tensors.begin(), raw.tensors.end());
    Arch arch = archHint.value_or(Arch::Vgg16);
    if (byName.count("classifier.0.weight"))
        arch = Arch::Vgg16;
    else if (byName.count("features.31.weight"))
        arch = Arch::Vgg16Reduced;
    const bool extras = byName.count("extras.0.weight") > 0;

    MappedWeights mapped;
    mapped.arch = arch;
    mapped.layout = arch == Arch::Vgg16 ? "torchvision-vgg16" : "featscale-reduced";
    mapped.family = "torchvision";
    mapped.preset = Preset::Torchvision;
    std::string missing;
    for (const auto& p : canonicalParams(arch, extras)) {
        auto it = byName.find(p.name);
        if (it == byName.end()) {
            missing += " " + p.name + " (" + p.layer + ", " + shapeString(p.shape) + ")";
            continue;
        }
        if (it->second.sizes().vec() != p.shape)
            throw Error(path + ": shape mismatch for " + p.layer + " (" + p.name + "): expected " +
                        shapeString(p.shape) + ", found " + shapeString(it->second.sizes().vec()));
        mapped.params[p.name] = it->second;
    }
    if (!missing.empty())
        throw Error(path + ": key layout not recognised; missing:" + missing);
    if (auto it = byName.find(kGammaName); it != byName.end())
        mapped.params[kGammaName] = it->second;
    return mapped;
}

} // namespace featscale::analysis::weights
