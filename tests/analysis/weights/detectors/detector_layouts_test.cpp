// SPDX-License-Identifier: GPL-3.0-or-later
// Detector checkpoints with several learned L2Norm layers, as face-alignment, lufficc/SSD,
// mmdetection (< 2.18), ssd_keras and Caffe SSD512 / RefineDet / SFD write them. make_fixtures.py
// lists each network's convolutions in forward order (from module order, not from key names) and
// each learned gamma's values; every one must land on its canonical parameter, in network order,
// and every gamma on its tap.
#include "analysis/weights/hash/sha256.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace featscale::analysis::weights {
namespace {

std::string fixture(const std::string& name) { return std::string(FEATSCALE_DETECTORS_DATA) + "/" + name; }

const nlohmann::json& manifest()
{
    static const nlohmann::json m = [] {
        std::ifstream in(fixture("manifest.json"));
        if (!in)
            throw std::runtime_error("no manifest.json in " FEATSCALE_DETECTORS_DATA
                                     " (did weights_detectors_fixtures run?)");
        return nlohmann::json::parse(in)["files"];
    }();
    return m;
}

std::string sha(const torch::Tensor& t)
{
    const torch::Tensor c = t.to(torch::kFloat32).contiguous();
    Sha256 h;
    h.update(static_cast<const unsigned char*>(c.data_ptr()), static_cast<std::size_t>(c.numel()) * sizeof(float));
    return h.hexDigest();
}

bool anyWarningContains(const std::vector<std::string>& warnings, const std::string& text)
{
    for (const auto& w : warnings)
        if (w.find(text) != std::string::npos)
            return true;
    return false;
}

std::string loadError(const std::string& name, std::optional<Arch> hint = std::nullopt)
{
    try {
        loadWeights(fixture(name), hint);
    } catch (const Error& e) {
        return e.what();
    }
    return "loaded without error";
}

struct Case {
    const char* file;
    std::optional<Arch> hint;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

class DetectorFile : public ::testing::TestWithParam<Case> { };

TEST_P(DetectorFile, EveryConvolutionAndGammaLandsOnItsLayer)
{
    const Case& c = GetParam();
    const nlohmann::json& want = manifest().at(c.file);
    const auto [mapped, info] = loadWeights(fixture(c.file), c.hint);
    EXPECT_EQ(info.format, want["format"]);
    EXPECT_EQ(info.layout, want["layout"]);
    EXPECT_EQ(info.family, want["family"]);
    EXPECT_EQ(toString(info.arch), want["arch"]);
    EXPECT_EQ(toString(info.preset), want["preset"]);
    EXPECT_EQ(toString(info.eps), want["eps"]);
    EXPECT_TRUE(info.hasExtras);

    // The canonical table in network order, weight before bias, against the fixture's module order.
    const auto table = canonicalParams(info.arch, /*withExtras=*/true);
    const auto& convs = want["convs"];
    ASSERT_EQ(table.size(), 2 * convs.size());
    for (std::size_t i = 0; i < convs.size(); ++i) {
        for (int k = 0; k < 2; ++k) {
            const CanonicalParam& p = table[2 * i + k];
            SCOPED_TRACE(p.name + " (" + p.layer + ")");
            ASSERT_TRUE(mapped.params.count(p.name));
            EXPECT_EQ(sha(mapped.params.at(p.name)), convs[i][k].get<std::string>());
        }
    }
    // Nothing else but the gammas, each on its tap with the fixture's values.
    std::size_t gammas = 0;
    for (const auto& [name, t] : mapped.params)
        gammas += gammaLayer(name).empty() ? 0 : 1;
    EXPECT_EQ(mapped.params.size(), table.size() + gammas);
    std::map<std::string, std::vector<float>> expected;
    for (const auto& [tap, values] : want["gammas"].items())
        expected[tap] = values.get<std::vector<float>>();
    EXPECT_EQ(info.gammas, expected);
    for (const auto& [tap, values] : expected)
        EXPECT_GT(*std::max_element(values.begin(), values.end()) - *std::min_element(values.begin(), values.end()),
                  1.0f)
            << tap << ": the fixture's gamma must not be uniform";

    // Heads are dropped (and listed, see HeadsAreListedAsNotLoaded); no key goes unexplained.
    EXPECT_FALSE(anyWarningContains(info.warnings, "not used"));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DetectorFile,
    ::testing::Values(Case{"fa_s3fd.pth", std::nullopt}, Case{"lufficc_ssd300.pth", std::nullopt},
                      Case{"lufficc_ssd512.pth", std::nullopt}, Case{"mmdet_ssd512_old.pth", std::nullopt},
                      Case{"keras_ssd300.h5", std::nullopt}, Case{"caffe_ssd512.caffemodel", std::nullopt},
                      Case{"caffe_refinedet320.caffemodel", std::nullopt}, Case{"caffe_s3fd.caffemodel", std::nullopt}),
    [](const ::testing::TestParamInfo<Case>& testInfo) {
        std::string s = testInfo.param.file;
        for (char& ch : s)
            if (!std::isalnum(static_cast<unsigned char>(ch)))
                ch = '_';
        return s;
    });

TEST(DetectorLayouts, HeadsAreListedAsNotLoaded)
{
    for (const char* file : {"fa_s3fd.pth", "lufficc_ssd512.pth", "mmdet_ssd512_old.pth", "keras_ssd300.h5",
                             "caffe_refinedet320.caffemodel"}) {
        SCOPED_TRACE(file);
        const auto [mapped, info] = loadWeights(fixture(file), std::nullopt);
        std::string all;
        for (const auto& w : info.warnings)
            all += w + "\n";
        const auto& ignored = manifest().at(file).at("ignored");
        ASSERT_FALSE(ignored.empty());
        // The first few are named (long lists are cut short with a count).
        for (std::size_t i = 0; i < 3 && i < ignored.size(); ++i)
            EXPECT_NE(all.find(ignored[i].get<std::string>()), std::string::npos) << ignored[i] << "\n" << all;
    }
}

TEST(DetectorLayouts, UnknownKeysAreListedNotBlocking)
{
    const auto [mapped, info] = loadWeights(fixture("fa_s3fd_extra_keys.pth"), std::nullopt);
    EXPECT_EQ(info.arch, Arch::S3fd);
    EXPECT_EQ(info.gammas.size(), 3u);
    EXPECT_TRUE(anyWarningContains(info.warnings, "2 key(s) not used: landmark_head.0.weight 68x512x1x1, "
                                                  "landmark_head.0.bias 68"));
}

TEST(DetectorLayouts, UndecidableTopologyNamesTheCandidatesAndTheOption)
{
    const std::string error = loadError("caffe_norms_noextras.caffemodel");
    EXPECT_NE(error.find(fixture("caffe_norms_noextras.caffemodel") + ": cannot tell the topology"), std::string::npos)
        << error;
    EXPECT_NE(error.find("refinedet, s3fd"), std::string::npos) << error;
    EXPECT_NE(error.find("--arch"), std::string::npos) << error;
    // Named L2Norm_a / L2Norm_b: the Normalize layers' bottoms say which tap each one normalizes.
    const auto [mapped, info] = loadWeights(fixture("caffe_norms_noextras.caffemodel"), Arch::RefineDet);
    EXPECT_EQ(info.arch, Arch::RefineDet);
    const auto& want = manifest().at("caffe_norms_noextras.caffemodel")["gammas"];
    EXPECT_EQ(info.gammas.at("conv4_3"), want["conv4_3"].get<std::vector<float>>());
    EXPECT_EQ(info.gammas.at("conv5_3"), want["conv5_3"].get<std::vector<float>>());
    EXPECT_FALSE(info.hasExtras);
}

TEST(DetectorLayouts, BrokenFilesNameTheFileAndTheProblem)
{
    const std::string truncated = loadError("caffe_s3fd_truncated.caffemodel");
    EXPECT_EQ(truncated.rfind(fixture("caffe_s3fd_truncated.caffemodel") + ": malformed or truncated Caffe model", 0),
              0u)
        << truncated;
    EXPECT_EQ(loadError("caffe_norm_channels.caffemodel"),
              fixture("caffe_norm_channels.caffemodel") +
                  ": Normalize layer conv3_3_norm (on conv3_3) has 512 scale values, but conv3_3 has 256 channels");
    EXPECT_EQ(loadError("caffe_norm_twice.caffemodel"),
              fixture("caffe_norm_twice.caffemodel") +
                  ": two Normalize layers normalize conv3_3: conv3_3_norm and conv3_3_norm_b");
    EXPECT_EQ(loadError("keras_gamma_wrong.h5"),
              fixture("keras_gamma_wrong.h5") + ": conv4_3_norm gamma (conv4_3_norm/conv4_3_norm_gamma:0): expected "
                                                "512 values (conv4_3's channels), found 256");
    const std::string cut = loadError("fa_s3fd_truncated.pth");
    EXPECT_EQ(cut.rfind(fixture("fa_s3fd_truncated.pth") + ": ", 0), 0u) << cut;
}

// A gamma of the wrong length, or for a layer the topology does not normalize, is refused with the
// layer and the key; found by changing one tensor of a real file.
TEST(DetectorLayouts, WrongGammaShapesNameTheLayerAndTheKey)
{
    RawTensors raw = readWeightFile(fixture("fa_s3fd.pth"));
    for (auto& [name, t] : raw.tensors)
        if (name == "conv5_3_norm.weight")
            t = torch::ones({256});
    try {
        mapToCanonical(raw, std::nullopt, "s3fd.pth");
        ADD_FAILURE() << "mapped";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "s3fd.pth: shape mismatch for conv5_3's L2Norm gamma: expected 512, found "
                                         "256 (key conv5_3_norm.weight)");
    }
}

} // namespace
} // namespace featscale::analysis::weights
