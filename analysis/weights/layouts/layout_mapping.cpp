// SPDX-License-Identifier: GPL-3.0-or-later
// Key layouts of the VGG16 / SSD checkpoints in circulation, mapped onto featscale's canonical names
// (canonical.h). Each layout is recognised by a key only it has; its keys are renamed; then every
// canonical parameter is checked for presence and shape. Files in no known layout are matched by
// order and shape (by_order_mapping.cpp).
#include "analysis/core/file_names.h"
#include "analysis/core/topology.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"
#include "analysis/weights/layouts/internal/layout_rules.h"

#include <torch/torch.h>

#include <algorithm>
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
    // Caffe-trained originals and formats whose files come from one framework decide alone; the
    // eps is the L2Norm of the framework the family trained in (types.h's epsModes()).
    if (format == "caffe")
        return {"caffe", Preset::Caffe, EpsMode::Caffe}; // BGR, 0-255, minus (104,117,123)
    // Keras: Applications' 'caffe' mode is BGR minus (103.939,116.779,123.68), within 0.32 of the
    // preset (approximate); ssd_keras subtracts (123,117,104) from RGB and swaps to BGR (exact). Its
    // L2Normalization layer is K.l2_normalize (tf).
    if (format == "keras-h5")
        return {"keras", Preset::Caffe, EpsMode::Tf};
    if (format == "onnx")
        return {"onnx", Preset::Torchvision, EpsMode::Caffe}; // model-zoo VGG16 expects torchvision's mean/std
    if (layout == "torchvision-vgg16" || layout == "torchvision-vgg16-bn")
        return {"torchvision", Preset::Torchvision, EpsMode::Caffe};
    if (layout == "torchvision-vgg16-features" || layout == "torchvision-ssd300")
        return {"torchvision-ssd", Preset::CaffeRgb,
                EpsMode::Torchvision}; // RGB 0-255 minus (123,117,104); F.normalize
    if (layout == "ssd.pytorch" || layout == "ssd.pytorch-backbone" ||
        (layout == "featscale-reduced" && arch == Arch::Vgg16Reduced))
        return {"ssd.pytorch", Preset::Caffe, EpsMode::SsdPytorch};
    if (layout == "featscale-reduced") // featscale's own names for another detector: its original's convention
        return {"featscale", topologyInfo(arch).preset, topologyInfo(arch).eps};
    if (layout == "refinedet.pytorch") // ssd.pytorch's transforms and L2Norm
        return {"refinedet.pytorch", Preset::Caffe, EpsMode::SsdPytorch};
    if (layout == "s3fd.pytorch") // BGR mean subtracted, then reordered to RGB; ssd.pytorch's L2Norm
        return {"s3fd.pytorch", Preset::CaffeRgb, EpsMode::SsdPytorch};
    // mmdetection's img_norm_cfg: RGB minus (123.675,116.28,103.53), std 1. The closest preset's
    // means differ by up to 0.72: approximate (docs/DETECTOR_WEIGHTS.md says so).
    if (layout == "mmdet-ssd")
        return {"mmdet", Preset::CaffeRgb, EpsMode::SsdPytorch};
    // lufficc/SSD: INPUT.PIXEL_MEAN (123,117,104) subtracted from RGB 0-255 images; exact.
    if (layout == "lufficc-ssd")
        return {"lufficc-ssd", Preset::CaffeRgb, EpsMode::SsdPytorch};
    // face-alignment's sfd/detect.py: BGR image minus (104,117,123); its L2Norm adds 1e-10 to the norm.
    if (layout == "face-alignment-s3fd")
        return {"face-alignment", Preset::Caffe, EpsMode::SsdPytorch};
    const TopologyInfo& t = topologyInfo(arch);
    return {"unknown", t.preset, t.eps};
}

namespace {

/// The topologies a file's parameters fit: what it holds (classifier, BatchNorm, the reduced
/// fc6/fc7, the number of extra layers, its learned L2Norm layers) rules the others out.
std::vector<Arch> candidateArchs(const std::map<std::string, torch::Tensor>& renamed, const std::string& path)
{
    const bool hasClassifier = renamed.count("classifier.0.weight") > 0;
    const bool hasBatchNorm = renamed.count("features.1.running_mean") > 0 || renamed.count("features.1.weight") > 0;
    int extras = 0;
    while (renamed.count("extras." + std::to_string(extras) + ".weight"))
        ++extras;
    std::set<std::string> gammaLayers;
    for (const auto& entry : renamed)
        if (const std::string tap = gammaLayer(entry.first); !tap.empty())
            gammaLayers.insert(tap);
    // features.31 is fc6 in the detectors, but a BatchNorm (conv4_3's) in vgg16_bn.
    const bool hasReduced = (!hasBatchNorm && renamed.count("features.31.weight")) || extras > 0 ||
                            !gammaLayers.empty();
    if ((hasClassifier || hasBatchNorm) && hasReduced)
        throw Error(path + ": holds both " + (hasBatchNorm ? "vgg16_bn's BatchNorm" : "a VGG16 classifier") +
                    " and a detector's reduced fc6/fc7, extra layers or L2Norm; it fits no topology (" +
                    "vgg16, vgg16-bn, vgg16-reduced, ssd512, refinedet, s3fd)");
    if (hasBatchNorm)
        return {Arch::Vgg16Bn};
    if (hasClassifier)
        return {Arch::Vgg16};
    std::vector<Arch> out;
    for (const Arch arch : {Arch::Vgg16Reduced, Arch::Ssd512, Arch::RefineDet, Arch::S3fd}) {
        const int own = static_cast<int>(canonicalParams(arch, true).size() - canonicalParams(arch, false).size()) / 2;
        if (extras != 0 && extras != own)
            continue;
        const auto family = familyL2NormLayers(arch);
        bool subset = true; // every learned gamma is one of the family's normalized layers
        for (const auto& g : gammaLayers)
            subset = subset && std::find(family.begin(), family.end(), g) != family.end();
        if (subset)
            out.push_back(arch);
    }
    if (!hasReduced) // convolutions only: any topology
        return {Arch::Vgg16, Arch::Vgg16Bn, Arch::Vgg16Reduced, Arch::Ssd512, Arch::RefineDet, Arch::S3fd};
    return out;
}

std::string archList(const std::vector<Arch>& archs)
{
    std::string out;
    for (const Arch a : archs)
        out += (out.empty() ? "" : ", ") + toString(a);
    return out;
}

} // namespace

std::map<std::string, std::string> gammaKeys(const std::vector<std::string>& keys)
{
    RawTensors input;
    for (const auto& k : keys)
        input.tensors.emplace_back(k, torch::Tensor());
    std::vector<std::string> notes;
    const RawTensors raw = stripDataParallel(input, notes);
    std::map<std::string, std::string> out;
    const LayoutRule* rule = detectLayout(raw, hasKey);
    if (!rule)
        return out;
    for (std::size_t i = 0; i < raw.tensors.size(); ++i) {
        const Renamed r = rule->rename(raw.tensors[i].first);
        if (r.status != Renamed::Mapped)
            continue;
        if (const std::string tap = gammaLayer(r.name); !tap.empty())
            out.emplace(tap, keys[i]);
    }
    return out;
}

MappedWeights mapToCanonical(const RawTensors& input, std::optional<Arch> archHint, const std::string& path)
{
    MappedWeights mapped;
    const RawTensors raw = stripDataParallel(input, mapped.warnings);
    const LayoutRule* rule = detectLayout(raw, hasKey);
    if (!rule)
        return mapByOrder(raw, archHint, path);

    // Rename. Bookkeeping keys (BatchNorm counters) are dropped quietly and detection heads with a
    // note; unknown keys are reported, since they may mean the layout was guessed wrong.
    std::map<std::string, torch::Tensor> renamed;
    std::map<std::string, std::string> sourceKey;
    std::vector<std::string> unknown, heads;
    for (const auto& [name, t] : raw.tensors) {
        const Renamed r = rule->rename(name);
        if (r.status == Renamed::Ignored)
            continue;
        if (r.status == Renamed::Head) {
            heads.push_back(name);
            continue;
        }
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

    // Topology: what the file holds decides; a hint (--arch) chooses among the topologies the
    // file fits, and settles conv-only files.
    std::vector<Arch> candidates = candidateArchs(renamed, path);
    if (rule->fixesArch)
        candidates = {rule->defaultArch};
    if (candidates.empty())
        throw Error(path + ": its extra layers and learned L2Norm layers fit no known topology (" +
                    archList({Arch::Vgg16Reduced, Arch::Ssd512, Arch::RefineDet, Arch::S3fd}) + ")");
    // torchvision's vgg16_features are the convolutions of SSD's reduced VGG16.
    const Arch preferred = mapped.layout == "torchvision-vgg16-features" ? Arch::Vgg16Reduced : rule->defaultArch;
    const auto fits = [&](Arch a) { return std::find(candidates.begin(), candidates.end(), a) != candidates.end(); };
    Arch arch = candidates.front();
    if (archHint && fits(*archHint)) {
        arch = *archHint;
    } else if (fits(preferred)) {
        arch = preferred;
    } else if (fits(Arch::Vgg16Reduced)) { // a reduced backbone alone: SSD300's, as it always was
        arch = Arch::Vgg16Reduced;
    } else if (candidates.size() > 1) {
        throw Error(path + ": cannot tell the topology from the file: it fits " + archList(candidates) +
                    "; choose one with --arch (e.g. --arch " + toString(candidates.front()) + ")");
    }
    if (archHint && *archHint != arch)
        mapped.warnings.push_back("the file holds a " + toString(arch) + " network; the requested " +
                                  toString(*archHint) + " was ignored");
    mapped.arch = arch;
    mapped.fc6Dilation = arch == rule->defaultArch ? rule->fc6Dilation : 0;
    if (mapped.layout == "torchvision-vgg16" && arch == Arch::Vgg16Bn)
        mapped.layout = "torchvision-vgg16-bn";
    if (mapped.layout == "torchvision-vgg16" && hasExtraLayers(arch) && renamed.count("features.31.weight"))
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
            throw Error(path + ": shape mismatch for " + p.layer +
                        (p.name.size() > 5 && p.name.compare(p.name.size() - 5, 5, ".bias") == 0 ? " bias" : "") +
                        ": expected " + shapeString(p.shape) + ", found " + shapeString(it->second.sizes().vec()) +
                        " (key " + sourceKey[p.name] + ")");
        mapped.params[p.name] = it->second;
        renamed.erase(it);
    }
    if (!missingConv.empty())
        throw Error(path + ": recognised as " + mapped.layout +
                    " but parameters are missing: " + describeList(missingConv) +
                    (unknown.empty() ? "" : "; keys not understood: " + describeList(unknown)) + " (topology " +
                    toString(arch) + ")");
    if (!missingHead.empty())
        mapped.warnings.push_back("no " + std::string(hasExtraLayers(arch) ? "fc6/fc7" : "classifier (fc6-fc8)") +
                                  " in the file: those layers keep their untrained defaults (" +
                                  describeList(missingHead, 6) + ")");
    // Learned L2Norm gammas: one per normalized tap, as many values as the tap has channels.
    for (auto it = renamed.begin(); it != renamed.end();) {
        const std::string tap = gammaLayer(it->first);
        if (tap.empty()) {
            ++it;
            continue;
        }
        const int channels = convChannels(arch, withExtras, tap);
        if (channels == 0)
            throw Error(path + ": learned L2Norm gamma for " + tap + " (key " + excerpt(sourceKey[it->first]) +
                        "), a layer " + toString(arch) + " does not have");
        if (it->second.sizes().vec() != std::vector<std::int64_t>{channels})
            throw Error(path + ": shape mismatch for " + tap + "'s L2Norm gamma: expected " + std::to_string(channels) +
                        ", found " + shapeString(it->second.sizes().vec()) + " (key " + excerpt(sourceKey[it->first]) +
                        ")");
        mapped.params[it->first] = it->second;
        it = renamed.erase(it);
    }
    for (const auto& [name, t] : renamed)
        unknown.push_back(sourceKey[name] + " " + shapeString(t.sizes().vec()));
    if (!unknown.empty())
        mapped.warnings.push_back(std::to_string(unknown.size()) + " key(s) not used: " + describeList(unknown));
    if (!heads.empty())
        mapped.warnings.push_back("detection heads not loaded (not part of the backbone): " + describeList(heads, 6));

    const Convention c = conventionFor(raw.format, mapped.layout, arch);
    mapped.family = c.family;
    mapped.preset = c.preset;
    mapped.eps = c.eps;
    if (mapped.layout == "featscale-reduced")
        mapped.warnings.push_back(
            "reduced VGG16 in featscale's own key names: input convention assumed to be " +
            std::string(c.preset == Preset::Caffe ? "Caffe's (BGR minus 104/117/123)" : toString(c.preset)) +
            "; override the preset if it was trained otherwise");
    return mapped;
}

} // namespace featscale::analysis::weights
