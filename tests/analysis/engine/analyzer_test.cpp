// SPDX-License-Identifier: GPL-3.0-or-later
// The engine end to end on default weights: shapes, norm maps vs raw activations, L2Norm
// after-statistics, gamma updates without a re-run, cancel, untrained labelling.
#include "analysis/engine/analyzer.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/untrained.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace featscale::analysis;

namespace {

const std::string kSample = std::string(FEATSCALE_SAMPLES) + "/chelsea.jpg";

AnalyzerOptions small(Arch arch, int size)
{
    AnalyzerOptions o;
    o.arch = arch;
    o.archFromWeights = false;
    o.size.value = size;
    o.layersAll = true;
    o.keepActivations = true;
    return o;
}

} // namespace

TEST(Analyzer, DefaultWeightsAreLabelledUntrained)
{
    Analyzer a(small(Arch::Vgg16Reduced, 64));
    EXPECT_TRUE(a.weights().untrained);
    EXPECT_EQ(a.weights().summary(), untrainedSentence(0) + "; vgg16-reduced");
    EXPECT_EQ(a.weights().format, "builtin");
    EXPECT_GT(a.weights().parameterCount, 20'000'000);
}

TEST(Analyzer, UntrainedSentenceNamesTheSeed)
{
    EXPECT_EQ(untrainedSentence(7),
              "UNTRAINED weights: featscale's seeded random initialisation, not learned VGG16 weights (seed 7)");
    EXPECT_EQ(untrainedSentence(18446744073709551615ull).substr(std::string(kUntrainedSentence).size()),
              " (seed 18446744073709551615)");
    AnalyzerOptions o = small(Arch::Vgg16Reduced, 64);
    o.seed = 42;
    EXPECT_EQ(Analyzer(o).weights().summary(), untrainedSentence(42) + "; vgg16-reduced");
}

TEST(Analyzer, SpatialSizesFollowTheTopology)
{
    Analyzer reduced(small(Arch::Vgg16Reduced, 300));
    const auto r = reduced.analyze(kSample);
    EXPECT_EQ(r.find("conv4_3")->before.height, 38); // pool3 ceil mode, as SSD300
    EXPECT_EQ(r.find("conv5_3")->before.width, 19);
    EXPECT_EQ(r.find("fc7")->before.height, 19); // pool5 3x3 s1 keeps 19
    EXPECT_EQ(r.find("fc7")->channels, 1024);

    Analyzer vgg(small(Arch::Vgg16, 300));
    const auto v = vgg.analyze(kSample);
    EXPECT_EQ(v.find("conv4_3")->before.height, 37);
    EXPECT_EQ(v.find("pool5")->before.height, 9);
    EXPECT_EQ(v.find("fc6")->before.height, 3); // 7x7 window slid over 9x9
    EXPECT_EQ(v.find("fc7")->channels, 4096);
}

TEST(Analyzer, NormMapIsChannelL2NormOfTheActivation)
{
    Analyzer a(small(Arch::Vgg16Reduced, 96));
    const auto r = a.analyze(kSample);
    for (const auto& name : {"conv1_1", "conv4_3", "fc7"}) {
        const LayerResult* lr = r.find(name);
        ASSERT_NE(lr, nullptr);
        for (int y = 0; y < lr->before.height; y += 3)
            for (int x = 0; x < lr->before.width; x += 5) {
                const auto v = r.cache->activationAt(name, y, x);
                ASSERT_EQ(static_cast<int>(v.size()), lr->channels);
                double s = 0;
                for (float f : v)
                    s += static_cast<double>(f) * f;
                EXPECT_NEAR(lr->before.at(y, x), std::sqrt(s), 1e-4 * std::max(1.0, std::sqrt(s)));
            }
        EXPECT_EQ(lr->beforeStats.count, static_cast<std::uint64_t>(lr->before.height * lr->before.width));
        EXPECT_EQ(lr->beforeHist.total(), lr->beforeStats.count + lr->beforeStats.nans);
    }
}

TEST(Analyzer, UniformGammaGivesThatNormAfterL2Norm)
{
    auto o = small(Arch::Vgg16Reduced, 128);
    o.layersAll = false;
    o.layers = {"conv4_3", "fc7"};
    o.gamma = {7.5f};
    Analyzer a(o);
    const auto r = a.analyze(kSample);
    const LayerResult* c = r.find("conv4_3");
    ASSERT_TRUE(c->normalized);
    EXPECT_FALSE(r.find("fc7")->normalized);
    for (std::size_t i = 0; i < c->after.values.size(); ++i) {
        if (c->before.values[i] == 0.f) {
            EXPECT_EQ(c->after.values[i], 0.f); // caffe eps: zero stays zero
        } else {
            EXPECT_NEAR(c->after.values[i], 7.5f, 1e-4);
        }
    }
    // the median is gamma when most locations are non-zero; the sample guarantees that here
    ASSERT_LT(c->beforeStats.zeros * 2, c->beforeStats.count) << "test image has mostly dead conv4_3 locations";
    EXPECT_NEAR(c->afterStats.p50, 7.5, 1e-4);
}

// Untrained RefineDet: its two L2Norm layers at the family's initial gammas (10, 8), each
// overridable on its own (gammas) or all at once (gamma), and each layer's after-norm is its gamma.
TEST(Analyzer, EveryNormalizedLayerHasItsOwnGamma)
{
    auto o = small(Arch::RefineDet, 128);
    o.layersAll = false;
    o.layers = {"conv4_3"};
    {
        Analyzer a(o);
        EXPECT_EQ(a.l2normLayers(), (std::vector<std::string>{"conv4_3", "conv5_3"}));
        EXPECT_EQ(a.eps(), EpsMode::Caffe);
        EXPECT_EQ(a.gamma("conv4_3"), std::vector<float>(512, 10.0f));
        EXPECT_EQ(a.gamma("conv5_3"), std::vector<float>(512, 8.0f));
        EXPECT_EQ(a.gammaSource("conv5_3"), "init");
        EXPECT_THROW(a.gamma("fc7"), Error);
    }
    o.gamma = {7.0f};
    o.gammas = {{"conv5_3", {3.0f}}};
    o.eps = EpsMode::SsdPytorch;
    Analyzer a(o);
    EXPECT_EQ(a.eps(), EpsMode::SsdPytorch);
    EXPECT_EQ(a.gamma("conv4_3"), std::vector<float>(512, 7.0f));
    EXPECT_EQ(a.gamma("conv5_3"), std::vector<float>(512, 3.0f));
    EXPECT_EQ(a.gammaSource("conv5_3"), "given");
    const auto r = a.analyze(kSample);
    for (const auto& [layer, g] : {std::pair{"conv4_3", 7.0}, std::pair{"conv5_3", 3.0}}) {
        const LayerResult* l = r.find(layer);
        ASSERT_TRUE(l && l->normalized) << layer;
        EXPECT_NEAR(l->afterStats.p50, g, 1e-4) << layer;
    }
    o.l2normLayers = std::vector<std::string>{}; // none
    // A per-layer gamma for a layer that gets no L2Norm is refused, not silently dropped.
    EXPECT_THROW(Analyzer{o}, Error);
    o.gammas.clear();
    EXPECT_TRUE(Analyzer(o).l2normLayers().empty());
}

TEST(Analyzer, NewGammaRecomputesAfterStatsFromTheCache)
{
    auto o = small(Arch::Vgg16Reduced, 128);
    Analyzer a(o);
    const auto r = a.analyze(kSample);
    std::vector<float> gamma(512);
    for (int c = 0; c < 512; ++c)
        gamma[static_cast<std::size_t>(c)] = 1.0f + static_cast<float>(c % 17);
    const AfterResult after = r.cache->after("conv4_3", gamma, o.bins);
    const LayerResult* lr = r.find("conv4_3");
    ASSERT_EQ(after.after.values.size(), lr->before.values.size());
    for (int y = 0; y < lr->before.height; y += 2)
        for (int x = 0; x < lr->before.width; x += 3) {
            const auto xhat = r.cache->normalizedAt("conv4_3", y, x);
            const auto act = r.cache->activationAt("conv4_3", y, x);
            double norm2 = 0, s = 0;
            for (float v : act)
                norm2 += static_cast<double>(v) * v;
            for (int c = 0; c < 512; ++c) {
                // x̂ recomputed here from the raw activation with Caffe's eps
                const double xh = act[static_cast<std::size_t>(c)] / std::sqrt(norm2 + 1e-10);
                EXPECT_NEAR(xhat[static_cast<std::size_t>(c)], xh, 1e-5);
                s += std::pow(gamma[static_cast<std::size_t>(c)] * xh, 2);
            }
            EXPECT_NEAR(after.after.at(y, x), std::sqrt(s), 1e-4 * std::max(1.0, std::sqrt(s)));
        }
    EXPECT_THROW(r.cache->after("conv4_3", std::vector<float>(3, 1.f), o.bins), Error);
    EXPECT_THROW(r.cache->after("fc7", gamma, o.bins), Error);
}

TEST(Analyzer, NaiveEpsTurnsZeroVectorsIntoCountedNans)
{
    // Left half exactly the Caffe mean colour: the network input there is 0 and, with zero biases
    // in the default weights, conv3_3 is an all-zero vector away from the textured right half.
    const int w = 128, h = 128;
    std::vector<unsigned char> bgr(static_cast<std::size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            unsigned char* p = &bgr[(static_cast<std::size_t>(y) * w + x) * 3];
            if (x < w / 2) {
                p[0] = 104, p[1] = 117, p[2] = 123;
            } else {
                p[0] = static_cast<unsigned char>(x * 7), p[1] = static_cast<unsigned char>(y * 5), p[2] = 200;
            }
        }
    auto o = small(Arch::Vgg16Reduced, 128);
    o.layersAll = false;
    o.layers = {"conv3_3"};
    o.l2normLayers = {"conv3_3"};
    o.preset = Preset::Caffe;
    for (EpsMode mode : {EpsMode::Naive, EpsMode::Caffe}) {
        o.eps = mode;
        Analyzer a(o);
        const auto r = a.analyzeBgr("half-mean", bgr.data(), w, h);
        const LayerResult* lr = r.find("conv3_3");
        ASSERT_TRUE(lr->normalized);
        ASSERT_GT(lr->beforeStats.zeros, 200u); // the case under test really occurs
        if (mode == EpsMode::Naive) {
            EXPECT_EQ(lr->afterStats.nans, lr->beforeStats.zeros);
            EXPECT_EQ(lr->afterHist.nan, lr->beforeStats.zeros);
            EXPECT_EQ(lr->afterStats.count + lr->afterStats.nans, lr->beforeStats.count);
        } else {
            EXPECT_EQ(lr->afterStats.nans, 0u);
            EXPECT_EQ(lr->afterStats.zeros, lr->beforeStats.zeros);
        }
    }
}

TEST(Analyzer, ProgressCanCancel)
{
    Analyzer a(small(Arch::Vgg16Reduced, 64));
    int calls = 0;
    EXPECT_THROW(a.analyze(kSample, [&](int, int) { return ++calls < 3; }), Cancelled);
    EXPECT_EQ(calls, 3);
    EXPECT_NO_THROW(a.analyze(kSample)); // still usable
}

TEST(Analyzer, BadInputsAndOptions)
{
    Analyzer ok(small(Arch::Vgg16Reduced, 64));
    EXPECT_THROW(ok.analyze("/nonexistent/x.jpg"), Error);
    auto o = small(Arch::Vgg16Reduced, 64);
    o.layersAll = false;
    o.layers = {"conv4_4"};
    EXPECT_THROW(Analyzer{o}, Error);
    o.layers = {"conv4_3"};
    o.gamma = std::vector<float>(100, 1.f);
    EXPECT_THROW(Analyzer{o}, Error);
    AnalyzerOptions w;
    w.weightsPath = "/nonexistent/weights.pth";
    try {
        Analyzer bad(w);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/weights.pth"), std::string::npos);
    }
}

TEST(Analyzer, DefaultWeightsAreDeterministic)
{
    Analyzer a(small(Arch::Vgg16Reduced, 64)), b(small(Arch::Vgg16Reduced, 64));
    const auto ra = a.analyze(kSample), rb = b.analyze(kSample);
    EXPECT_EQ(ra.find("fc7")->before.values, rb.find("fc7")->before.values);
    auto o = small(Arch::Vgg16Reduced, 64);
    o.seed = 9;
    Analyzer c(o);
    EXPECT_NE(c.analyze(kSample).find("fc7")->before.values, ra.find("fc7")->before.values);
}
