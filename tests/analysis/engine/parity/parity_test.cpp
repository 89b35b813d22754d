// SPDX-License-Identifier: GPL-3.0-or-later
// featscale's per-layer channel-norm maps against torchvision's on real photos, same weights.
// References come from make_reference.py (torchvision modules, run by Debian's python3-torch).
#include "analysis/engine/analyzer.h"
#include "analysis/stats/layer_stats.h"
#include "tests/support/reference_arrays.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>

using namespace featscale::analysis;

namespace {

using featscale::test::maxRelative;
using featscale::test::readF32;

nlohmann::json manifest()
{
    std::ifstream in(std::string(FEATSCALE_TEST_DATA) + "/parity/manifest.json");
    if (!in)
        return nullptr;
    return nlohmann::json::parse(in);
}

} // namespace

TEST(TorchvisionParity, NormMapsMatchTorchvisionOnPhotos)
{
    const auto m = manifest();
    ASSERT_FALSE(m.is_null()) << "reference fixtures missing: the parity_fixtures test must run first";
    ASSERT_GE(m.at("cases").size(), 3u);
    int compared = 0;
    double worstMedian = 0;
    std::map<std::string, std::unique_ptr<Analyzer>> analyzers;
    for (const auto& c : m.at("cases")) {
        const std::string arch = c.at("arch"), preset = c.at("preset"), size = c.at("size");
        const std::string key = arch + preset + size;
        if (!analyzers.count(key)) {
            AnalyzerOptions o;
            o.arch = parseArch(arch);
            o.archFromWeights = false;
            o.weightsPath = c.at("weights");
            o.preset = parsePreset(preset);
            o.size = parseSizeSpec(size);
            o.layersAll = true;
            o.eps = EpsMode::Torchvision;
            analyzers[key] = std::make_unique<Analyzer>(o);
            EXPECT_FALSE(analyzers[key]->weights().untrained);
        }
        Analyzer& an = *analyzers[key];
        const ImageResult r = an.analyze(c.at("image"));
        for (const auto& [name, info] : c.at("layers").items()) {
            const bool after = name == "conv4_3_l2norm";
            const LayerResult* lr = r.find(after ? "conv4_3" : name);
            ASSERT_NE(lr, nullptr) << name;
            const NormMap& map = after ? lr->after : lr->before;
            ASSERT_EQ(map.height, info.at("height").get<int>()) << key << " " << name;
            ASSERT_EQ(map.width, info.at("width").get<int>()) << key << " " << name;
            const auto ref = readF32(info.at("file"), map.values.size());
            const double rel = maxRelative(map.values, ref);
            EXPECT_LE(rel, 1e-4) << key << " " << c.at("image").get<std::string>() << " " << name;
            // what a user compares: the layer's median, featscale's against torchvision's
            const double median = LayerStats::of(map.values).p50, refMedian = LayerStats::of(ref).p50;
            worstMedian = std::max(worstMedian, std::fabs(median - refMedian) / std::max(std::fabs(refMedian), 1e-30));
            EXPECT_LE(std::fabs(median - refMedian), 1e-3 * std::fabs(refMedian))
                << key << " " << c.at("image").get<std::string>() << " " << name << " median";
            ++compared;
        }
    }
    EXPECT_GT(compared, 100);
    std::cout << compared << " maps compared; largest relative median difference " << worstMedian << "\n";
}

TEST(TorchvisionParity, LearnedGammaComesFromTheWeights)
{
    const auto m = manifest();
    ASSERT_FALSE(m.is_null());
    for (const auto& c : m.at("cases")) {
        if (c.at("arch") != "vgg16-reduced")
            continue;
        AnalyzerOptions o;
        o.weightsPath = c.at("weights");
        Analyzer an(o);
        EXPECT_EQ(an.arch(), Arch::Vgg16Reduced);
        EXPECT_TRUE(an.weights().gammas.count("conv4_3"));
        const auto& g = an.gamma("conv4_3");
        ASSERT_EQ(g.size(), 512u);
        // make_reference.py wrote torch.linspace(5, 30, 512)
        EXPECT_NEAR(g.front(), 5.0f, 1e-6);
        EXPECT_NEAR(g.back(), 30.0f, 1e-5);
        EXPECT_NEAR(g[256], 5.0f + 25.0f * 256.0f / 511.0f, 1e-4);
        return;
    }
    FAIL() << "no reduced case in manifest";
}
