// SPDX-License-Identifier: GPL-3.0-or-later
// Caffe, ONNX and Keras files written by make_fixtures.py from known weights: the readers must
// return exactly those weights under canonical names (bit for bit, after the documented transposes),
// and fc6 mapped to a torch Linear must compute what the source framework computes on the same pool5.
#include "fixture_manifest.h"

#include "analysis/weights/internal/state_dict.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

namespace featscale::analysis::weights::test {
namespace {

struct FormatCase {
    const char* file;
    const char* format;
    const char* warning; ///< a warning that must be reported; nullptr: no warnings at all
    bool hasFc6;         ///< the file has VGG16's Linear fc6 and a reference fc6 output
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.file; }

const FormatCase kCases[] = {
    {"caffe_vgg16_v2.caffemodel", "caffe", nullptr, true},
    {"caffe_reduced_v1.caffemodel", "caffe", nullptr, false},
    {"caffe_ssd300_v2.caffemodel", "caffe", "conv4_3_norm_mbox_loc", false},
    {"onnx_vgg16_torch.onnx", "onnx", nullptr, true},
    {"onnx_tiny_by_order.onnx", "onnx", "node order", false},
    {"keras1_vgg16.h5", "keras-h5", nullptr, true},
    {"keras2_vgg16_model.h5", "keras-h5", nullptr, true},
    {"keras2_vgg16_notop.h5", "keras-h5", "no fully connected layers", false},
};

// Caffe's InnerProduct, Keras' Flatten+Dense (pool5 flattened in (h, w, c) order) and ONNX's Gemm
// were evaluated in numpy by the generator; the mapped torch Linear on the (c, h, w) flattening must
// agree. A wrong Keras permutation would give unrelated numbers, not a small error.
void expectFc6MatchesSource(const FormatCase& c, const RawTensors& raw)
{
    torch::Tensor w, b;
    for (const auto& [name, t] : raw.tensors) {
        if (name == "classifier.0.weight")
            w = t;
        if (name == "classifier.0.bias")
            b = t;
    }
    ASSERT_TRUE(w.defined() && b.defined());
    std::vector<float> pool5 = readFloats(fixturePath("pool5.f32"));
    std::vector<float> ref = readFloats(fixturePath(std::string(c.file) + ".fc6.f32"));
    ASSERT_EQ(pool5.size(), 25088u);
    ASSERT_EQ(ref.size(), 4096u);
    const torch::Tensor x = torch::from_blob(pool5.data(), {512, 7, 7}, torch::kFloat32).reshape({25088});
    const torch::Tensor y = torch::mv(w.to(torch::kFloat64), x.to(torch::kFloat64)) + b.to(torch::kFloat64);
    const torch::Tensor e = torch::from_blob(ref.data(), {4096}, torch::kFloat32).to(torch::kFloat64);
    const double scale = e.abs().max().item<double>();
    ASSERT_GT(scale, 0.0);
    EXPECT_LE((y - e).abs().max().item<double>() / scale, 1e-4);
}

class FormatTest : public ::testing::TestWithParam<FormatCase> { };

TEST_P(FormatTest, TensorsEqualTheSourceBitForBitAndFc6ComputesAsTheSource)
{
    const FormatCase& c = GetParam();
    const auto expected = expectedTensors(c.file);
    ASSERT_FALSE(expected.empty()) << "manifest has no entries for " << c.file;

    const RawTensors raw = readWeightFile(fixturePath(c.file)); // dispatch by content
    EXPECT_EQ(raw.format, c.format);

    std::set<std::string> names;
    for (const auto& [name, t] : raw.tensors) {
        SCOPED_TRACE(name);
        EXPECT_TRUE(names.insert(name).second) << "duplicate tensor name";
        EXPECT_EQ(t.scalar_type(), torch::kFloat32);
        EXPECT_TRUE(t.is_contiguous());
        auto it = expected.find(name);
        ASSERT_NE(it, expected.end()) << "unexpected tensor";
        std::vector<std::int64_t> shape = t.sizes().vec();
        std::string s;
        for (std::size_t i = 0; i < shape.size(); ++i)
            s += (i ? "x" : "") + std::to_string(shape[i]);
        EXPECT_EQ(s, it->second.shape);
        EXPECT_EQ(tensorSha256(t), it->second.sha256) << "values differ from the source";
    }
    for (const auto& [name, e] : expected)
        EXPECT_TRUE(names.count(name)) << "missing " << name;

    if (c.warning) {
        bool found = false;
        for (const auto& w : raw.warnings)
            found = found || w.find(c.warning) != std::string::npos;
        EXPECT_TRUE(found) << "expected a warning containing '" << c.warning << "'";
    } else {
        EXPECT_TRUE(raw.warnings.empty()) << raw.warnings.front();
    }
    if (c.hasFc6) {
        SCOPED_TRACE("fc6 on a known pool5");
        expectFc6MatchesSource(c, raw);
    }
}

template <typename Case> std::string caseName(const ::testing::TestParamInfo<Case>& testInfo)
{
    std::string n = testInfo.param.file;
    for (auto& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch)))
            ch = '_';
    return n;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FormatTest, ::testing::ValuesIn(kCases), caseName<FormatCase>);

// What loadWeights makes of each file: topology, family, input convention, gamma and extras.
struct LoadCase {
    const char* file;
    Arch arch;
    const char* family;
    Preset preset;
    bool gamma;
    bool extras;
};

void PrintTo(const LoadCase& c, std::ostream* os) { *os << c.file; }

const LoadCase kLoadCases[] = {
    {"caffe_vgg16_v2.caffemodel", Arch::Vgg16, "caffe", Preset::Caffe, false, false},
    {"caffe_reduced_v1.caffemodel", Arch::Vgg16Reduced, "caffe", Preset::Caffe, false, false},
    {"caffe_ssd300_v2.caffemodel", Arch::Vgg16Reduced, "caffe", Preset::Caffe, true, true},
    {"onnx_vgg16_torch.onnx", Arch::Vgg16, "onnx", Preset::Torchvision, false, false},
    {"keras1_vgg16.h5", Arch::Vgg16, "keras", Preset::Caffe, false, false},
    {"keras2_vgg16_model.h5", Arch::Vgg16, "keras", Preset::Caffe, false, false},
};

class LoadTest : public ::testing::TestWithParam<LoadCase> { };

TEST_P(LoadTest, PicksTopologyFamilyAndPreset)
{
    const LoadCase& c = GetParam();
    const auto [mapped, info] = loadWeights(fixturePath(c.file), std::nullopt);
    EXPECT_EQ(info.arch, c.arch);
    EXPECT_EQ(info.family, c.family);
    EXPECT_EQ(info.preset, c.preset);
    EXPECT_FALSE(info.untrained);
    EXPECT_EQ(info.gammas.size(), c.gamma ? 1u : 0u);
    EXPECT_EQ(info.hasExtras, c.extras);
    EXPECT_EQ(info.sha256, sha256File(fixturePath(c.file)));
    const std::int64_t expectedCount = c.arch == Arch::Vgg16 ? 138357544 : (c.extras ? 22943424 : 20483904);
    EXPECT_EQ(info.parameterCount, expectedCount);
    if (c.gamma) {
        // The learned gamma must arrive unchanged (the generator drew it non-uniform around 20).
        const std::vector<float>& gamma = info.gammas.at("conv4_3");
        torch::Tensor g = torch::from_blob(const_cast<float*>(gamma.data()), {static_cast<std::int64_t>(gamma.size())},
                                           torch::kFloat32);
        EXPECT_EQ(tensorSha256(g), expectedTensors(c.file).at("L2Norm.conv4_3.weight").sha256);
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LoadTest, ::testing::ValuesIn(kLoadCases), caseName<LoadCase>);

TEST(LoadTest, KerasNotopLoadsConvolutionsOnlyWithAWarning)
{
    const auto [mapped, info] = loadWeights(fixturePath("keras2_vgg16_notop.h5"), Arch::Vgg16);
    EXPECT_EQ(info.family, "keras");
    EXPECT_EQ(mapped.params.count("classifier.0.weight"), 0u);
    EXPECT_EQ(mapped.params.count("features.28.weight"), 1u);
    EXPECT_EQ(info.parameterCount, 14714688);
    bool warned = false;
    for (const auto& w : info.warnings)
        warned = warned || w.find("fc6") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST(LoadTest, OnnxByOrderWithWrongShapesNamesTheLayer)
{
    // The small by-order graph has VGG16's structure but not its channel counts.
    try {
        loadWeights(fixturePath("onnx_tiny_by_order.onnx"), std::nullopt);
        FAIL() << "expected a shape mismatch";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("onnx_tiny_by_order.onnx"), std::string::npos) << what;
        EXPECT_NE(what.find("conv1_1"), std::string::npos) << what;
        EXPECT_NE(what.find("64x3x3x3"), std::string::npos) << what;
    }
}

} // namespace
} // namespace featscale::analysis::weights::test
