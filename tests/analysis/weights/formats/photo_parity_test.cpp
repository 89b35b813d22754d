// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: each Caffe / ONNX / Keras file, opened by the Analyzer as a user would open it, must give
// torchvision's per-layer channel-norm maps on a real photo for the same weights (≤ 1e-4 relative).
// References: make_fixtures.py runs torchvision.models.vgg16 and torchvision's ssd300_vgg16 backbone
// (extras and learned scale_weight included) on the same photo.
#include "fixture_manifest.h"

#include "analysis/engine/analyzer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace featscale::analysis::weights::test {
namespace {

nlohmann::json parityManifest()
{
    std::ifstream in(fixturePath("photo_parity.json"));
    if (!in)
        return nullptr;
    return nlohmann::json::parse(in);
}

double maxRelative(const std::vector<float>& a, const std::vector<float>& ref)
{
    double scale = 0, worst = 0;
    for (float r : ref)
        scale = std::max(scale, static_cast<double>(std::fabs(r)));
    for (std::size_t i = 0; i < ref.size(); ++i)
        worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - ref[i]) / std::max(scale, 1e-30));
    return worst;
}

class PhotoParityTest : public ::testing::TestWithParam<std::string> { };

TEST_P(PhotoParityTest, NormMapsMatchTorchvision)
{
    const auto m = parityManifest();
    ASSERT_FALSE(m.is_null()) << "photo_parity.json missing: weights_formats_fixtures must run first";
    const nlohmann::json* c = nullptr;
    for (const auto& candidate : m.at("cases"))
        if (candidate.at("weights") == GetParam())
            c = &candidate;
    ASSERT_NE(c, nullptr) << GetParam();

    AnalyzerOptions o;
    o.weightsPath = fixturePath(GetParam());
    o.preset = parsePreset(c->at("preset"));
    o.size.value = c->at("size");
    o.layersAll = true;
    o.eps = EpsMode::Torchvision;
    Analyzer an(o);
    EXPECT_FALSE(an.weights().untrained);
    const ImageResult r = an.analyze(m.at("image"));

    int compared = 0;
    for (const auto& [name, info] : c->at("layers").items()) {
        SCOPED_TRACE(name);
        const bool after = name == "conv4_3_l2norm";
        const LayerResult* lr = r.find(after ? "conv4_3" : name);
        ASSERT_NE(lr, nullptr) << "the engine has no tap " << name;
        const NormMap& map = after ? lr->after : lr->before;
        ASSERT_EQ(map.height, info.at("height").get<int>());
        ASSERT_EQ(map.width, info.at("width").get<int>());
        const std::vector<float> ref = readFloats(fixturePath(info.at("file")));
        ASSERT_EQ(ref.size(), map.values.size());
        EXPECT_LE(maxRelative(map.values, ref), 1e-4);
        ++compared;
    }
    EXPECT_GE(compared, 6);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PhotoParityTest,
                         ::testing::Values("caffe_vgg16_v2.caffemodel", "onnx_vgg16_torch.onnx", "keras1_vgg16.h5",
                                           "keras2_vgg16_model.h5", "caffe_ssd300_v2.caffemodel"),
                         [](const ::testing::TestParamInfo<std::string>& testInfo) {
                             std::string n = testInfo.param;
                             for (auto& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return n;
                         });

} // namespace
} // namespace featscale::analysis::weights::test
