// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/internal/canonical.h"

namespace featscale::analysis::weights {
namespace {

struct ConvSpec {
    int index; // position in torchvision's / ssd.pytorch's features Sequential
    const char* layer;
    int in, out, k;
};

// VGG16 configuration "D": the 13 convolutions and where they sit in `features`.
constexpr ConvSpec kConvs[] = {
    {0, "conv1_1", 3, 64, 3},     {2, "conv1_2", 64, 64, 3},    {5, "conv2_1", 64, 128, 3},
    {7, "conv2_2", 128, 128, 3},  {10, "conv3_1", 128, 256, 3}, {12, "conv3_2", 256, 256, 3},
    {14, "conv3_3", 256, 256, 3}, {17, "conv4_1", 256, 512, 3}, {19, "conv4_2", 512, 512, 3},
    {21, "conv4_3", 512, 512, 3}, {24, "conv5_1", 512, 512, 3}, {26, "conv5_2", 512, 512, 3},
    {28, "conv5_3", 512, 512, 3}};

// SSD300's extra layers in ssd.pytorch order (extras.N).
constexpr ConvSpec kExtras[] = {
    {0, "conv8_1", 1024, 256, 1}, {1, "conv8_2", 256, 512, 3},  {2, "conv9_1", 512, 128, 1},
    {3, "conv9_2", 128, 256, 3},  {4, "conv10_1", 256, 128, 1}, {5, "conv10_2", 128, 256, 3},
    {6, "conv11_1", 256, 128, 1}, {7, "conv11_2", 128, 256, 3}};

void addConv(std::vector<CanonicalParam>& out, const std::string& prefix, const ConvSpec& c)
{
    out.push_back({prefix + std::to_string(c.index) + ".weight", c.layer, {c.out, c.in, c.k, c.k}});
    out.push_back({prefix + std::to_string(c.index) + ".bias", c.layer, {c.out}});
}

} // namespace

std::vector<CanonicalParam> canonicalParams(Arch arch, bool withExtras)
{
    std::vector<CanonicalParam> out;
    for (const auto& c : kConvs)
        addConv(out, "features.", c);
    if (arch == Arch::Vgg16) {
        out.push_back({"classifier.0.weight", "fc6", {4096, 25088}});
        out.push_back({"classifier.0.bias", "fc6", {4096}});
        out.push_back({"classifier.3.weight", "fc7", {4096, 4096}});
        out.push_back({"classifier.3.bias", "fc7", {4096}});
        out.push_back({"classifier.6.weight", "fc8", {1000, 4096}});
        out.push_back({"classifier.6.bias", "fc8", {1000}});
        return out;
    }
    addConv(out, "features.", {31, "fc6", 512, 1024, 3});
    addConv(out, "features.", {33, "fc7", 1024, 1024, 1});
    if (withExtras)
        for (const auto& c : kExtras)
            addConv(out, "extras.", c);
    return out;
}

std::string shapeString(const std::vector<std::int64_t>& shape)
{
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s.empty() ? "scalar" : s;
}

} // namespace featscale::analysis::weights
