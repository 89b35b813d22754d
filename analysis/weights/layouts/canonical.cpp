// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/layouts/internal/canonical.h"

namespace featscale::analysis::weights {
namespace {

struct ConvSpec {
    int index; // position in torchvision's / ssd.pytorch's features Sequential (or extras.N)
    const char* layer;
    int in, out, k;
};

// VGG16 configuration "D": the 13 convolutions and where they sit in `features`.
constexpr ConvSpec kConvs[] = {{0, "conv1_1", 3, 64, 3},     {2, "conv1_2", 64, 64, 3},    {5, "conv2_1", 64, 128, 3},
                               {7, "conv2_2", 128, 128, 3},  {10, "conv3_1", 128, 256, 3}, {12, "conv3_2", 256, 256, 3},
                               {14, "conv3_3", 256, 256, 3}, {17, "conv4_1", 256, 512, 3}, {19, "conv4_2", 512, 512, 3},
                               {21, "conv4_3", 512, 512, 3}, {24, "conv5_1", 512, 512, 3}, {26, "conv5_2", 512, 512, 3},
                               {28, "conv5_3", 512, 512, 3}};

// torchvision's vgg16_bn: Conv2d, BatchNorm2d, ReLU per convolution, so every index moves.
constexpr int kBnConvIndex[] = {0, 3, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40};

// Extra layers in ssd.pytorch order (extras.N); the tap names are the Caffe prototxts'.
constexpr ConvSpec kSsd300Extras[] = {{0, "conv8_1", 1024, 256, 1}, {1, "conv8_2", 256, 512, 3},
                                      {2, "conv9_1", 512, 128, 1},  {3, "conv9_2", 128, 256, 3},
                                      {4, "conv10_1", 256, 128, 1}, {5, "conv10_2", 128, 256, 3},
                                      {6, "conv11_1", 256, 128, 1}, {7, "conv11_2", 128, 256, 3}};
constexpr ConvSpec kSsd512Extras[] = {{0, "conv8_1", 1024, 256, 1}, {1, "conv8_2", 256, 512, 3},
                                      {2, "conv9_1", 512, 128, 1},  {3, "conv9_2", 128, 256, 3},
                                      {4, "conv10_1", 256, 128, 1}, {5, "conv10_2", 128, 256, 3},
                                      {6, "conv11_1", 256, 128, 1}, {7, "conv11_2", 128, 256, 3},
                                      {8, "conv12_1", 256, 128, 1}, {9, "conv12_2", 128, 256, 4}};
constexpr ConvSpec kRefineDetExtras[] = {{0, "conv6_1", 1024, 256, 1}, {1, "conv6_2", 256, 512, 3}};
constexpr ConvSpec kS3fdExtras[] = {{0, "conv6_1", 1024, 256, 1},
                                    {1, "conv6_2", 256, 512, 3},
                                    {2, "conv7_1", 512, 128, 1},
                                    {3, "conv7_2", 128, 256, 3}};

void addConv(std::vector<CanonicalParam>& out, const std::string& prefix, const ConvSpec& c)
{
    out.push_back({prefix + std::to_string(c.index) + ".weight", c.layer, {c.out, c.in, c.k, c.k}});
    out.push_back({prefix + std::to_string(c.index) + ".bias", c.layer, {c.out}});
}

template <std::size_t N> void addExtras(std::vector<CanonicalParam>& out, const ConvSpec (&extras)[N])
{
    for (const auto& c : extras)
        addConv(out, "extras.", c);
}

void addClassifier(std::vector<CanonicalParam>& out)
{
    out.push_back({"classifier.0.weight", "fc6", {4096, 25088}});
    out.push_back({"classifier.0.bias", "fc6", {4096}});
    out.push_back({"classifier.3.weight", "fc7", {4096, 4096}});
    out.push_back({"classifier.3.bias", "fc7", {4096}});
    out.push_back({"classifier.6.weight", "fc8", {1000, 4096}});
    out.push_back({"classifier.6.bias", "fc8", {1000}});
}

} // namespace

int convChannels(Arch arch, bool withExtras, const std::string& tap)
{
    for (const CanonicalParam& p : canonicalParams(arch, withExtras))
        if (p.layer == tap && p.shape.size() == 4)
            return static_cast<int>(p.shape[0]);
    return 0;
}

bool hasExtraLayers(Arch arch) { return arch != Arch::Vgg16 && arch != Arch::Vgg16Bn; }

std::vector<CanonicalParam> canonicalParams(Arch arch, bool withExtras)
{
    std::vector<CanonicalParam> out;
    if (arch == Arch::Vgg16Bn) {
        for (std::size_t i = 0; i < std::size(kConvs); ++i) {
            ConvSpec c = kConvs[i];
            c.index = kBnConvIndex[i];
            addConv(out, "features.", c);
            const std::string bn = "features." + std::to_string(c.index + 1) + ".";
            for (const char* p : {"weight", "bias", "running_mean", "running_var"})
                out.push_back({bn + p, c.layer, {c.out}});
        }
        addClassifier(out);
        return out;
    }
    for (const auto& c : kConvs)
        addConv(out, "features.", c);
    if (arch == Arch::Vgg16) {
        addClassifier(out);
        return out;
    }
    addConv(out, "features.", {31, "fc6", 512, 1024, 3});
    addConv(out, "features.", {33, "fc7", 1024, 1024, 1});
    if (!withExtras)
        return out;
    switch (arch) {
    case Arch::Vgg16Reduced:
        addExtras(out, kSsd300Extras);
        break;
    case Arch::Ssd512:
        addExtras(out, kSsd512Extras);
        break;
    case Arch::RefineDet:
        addExtras(out, kRefineDetExtras);
        break;
    case Arch::S3fd:
        addExtras(out, kS3fdExtras);
        break;
    case Arch::Vgg16:
    case Arch::Vgg16Bn:
        break;
    }
    return out;
}

std::string shapeString(const std::vector<std::int64_t>& shape)
{
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s.empty() ? "scalar" : s;
}

std::string gammaName(const std::string& layer) { return "L2Norm." + layer + ".weight"; }

std::string gammaLayer(const std::string& name)
{
    const std::string head = "L2Norm.", tail = ".weight";
    if (name.size() <= head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
        name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
        return {};
    return name.substr(head.size(), name.size() - head.size() - tail.size());
}

} // namespace featscale::analysis::weights
