// SPDX-License-Identifier: GPL-3.0-or-later
// Key layouts of the VGG16 / SSD checkpoints in circulation, mapped onto featscale's canonical names
// (canonical.h). Each layout is recognised by a key only it has; its keys are renamed; then every
// canonical parameter is checked for presence and shape. Files in no known layout are matched by
// order and shape (by_order_mapping.cpp).
#include "analysis/weights/internal/canonical.h"
#include "analysis/weights/internal/layout_rules.h"
#include "analysis/weights/internal/state_dict.h"

#include <torch/torch.h>

#include <set>

namespace featscale::analysis::weights {
namespace {

bool hasKey(const RawTensors& raw, const std::string& name)
{
    for (const auto& [n, t] : raw.tensors)
        if (n == name)
            return true;
    return false;
}

// nn.DataParallel saves every key with a "module." prefix.
RawTensors stripDataParallel(const RawTensors& raw, std::vector<std::string>& warnings)
{
    const std::string prefix = "module.";
    if (raw.tensors.empty())
        return raw;
    for (const auto& [n, t] : raw.tensors)
        if (n.rfind(prefix, 0) != 0)
            return raw;
    RawTensors out = raw;
    for (auto& [n, t] : out.tensors)
        n = n.substr(prefix.size());
    warnings.push_back("removed the 'module.' prefix (nn.DataParallel) from every key");
    return out;
}

// All classifier values NaN: torchvision's vgg16_features weights (ssd.pytorch's converted conv
// layers), shipped with a classifier that must not be used.
bool classifierIsNaN(const std::map<std::string, torch::Tensor>& params)
{
    int checked = 0;
    for (const char* name : {"classifier.0.weight", "classifier.3.weight", "classifier.6.weight"}) {
        auto it = params.find(name);
        if (it == params.end())
            continue;
        if (!torch::isnan(it->second).all().item<bool>())
            return false;
        ++checked;
    }
    return checked > 0;
}

std::string describeList(const std::vector<std::string>& names, std::size_t max = 10)
{
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < max; ++i)
        out += (i ? ", " : "") + names[i];
    if (names.size() > max)
        out += ", ... (" + std::to_string(names.size()) + " in all)";
    return out;
}

} // namespace

Convention conventionFor(const std::string& format, const std::string& layout, Arch arch)
{
    // Formats whose files come from one framework decide alone.
    if (format == "caffe")
        return {"caffe", Preset::Caffe};       // BGR, 0-255, minus (104,117,123)
    if (format == "keras-h5")
        return {"keras", Preset::Caffe};       // Keras 'caffe' mode: BGR minus (103.939,116.779,123.68)
    if (format == "onnx")
        return {"onnx", Preset::Torchvision};  // model-zoo VGG16 expects torchvision's mean/std
    if (layout == "torchvision-vgg16")
        return {"torchvision", Preset::Torchvision};
    if (layout == "torchvision-vgg16-features" || layout == "torchvision-ssd300")
        return {"torchvision-ssd", Preset::CaffeRgb}; // RGB 0-255 minus (123,117,104)
    if (layout == "ssd.pytorch" || layout == "ssd.pytorch-backbone" || layout == "featscale-reduced")
        return {"ssd.pytorch", Preset::Caffe};
    if (layout == "mmdet-ssd")
        return {"mmdet", Preset::CaffeRgb};    // img_norm_cfg mean (123.675,116.28,103.53), std 1, to_rgb
    return {"unknown", arch == Arch::Vgg16 ? Preset::Torchvision : Preset::Caffe};
}

MappedWeights mapToCanonical(const RawTensors& input, std::optional<Arch> archHint, const std::string& path)
{
    MappedWeights mapped;
    const RawTensors raw = stripDataParallel(input, mapped.warnings);
    const LayoutRule* rule = detectLayout(raw, hasKey);
    if (!rule)
        return mapByOrder(raw, archHint, path);

    // Rename. Keys a layout knows to be irrelevant (detection heads, BN counters) are dropped quietly;
    // unknown keys are reported, since they may mean the layout was guessed wrong.
    std::map<std::string, torch::Tensor> renamed;
    std::map<std::string, std::string> sourceKey;
    std::vector<std::string> unknown;
    for (const auto& [name, t] : raw.tensors) {
        const Renamed r = rule->rename(name);
        if (r.status == Renamed::Ignored)
            continue;
        if (r.status == Renamed::Unknown || renamed.count(r.name)) {
            unknown.push_back(name + " " + shapeString(t.sizes().vec()));
            continue;
        }
        renamed[r.name] = t;
        sourceKey[r.name] = name;
    }

    mapped.layout = rule->layout;
    if (raw.format == "caffe" || raw.format == "keras-h5" || raw.format == "onnx")
        mapped.layout = raw.format == "keras-h5" ? "keras" : raw.format;
    if (mapped.layout == "torchvision-vgg16" && classifierIsNaN(renamed)) {
        mapped.layout = "torchvision-vgg16-features";
        for (const char* n : {"classifier.0", "classifier.3", "classifier.6"}) {
            renamed.erase(std::string(n) + ".weight");
            renamed.erase(std::string(n) + ".bias");
        }
        mapped.warnings.push_back("the classifier (fc6-fc8) holds only NaN placeholders, as in torchvision's "
                                  "SSD backbone weights; only the convolutions are loaded");
    }

    // Topology: what the file holds decides; the hint only settles conv-only files.
    const bool hasClassifier = renamed.count("classifier.0.weight") > 0;
    const bool hasReduced = renamed.count("features.31.weight") || renamed.count("extras.0.weight") ||
                            renamed.count(kGammaName);
    if (hasClassifier && hasReduced)
        throw Error(path + ": holds both a VGG16 classifier and SSD's reduced fc6/fc7; cannot tell the topology");
    // torchvision's vgg16_features are the convolutions of SSD's reduced VGG16.
    const Arch defaultArch = mapped.layout == "torchvision-vgg16-features" ? Arch::Vgg16Reduced : rule->defaultArch;
    Arch arch = archHint.value_or(defaultArch);
    if (hasClassifier)
        arch = Arch::Vgg16;
    else if (hasReduced)
        arch = Arch::Vgg16Reduced;
    if (archHint && *archHint != arch)
        mapped.warnings.push_back("the file holds a " + toString(arch) + " network; the requested " +
                                  toString(*archHint) + " was ignored");
    mapped.arch = arch;
    if (mapped.layout == "torchvision-vgg16" && hasReduced)
        mapped.layout = "featscale-reduced";
    const bool withExtras = renamed.count("extras.0.weight") > 0;

    std::vector<std::string> missingConv;
    std::vector<std::string> missingHead;
    for (const CanonicalParam& p : canonicalParams(arch, withExtras)) {
        auto it = renamed.find(p.name);
        if (it == renamed.end()) {
            const bool isConv = p.name.rfind("features.", 0) == 0 && p.layer.rfind("conv", 0) == 0;
            (isConv || p.name.rfind("extras.", 0) == 0 ? missingConv : missingHead)
                .push_back(p.name + " (" + p.layer + ", " + shapeString(p.shape) + ")");
            continue;
        }
        if (it->second.sizes().vec() != p.shape)
            throw Error(path + ": shape mismatch for " + p.layer + (p.name.size() > 5 &&
                        p.name.compare(p.name.size() - 5, 5, ".bias") == 0 ? " bias" : "") +
                        ": expected " + shapeString(p.shape) + ", found " + shapeString(it->second.sizes().vec()) +
                        " (key " + sourceKey[p.name] + ")");
        mapped.params[p.name] = it->second;
        renamed.erase(it);
    }
    if (!missingConv.empty())
        throw Error(path + ": recognised as " + mapped.layout + " but parameters are missing: " +
                    describeList(missingConv) +
                    (unknown.empty() ? "" : "; keys not understood: " + describeList(unknown)));
    if (!missingHead.empty())
        mapped.warnings.push_back("no " + std::string(arch == Arch::Vgg16 ? "classifier (fc6-fc8)" : "fc6/fc7") +
                                  " in the file: those layers keep their untrained defaults (" +
                                  describeList(missingHead, 6) + ")");
    if (auto it = renamed.find(kGammaName); it != renamed.end()) {
        if (it->second.sizes().vec() != std::vector<std::int64_t>{512})
            throw Error(path + ": shape mismatch for L2Norm gamma: expected 512, found " +
                        shapeString(it->second.sizes().vec()) + " (key " + sourceKey[kGammaName] + ")");
        mapped.params[kGammaName] = it->second;
        renamed.erase(it);
    }
    for (const auto& [name, t] : renamed)
        unknown.push_back(sourceKey[name] + " " + shapeString(t.sizes().vec()));
    if (!unknown.empty())
        mapped.warnings.push_back(std::to_string(unknown.size()) + " key(s) not used: " + describeList(unknown));

    const Convention c = conventionFor(raw.format, mapped.layout, arch);
    mapped.family = c.family;
    mapped.preset = c.preset;
    if (mapped.layout == "featscale-reduced")
        mapped.warnings.push_back("reduced VGG16 in featscale's own key names: input convention assumed to be "
                                  "Caffe's (BGR minus 104/117/123); override the preset if it was trained otherwise");
    return mapped;
}

} // namespace featscale::analysis::weights
