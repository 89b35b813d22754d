// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/topology.h"
#include "analysis/weights/layouts/internal/canonical.h"
#include "analysis/weights/layouts/internal/layout_rules.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>

namespace featscale::analysis::weights {
namespace {

constexpr std::size_t kConvParams = 26; // 13 convolutions, weight and bias
constexpr std::size_t kMaxListed = 60;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool looksLikeGamma(const std::string& name, const torch::Tensor& t)
{
    const std::string n = lower(name);
    return t.dim() == 1 && (t.size(0) == 512 || t.size(0) == 256) &&
           (n.find("l2norm") != std::string::npos || n.find("l2_norm") != std::string::npos ||
            n.find("scale_weight") != std::string::npos);
}

struct Candidate {
    Arch arch;
    bool extras;
    bool convOnly;
    std::vector<CanonicalParam> table;
};

std::string listing(const std::vector<std::string>& lines)
{
    std::string out;
    for (std::size_t i = 0; i < lines.size() && i < kMaxListed; ++i)
        out += "\n    " + lines[i];
    if (lines.size() > kMaxListed)
        out += "\n    ... (" + std::to_string(lines.size()) + " in all)";
    return out;
}

} // namespace

MappedWeights mapByOrder(const RawTensors& raw, std::optional<Arch> archHint, const std::string& path)
{
    std::vector<const std::pair<std::string, torch::Tensor>*> seq;
    std::vector<const std::pair<std::string, torch::Tensor>*> gammas;
    for (const auto& entry : raw.tensors) {
        if (entry.second.dim() == 0)
            continue; // counters such as BatchNorm's num_batches_tracked
        if (looksLikeGamma(entry.first, entry.second)) {
            gammas.push_back(&entry);
            continue;
        }
        seq.push_back(&entry);
    }

    std::vector<Candidate> candidates;
    const Arch convOnlyArch = archHint.value_or(Arch::Vgg16);
    for (const auto& [arch, extras] : {std::pair{Arch::Vgg16, false},
                                       {Arch::Vgg16Bn, false},
                                       {Arch::Vgg16Reduced, false},
                                       {Arch::Vgg16Reduced, true},
                                       {Arch::Ssd512, true},
                                       {Arch::RefineDet, true},
                                       {Arch::S3fd, true}})
        candidates.push_back({arch, extras, false, canonicalParams(arch, extras)});
    auto convs = canonicalParams(convOnlyArch);
    convs.resize(kConvParams);
    candidates.push_back({convOnlyArch, false, true, convs});

    // The tables differ in length, so at most one can match exactly: no ambiguity to resolve.
    const Candidate* match = nullptr;
    const Candidate* closest = &candidates[0];
    std::size_t closestPrefix = 0;
    for (const Candidate& c : candidates) {
        std::size_t prefix = 0;
        while (prefix < seq.size() && prefix < c.table.size() &&
               seq[prefix]->second.sizes().vec() == c.table[prefix].shape)
            ++prefix;
        if (prefix == seq.size() && prefix == c.table.size())
            match = &c;
        if (prefix > closestPrefix) {
            closestPrefix = prefix;
            closest = &c;
        }
    }

    if (!match) {
        std::vector<std::string> expected, found;
        for (const auto& p : closest->table)
            expected.push_back(p.name + " (" + p.layer + ") " + shapeString(p.shape));
        for (const auto* e : seq)
            found.push_back(e->first + " " + shapeString(e->second.sizes().vec()));
        std::string where = "no tensors";
        if (closestPrefix < seq.size() && closestPrefix < closest->table.size())
            where = "first difference at position " + std::to_string(closestPrefix + 1) + ": expected " +
                    closest->table[closestPrefix].layer + " " + shapeString(closest->table[closestPrefix].shape) +
                    ", found " + seq[closestPrefix]->first + " " +
                    shapeString(seq[closestPrefix]->second.sizes().vec());
        else if (!seq.empty())
            where = "the file has " + std::to_string(seq.size()) + " parameter tensors, " + toString(closest->arch) +
                    " needs " + std::to_string(closest->table.size());
        throw Error(path + ": key layout not recognised, and the tensors do not match VGG16 by order and shape (" +
                    where + ").\n  expected (" + toString(closest->arch) + (closest->extras ? " with SSD extras" : "") +
                    "):" + listing(expected) + "\n  found:" + listing(found));
    }

    MappedWeights mapped;
    mapped.arch = match->arch;
    mapped.layout = raw.format == "caffe" || raw.format == "onnx" ? raw.format
                    : raw.format == "keras-h5"                    ? "keras"
                                                                  : "by-order";
    for (std::size_t i = 0; i < seq.size(); ++i)
        mapped.params[match->table[i].name] = seq[i]->second;
    // Gammas in file order are the family's normalized layers in network order (SSD: conv4_3;
    // RefineDet: conv4_3, conv5_3; S3FD: conv3_3, conv4_3, conv5_3).
    std::string taken;
    if (!gammas.empty()) {
        if (match->convOnly && gammas.size() == 1)
            mapped.arch = Arch::Vgg16Reduced;
        const auto family = familyL2NormLayers(mapped.arch);
        if (family.size() != gammas.size())
            throw Error(path + ": " + std::to_string(gammas.size()) + " tensor(s) look like L2Norm gammas (" +
                        gammas.front()->first + (gammas.size() > 1 ? ", ..." : "") + "), but a " +
                        toString(mapped.arch) + " network normalizes " + std::to_string(family.size()) + " layer(s)");
        for (std::size_t i = 0; i < gammas.size(); ++i) {
            const int channels = convChannels(mapped.arch, /*withExtras=*/false, family[i]);
            if (gammas[i]->second.size(0) != channels)
                throw Error(path + ": " + gammas[i]->first + " looks like the L2Norm gamma of " + family[i] +
                            ", but has " + std::to_string(gammas[i]->second.size(0)) + " values, not " +
                            std::to_string(channels));
            mapped.params[gammaName(family[i])] = gammas[i]->second;
            taken += ", " + gammas[i]->first + " taken as " + family[i] + "'s L2Norm gamma";
        }
    }
    const Convention c = conventionFor(raw.format, mapped.layout, mapped.arch);
    mapped.family = c.family;
    mapped.preset = c.preset;
    mapped.eps = c.eps;
    mapped.warnings.push_back("key layout not recognised: the " + std::to_string(seq.size()) +
                              " tensors were matched to " + toString(mapped.arch) + " by order and shape" + taken);
    if (match->convOnly)
        mapped.warnings.push_back("convolutions only: fc6/fc7" +
                                  std::string(hasExtraLayers(mapped.arch) ? "" : "/fc8") +
                                  " keep their untrained defaults");
    if (raw.format != "caffe" && raw.format != "onnx" && raw.format != "keras-h5")
        mapped.warnings.push_back(std::string("input convention unknown: assumed ") + toString(mapped.preset) +
                                  "; override the preset if the weights were trained otherwise");
    return mapped;
}

} // namespace featscale::analysis::weights
