// SPDX-License-Identifier: GPL-3.0-or-later
// Key layouts: full-size state dicts as torchvision, ssd.pytorch and mmdetection define them.
// make_fixtures.py derives each canonical parameter from the network's module order (the n-th
// convolution in forward order is conv_n), so the C++ key rules are checked against an independent
// derivation; families and presets are the ones each project publishes.
#include "fixtures.h"

#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <memory>

namespace featscale::analysis::weights {
namespace {

using test::fixturePath;
using test::floatSha256;
using test::manifest;

// Layout files are large: read each once per process.
const RawTensors& rawOf(const std::string& name)
{
    static std::map<std::string, std::unique_ptr<RawTensors>> cache;
    auto& slot = cache[name];
    if (!slot)
        slot = std::make_unique<RawTensors>(readWeightFile(fixturePath("layouts", name)));
    return *slot;
}

bool anyWarningContains(const std::vector<std::string>& warnings, const std::string& text)
{
    for (const auto& w : warnings)
        if (w.find(text) != std::string::npos)
            return true;
    return false;
}

struct LayoutCase {
    const char* file;
    const char* format;
    const char* layout;
    const char* family;
    Preset preset;
    Arch arch;
    std::optional<Arch> hint;
};

void PrintTo(const LayoutCase& c, std::ostream* os) { *os << c.file; }

class LayoutFile : public ::testing::TestWithParam<LayoutCase> { };

TEST_P(LayoutFile, MapsEveryParameterToItsCanonicalName)
{
    const LayoutCase& c = GetParam();
    const auto& expected = manifest("layouts")["files"].at(c.file);
    const RawTensors& raw = rawOf(c.file);
    EXPECT_EQ(raw.format, c.format);
    const MappedWeights mapped = mapToCanonical(raw, c.hint, c.file);
    EXPECT_EQ(mapped.layout, c.layout);
    EXPECT_EQ(mapped.family, c.family);
    EXPECT_EQ(mapped.preset, c.preset);
    EXPECT_EQ(mapped.arch, c.arch);

    std::map<std::string, std::string> want = expected["params"].get<std::map<std::string, std::string>>();
    const bool hasGamma = !expected["gamma"].is_null();
    if (hasGamma)
        want[kGammaName] = expected["gamma"].get<std::string>();
    std::vector<std::string> got;
    for (const auto& [name, t] : mapped.params)
        got.push_back(name);
    std::vector<std::string> wanted;
    for (const auto& [name, sha] : want)
        wanted.push_back(name);
    ASSERT_EQ(got, wanted);
    for (const auto& [name, sha] : want) {
        const torch::Tensor& t = mapped.params.at(name);
        EXPECT_EQ(t.scalar_type(), torch::kFloat32) << name;
        EXPECT_EQ(floatSha256(t), sha) << name;
    }
    if (hasGamma) {
        // The gamma is the perturbed, non-uniform one, not SSD's initial 20.
        const torch::Tensor g = mapped.params.at(kGammaName);
        EXPECT_GT((g - 20.0f).abs().max().item<float>(), 1.0f);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, LayoutFile,
    ::testing::Values(LayoutCase{"tv_vgg16_legacy_fp16.pth", "pytorch-legacy", "torchvision-vgg16", "torchvision",
                                 Preset::Torchvision, Arch::Vgg16, std::nullopt},
                      LayoutCase{"tv_vgg16_features_fp16.pth", "pytorch-zip", "torchvision-vgg16-features",
                                 "torchvision-ssd", Preset::CaffeRgb, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"ssdpt_backbone_legacy.pth", "pytorch-legacy", "ssd.pytorch-backbone", "ssd.pytorch",
                                 Preset::Caffe, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"ssdpt_backbone_script_fp16.pt", "torchscript", "ssd.pytorch", "ssd.pytorch",
                                 Preset::Caffe, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"ssdpt_ssd300_fp16.pth", "pytorch-zip", "ssd.pytorch", "ssd.pytorch", Preset::Caffe,
                                 Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"ssdpt_dataparallel_fp16.pth", "pytorch-zip", "ssd.pytorch", "ssd.pytorch",
                                 Preset::Caffe, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"tv_ssd300.pth", "pytorch-zip", "torchvision-ssd300", "torchvision-ssd",
                                 Preset::CaffeRgb, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"mmdet_ssd300_fp16.pth", "pytorch-zip", "mmdet-ssd", "mmdet", Preset::CaffeRgb,
                                 Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"mmdet_ssd300_old_fp16.pth", "pytorch-zip", "mmdet-ssd", "mmdet", Preset::CaffeRgb,
                                 Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"canonical_reduced_bf16.pth", "pytorch-zip", "featscale-reduced", "ssd.pytorch",
                                 Preset::Caffe, Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"by_order_ssd_fp16.pth", "pytorch-zip", "by-order", "unknown", Preset::Caffe,
                                 Arch::Vgg16Reduced, std::nullopt},
                      LayoutCase{"by_order_convs_fp16.pth", "pytorch-zip", "by-order", "unknown", Preset::Torchvision,
                                 Arch::Vgg16, std::nullopt},
                      LayoutCase{"by_order_convs_fp16.pth", "pytorch-zip", "by-order", "unknown", Preset::Caffe,
                                 Arch::Vgg16Reduced, Arch::Vgg16Reduced}),
    [](const ::testing::TestParamInfo<LayoutCase>& testInfo) {
        std::string s = testInfo.param.file;
        s = s.substr(0, s.find('.'));
        s += testInfo.param.hint ? "_hint_" + toString(*testInfo.param.hint) : std::string();
        for (char& ch : s)
            if (!std::isalnum(static_cast<unsigned char>(ch)))
                ch = '_';
        return s;
    });

TEST(LayoutMapping, NotesWhatWasLeftOutOrAssumed)
{
    const MappedWeights features = mapToCanonical(rawOf("tv_vgg16_features_fp16.pth"), std::nullopt, "f.pth");
    EXPECT_TRUE(anyWarningContains(features.warnings, "NaN placeholders"));
    EXPECT_TRUE(anyWarningContains(features.warnings, "no fc6/fc7 in the file"));
    const MappedWeights dp = mapToCanonical(rawOf("ssdpt_dataparallel_fp16.pth"), std::nullopt, "dp.pth");
    EXPECT_TRUE(anyWarningContains(dp.warnings, "'module.' prefix"));
    const MappedWeights byOrder = mapToCanonical(rawOf("by_order_ssd_fp16.pth"), std::nullopt, "o.pth");
    EXPECT_TRUE(anyWarningContains(byOrder.warnings, "matched to vgg16-reduced by order and shape"));
    EXPECT_TRUE(anyWarningContains(byOrder.warnings, "net.conv4_3_L2Norm.gamma taken as conv4_3's L2Norm gamma"));
    EXPECT_TRUE(anyWarningContains(byOrder.warnings, "input convention unknown"));
    const MappedWeights hinted = mapToCanonical(rawOf("tv_vgg16_legacy_fp16.pth"), Arch::Vgg16Reduced, "v.pth");
    EXPECT_EQ(hinted.arch, Arch::Vgg16);
    EXPECT_TRUE(anyWarningContains(hinted.warnings, "requested vgg16-reduced was ignored"));
    // Detection heads are dropped without a note; nothing else is left over.
    const MappedWeights tv = mapToCanonical(rawOf("tv_ssd300.pth"), std::nullopt, "tv.pth");
    EXPECT_FALSE(anyWarningContains(tv.warnings, "not used"));
}

std::string mappingError(const RawTensors& raw, std::optional<Arch> hint = std::nullopt)
{
    try {
        mapToCanonical(raw, hint, "file.pth");
    } catch (const Error& e) {
        return e.what();
    }
    return "mapped without error";
}

RawTensors with(const RawTensors& raw, const std::string& key, std::optional<torch::Tensor> replacement)
{
    RawTensors out = raw;
    for (auto it = out.tensors.begin(); it != out.tensors.end(); ++it) {
        if (it->first != key)
            continue;
        if (replacement)
            it->second = *replacement;
        else
            out.tensors.erase(it);
        return out;
    }
    ADD_FAILURE() << key << " not in the file";
    return out;
}

TEST(LayoutMapping, ShapeMismatchNamesTheLayerAndBothShapes)
{
    const RawTensors& ssd = rawOf("ssdpt_ssd300_fp16.pth");
    EXPECT_EQ(mappingError(with(ssd, "vgg.21.weight", torch::zeros({256, 512, 3, 3}))),
              "file.pth: shape mismatch for conv4_3: expected 512x512x3x3, found 256x512x3x3 (key vgg.21.weight)");
    EXPECT_EQ(mappingError(with(ssd, "extras.1.bias", torch::zeros({256}))),
              "file.pth: shape mismatch for conv8_2 bias: expected 512, found 256 (key extras.1.bias)");
    EXPECT_EQ(mappingError(with(ssd, "L2Norm.weight", torch::zeros({256}))),
              "file.pth: shape mismatch for conv4_3's L2Norm gamma: expected 512, found 256 (key L2Norm.weight)");
    const RawTensors& tv = rawOf("tv_ssd300.pth");
    EXPECT_EQ(mappingError(with(tv, "backbone.extra.0.7.1.weight", torch::zeros({1024, 512, 1, 1}))),
              "file.pth: shape mismatch for fc6: expected 1024x512x3x3, found 1024x512x1x1 (key "
              "backbone.extra.0.7.1.weight)");
}

TEST(LayoutMapping, MissingParametersAreListed)
{
    const std::string error = mappingError(
        with(rawOf("mmdet_ssd300_fp16.pth"), "backbone.features.0.bias", std::nullopt));
    EXPECT_NE(error.find("recognised as mmdet-ssd but parameters are missing: features.0.bias (conv1_1, 64)"),
              std::string::npos)
        << error;
}

TEST(LayoutMapping, UnmatchedOrderListsExpectedAndFound)
{
    const std::string error = mappingError(rawOf("by_order_mismatch_fp16.pth"));
    EXPECT_NE(error.find("first difference at position 19: expected conv4_3 512x512x3x3, found block9.w 256x512x3x3"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("expected (vgg16):"), std::string::npos);
    EXPECT_NE(error.find("features.21.weight (conv4_3) 512x512x3x3"), std::string::npos);
    EXPECT_NE(error.find("found:"), std::string::npos);
    EXPECT_NE(error.find("block12.b 512"), std::string::npos);

    RawTensors junk;
    junk.format = "pytorch-zip";
    junk.tensors.emplace_back("encoder.layer1.weight", torch::zeros({8, 3}));
    const std::string junkError = mappingError(junk);
    EXPECT_NE(
        junkError.find("first difference at position 1: expected conv1_1 64x3x3x3, found encoder.layer1.weight 8x3"),
        std::string::npos)
        << junkError;
}

TEST(LayoutMapping, OtherFormatsGetTheirFamilysConvention)
{
    // What the Caffe / Keras / ONNX readers emit: canonical names, or unknown names in order.
    RawTensors canonical = rawOf("canonical_reduced_bf16.pth");
    canonical.format = "caffe";
    MappedWeights caffe = mapToCanonical(canonical, std::nullopt, "c.caffemodel");
    EXPECT_EQ(caffe.layout, "caffe");
    EXPECT_EQ(caffe.family, "caffe");
    EXPECT_EQ(caffe.preset, Preset::Caffe);
    EXPECT_EQ(caffe.params.size(), 47u); // 15 + 8 convolutions, weight and bias, and gamma

    canonical.format = "keras-h5";
    MappedWeights keras = mapToCanonical(canonical, std::nullopt, "k.h5");
    EXPECT_EQ(keras.layout, "keras");
    EXPECT_EQ(keras.family, "keras");
    EXPECT_EQ(keras.preset, Preset::Caffe);

    RawTensors onnx = rawOf("by_order_convs_fp16.pth");
    onnx.format = "onnx";
    MappedWeights fromOnnx = mapToCanonical(onnx, std::nullopt, "m.onnx");
    EXPECT_EQ(fromOnnx.layout, "onnx");
    EXPECT_EQ(fromOnnx.family, "onnx");
    EXPECT_EQ(fromOnnx.preset, Preset::Torchvision);
    EXPECT_EQ(fromOnnx.params.size(), 26u);
}

TEST(LayoutMapping, LoadWeightsCarriesGammaExtrasAndConvention)
{
    const std::string path = fixturePath("layouts", "tv_ssd300.pth");
    const auto [mapped, info] = loadWeights(path, std::nullopt);
    EXPECT_EQ(info.format, "pytorch-zip");
    EXPECT_EQ(info.layout, "torchvision-ssd300");
    EXPECT_EQ(info.family, "torchvision-ssd");
    EXPECT_EQ(info.preset, Preset::CaffeRgb);
    EXPECT_EQ(info.arch, Arch::Vgg16Reduced);
    EXPECT_FALSE(info.untrained);
    ASSERT_EQ(info.gammas.size(), 1u);
    EXPECT_TRUE(info.hasExtras);
    const std::vector<float>& gamma = info.gammas.at("conv4_3");
    ASSERT_EQ(gamma.size(), 512u);
    EXPECT_EQ(floatSha256(torch::tensor(gamma)), manifest("layouts")["files"]["tv_ssd300.pth"]["gamma"]);
    EXPECT_EQ(info.eps, EpsMode::Torchvision); // torchvision's SSD normalizes with F.normalize
}

// NaN/Inf values are reported where they sit: parameter, Caffe layer, counts, first index, in
// network order (the first warning is where NaN enters the forward pass).
TEST(LayoutMapping, NonFiniteValuesAreReportedWhereTheySit)
{
    const RawTensors& ssd = rawOf("ssdpt_ssd300_fp16.pth");
    const auto find = [&](const std::string& key) {
        for (const auto& [name, t] : ssd.tensors)
            if (name == key)
                return t.to(torch::kFloat32).clone();
        ADD_FAILURE() << key << " not in the file";
        return torch::Tensor();
    };
    torch::Tensor conv43 = find("vgg.21.weight");
    conv43.index_put_({3, 7, 1, 2}, std::numeric_limits<float>::quiet_NaN());
    conv43.index_put_({400, 0, 0, 0}, std::numeric_limits<float>::quiet_NaN());
    conv43.index_put_({3, 7, 2, 0}, std::numeric_limits<float>::infinity());
    torch::Tensor gamma = find("L2Norm.weight");
    gamma.index_put_({5}, -std::numeric_limits<float>::infinity());
    torch::Tensor fc7Bias = find("vgg.33.bias");
    fc7Bias.index_put_({1023}, std::numeric_limits<float>::quiet_NaN());

    const MappedWeights clean = mapToCanonical(ssd, std::nullopt, "ok.pth");
    EXPECT_TRUE(nonFiniteWarnings(clean).empty());

    const MappedWeights bad = mapToCanonical(
        with(with(with(ssd, "vgg.21.weight", conv43), "L2Norm.weight", gamma), "vgg.33.bias", fc7Bias), std::nullopt,
        "bad.pth");
    const std::vector<std::string> w = nonFiniteWarnings(bad);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(
        w[0].rfind("features.21.weight (conv4_3): 2 NaN and 1 Inf among 2359296 values; first at [3, 7, 1, 2]", 0), 0u)
        << w[0];
    EXPECT_EQ(w[1].rfind("features.33.bias (fc7): 1 NaN among 1024 values; first at [1023]", 0), 0u) << w[1];
    EXPECT_EQ(w[2].rfind("L2Norm.conv4_3.weight (conv4_3 L2Norm gamma): 1 Inf among 512 values; first at [5]", 0), 0u)
        << w[2];
}

} // namespace
} // namespace featscale::analysis::weights
