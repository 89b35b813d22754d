// SPDX-License-Identifier: GPL-3.0-or-later
// ParseNet's concatenation energy shares on hand-made norm maps, and the prior grids against the
// published configurations.
#include "analysis/core/topology.h"
#include "analysis/engine/analyzer.h"
#include "analysis/engine/energy_share.h"
#include "analysis/engine/prior_grid.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace featscale::analysis;

namespace {

NormMap mapOf(const std::string& layer, int h, int w, std::vector<float> values)
{
    NormMap m;
    m.layer = layer;
    m.height = h;
    m.width = w;
    m.values = std::move(values);
    return m;
}

// An 8 x 8 image: "fine" 4 x 4 (2-pixel cells), "coarse" 2 x 2 (4-pixel cells), so fine cell (y, x)
// reads coarse cell (y / 2, x / 2).
ImageResult twoLayers()
{
    ImageResult r;
    r.path = "hand.png";
    r.originalWidth = r.originalHeight = 8;
    LayerResult fine;
    fine.layer = "fine";
    fine.before = mapOf("fine", 4, 4, {3, 0, 1, 2, 4, 1, 1, 2, 0, 0, 5, 5, 1, 1, 5, 0});
    fine.normalized = true;
    fine.after = mapOf("fine", 4, 4, std::vector<float>(16, 2.0f));
    LayerResult coarse;
    coarse.layer = "coarse";
    coarse.before = mapOf("coarse", 2, 2, {4, 1, 0, 0});
    r.layers = {coarse, fine};
    return r;
}

} // namespace

TEST(ConcatEnergyShare, HandComputedShares)
{
    const ImageResult r = twoLayers();
    const EnergyShares s = concatEnergyShares(r, {"coarse", "fine"}, Stage::Before);
    EXPECT_EQ(s.finest, "fine");
    ASSERT_EQ(s.layers.size(), 2u);
    const auto& coarse = s.layers[0].shares;
    const auto& fine = s.layers[1].shares;
    // cell (0,0): 3² / (3² + 4²) = 9/25
    EXPECT_FLOAT_EQ(fine[0], 9.0f / 25);
    EXPECT_FLOAT_EQ(coarse[0], 16.0f / 25);
    // cell (0,1): fine 0, coarse 4: all the energy is the coarse layer's
    EXPECT_FLOAT_EQ(fine[1], 0);
    // cell (0,2): fine 1, coarse cell (0,1) = 1: half each
    EXPECT_FLOAT_EQ(fine[2], 0.5f);
    // cell (2,0) and (2,1): both 0: undefined, left out of the statistics
    EXPECT_TRUE(std::isnan(fine[8]) && std::isnan(coarse[8]));
    EXPECT_TRUE(std::isnan(fine[9]));
    // cell (2,2): fine 5, coarse 0
    EXPECT_FLOAT_EQ(fine[10], 1);
    for (std::size_t i = 0; i < fine.size(); ++i) {
        if (!std::isnan(fine[i])) {
            EXPECT_NEAR(fine[i] + coarse[i], 1.0, 1e-6) << "cell " << i;
        }
    }
    EXPECT_TRUE(std::isnan(fine[15])); // cell (3,3): 0 and 0
    EXPECT_EQ(s.layers[1].stats.count, 13u);
    EXPECT_EQ(s.layers[1].stats.nans, 3u);
    // fine shares, by hand: 9/25, 0, 1/2, 4/5 | 1/2, 1/17, 1/2, 4/5 | -, -, 1, 1 | 1, 1, 1, -
    const double mean = (9.0 / 25 + 0 + 0.5 + 0.8 + 0.5 + 1.0 / 17 + 0.5 + 0.8 + 1 + 1 + 1 + 1 + 1) / 13;
    EXPECT_NEAR(s.layers[1].stats.mean(), mean, 1e-6);
    EXPECT_NEAR(s.layers[1].stats.p50, 0.8, 1e-6); // the 7th of 13 sorted
}

TEST(ConcatEnergyShare, AfterUsesGammaTimesXhatForNormalizedLayers)
{
    ImageResult r = twoLayers();
    const EnergyShares s = concatEnergyShares(r, {"coarse", "fine"}, Stage::After);
    // fine after = 2 everywhere; coarse keeps x: cell (0,0) is 2² / (2² + 4²)
    EXPECT_FLOAT_EQ(s.layers[1].shares[0], 4.0f / 20);
    EXPECT_FLOAT_EQ(s.layers[1].shares[8], 1.0f);
    // γ → 0: the normalized layer's share goes to 0 wherever the other layer has energy
    r.layers[1].after.values.assign(16, 0.0f);
    const EnergyShares zero = concatEnergyShares(r, {"coarse", "fine"}, Stage::After);
    EXPECT_EQ(zero.layers[1].stats.max, 0.0);
    EXPECT_EQ(zero.layers[0].stats.min, 1.0);
    // maps that do not fit their layer are refused
    NormMap wrong = mapOf("fine", 2, 2, {1, 1, 1, 1});
    EXPECT_THROW(concatEnergyShares(r, {&r.layers[0].before, &wrong}), Error);
    EXPECT_THROW(concatEnergyShares(r, {"coarse", "conv9_9"}, Stage::Before), Error);
}

TEST(ConcatEnergyShare, DefaultGroupIsTheNormalizedLayersAndFc7)
{
    const std::vector<std::string> analysed = {"conv3_3", "conv4_3", "conv5_3", "fc7"};
    EXPECT_EQ(defaultEnergyGroup(Arch::Vgg16Reduced, analysed), (std::vector<std::string>{"conv4_3", "fc7"}));
    EXPECT_EQ(defaultEnergyGroup(Arch::RefineDet, analysed), (std::vector<std::string>{"conv4_3", "conv5_3", "fc7"}));
    EXPECT_EQ(defaultEnergyGroup(Arch::S3fd, analysed),
              (std::vector<std::string>{"conv3_3", "conv4_3", "conv5_3", "fc7"}));
    EXPECT_EQ(energyGroupName({"conv4_3", "fc7"}), "conv4_3+fc7");
}

// ssd.pytorch data/config.py (voc): feature_maps [38, 19, 10, 5, 3, 1], steps [8, 16, 32, 64, 100,
// 300], min_sizes [30, 60, 111, 162, 213, 264], max_sizes [60, 111, 162, 213, 264, 315]; its
// PriorBox puts centre (j + 0.5) / f_k, f_k = 300 / step, in units of the 300-pixel input.
TEST(PriorGrid, Ssd300MatchesThePublishedGrid)
{
    const PriorConfig* c = priorConfig(Arch::Vgg16Reduced);
    ASSERT_NE(c, nullptr);
    EXPECT_STREQ(c->name, "ssd300-voc");
    EXPECT_EQ(c->inputSize, 300);
    const int maps[] = {38, 19, 10, 5, 3, 1};
    const double steps[] = {8, 16, 32, 64, 100, 300};
    const double mins[] = {30, 60, 111, 162, 213, 264};
    const double maxs[] = {60, 111, 162, 213, 264, 315};
    const char* layers[] = {"conv4_3", "fc7", "conv8_2", "conv9_2", "conv10_2", "conv11_2"};
    ASSERT_EQ(c->layers.size(), 6u);
    for (std::size_t k = 0; k < 6; ++k) {
        const PriorLayer& l = c->layers[k];
        EXPECT_STREQ(l.layer, layers[k]);
        EXPECT_EQ(l.featureMap, maps[k]);
        EXPECT_EQ(l.step, steps[k]);
        EXPECT_EQ(l.minSize, mins[k]);
        EXPECT_EQ(l.maxSize, maxs[k]);
        const auto centres = priorCentres(l);
        ASSERT_EQ(centres.size(), static_cast<std::size_t>(maps[k] * maps[k]));
        const double fk = 300.0 / steps[k];
        for (const PriorCentre& p : centres) {
            EXPECT_NEAR(p.x, (p.j + 0.5) / fk * 300, 1e-9);
            EXPECT_NEAR(p.y, (p.i + 0.5) / fk * 300, 1e-9);
        }
    }
    EXPECT_EQ(priorCentres(c->layers[5]).front().x, 150); // the 1 x 1 map's one prior, at the centre
    EXPECT_EQ(priorCentres(c->layers[0]).back().y, 300);  // 37.5 * 8: ssd.pytorch's last conv4_3 centre
    ASSERT_NE(priorConfig(Arch::Vgg16Reduced, "ssd300-coco"), nullptr);
    EXPECT_EQ(priorConfig(Arch::Vgg16Reduced, "ssd300-coco")->layers[0].minSize, 21);
    EXPECT_EQ(priorConfig(Arch::Vgg16), nullptr);
    EXPECT_EQ(priorConfig(Arch::Ssd512)->layers.back().featureMap, 1);
    EXPECT_EQ(priorConfig(Arch::S3fd)->layers.front().step, 4);
    EXPECT_EQ(priorConfig(Arch::S3fd)->layers.back().minSize, 512);
    EXPECT_EQ(priorConfig(Arch::RefineDet, "refinedet512")->layers[0].featureMap, 64);
}

TEST(PriorGrid, PriorUnderAPixelAndInTheImage)
{
    const PriorConfig& c = *priorConfig(Arch::Vgg16Reduced);
    ImageResult r;
    r.originalWidth = 600;
    r.originalHeight = 150;
    // image pixel (100, 100) is input (50, 200): conv4_3 prior j = 6, i = 25
    const PriorCentre p = priorAt(c, c.layers[0], r, 100, 100);
    EXPECT_EQ(p.j, 6);
    EXPECT_EQ(p.i, 25);
    const ImagePoint q = priorToImage(c, r, p);
    EXPECT_DOUBLE_EQ(q.x, 52 * 2.0);
    EXPECT_DOUBLE_EQ(q.y, 204 * 0.5);
    EXPECT_EQ(priorAt(c, c.layers[0], r, -1, 0).i, -1);
}

// Live γ: the shares after L2Norm from the image's feature cache under another γ, against the
// shares of the maps the analysis itself made (the same γ) and the closed form for a scaled γ:
// ‖kγ ⊙ x̂‖ = k‖γ ⊙ x̂‖, so a share a/(a+b) becomes k²a/(k²a+b).
TEST(ConcatEnergyShare, LiveGammaFromTheFeatureCache)
{
    AnalyzerOptions o;
    o.size = parseSizeSpec("64");
    o.layers = {"conv4_3", "fc7"};
    o.threads = 1;
    Analyzer analyzer(o);
    std::vector<unsigned char> bgr(64 * 64 * 3);
    for (std::size_t i = 0; i < bgr.size(); ++i)
        bgr[i] = static_cast<unsigned char>((i * 37 + i / 192 * 11) % 251);
    const ImageResult r = analyzer.analyzeBgr("noise", bgr.data(), 64, 64);
    const std::vector<std::string> group = {"conv4_3", "fc7"};
    const EnergyShares analysed = concatEnergyShares(r, group, Stage::After);
    const std::vector<float> gamma = analyzer.gamma("conv4_3");
    const auto same = concatEnergyShares(r, group,
                                         [&](const std::string& l) { return l == "conv4_3" ? &gamma : nullptr; });
    ASSERT_EQ(same.layers[0].shares.size(), analysed.layers[0].shares.size());
    for (std::size_t i = 0; i < same.layers[0].shares.size(); ++i)
        EXPECT_NEAR(same.layers[0].shares[i], analysed.layers[0].shares[i], 1e-6);
    std::vector<float> doubled = gamma;
    for (float& g : doubled)
        g *= 2;
    const auto twice = concatEnergyShares(r, group,
                                          [&](const std::string& l) { return l == "conv4_3" ? &doubled : nullptr; });
    for (std::size_t i = 0; i < twice.layers[0].shares.size(); ++i) {
        const double a = analysed.layers[0].shares[i], b = analysed.layers[1].shares[i];
        EXPECT_NEAR(twice.layers[0].shares[i], 4 * a / (4 * a + b), 1e-5) << "cell " << i;
    }
    const std::vector<float> zero(gamma.size(), 0.0f);
    const auto none = concatEnergyShares(r, group,
                                         [&](const std::string& l) { return l == "conv4_3" ? &zero : nullptr; });
    EXPECT_EQ(none.layers[0].stats.max, 0.0);
    EXPECT_EQ(none.layers[1].stats.min, 1.0);
}
