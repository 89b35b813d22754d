// SPDX-License-Identifier: GPL-3.0-or-later
// key(AnalyzerOptions): equal options give equal keys, and a change of any one field, listed here
// by hand, gives a key of its own.
#include "analysis/engine/analyzer.h"
#include "analysis/engine/options_key.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace featscale::analysis;

namespace {

AnalyzerOptions base()
{
    AnalyzerOptions o;
    o.weightsPath = "/weights/ssd300.pth";
    o.layers = {"conv4_3", "fc7"};
    o.gamma = {20.f};
    o.gammas = {{"conv4_3", {20.f, 21.f}}};
    return o;
}

} // namespace

TEST(AnalyzerOptionsKey, EqualOptionsGiveEqualKeys)
{
    EXPECT_EQ(key(base()), key(base()));
    EXPECT_EQ(key(AnalyzerOptions{}), key(AnalyzerOptions{}));
}

TEST(AnalyzerOptionsKey, EveryFieldChangesTheKey)
{
    // One entry per field of AnalyzerOptions (and of its SizeSpec and BinScheme).
    const std::vector<std::pair<std::string, std::function<void(AnalyzerOptions&)>>> changes = {
        {"arch", [](AnalyzerOptions& o) { o.arch = Arch::Vgg16; }},
        {"archFromWeights", [](AnalyzerOptions& o) { o.archFromWeights = false; }},
        {"weightsPath", [](AnalyzerOptions& o) { o.weightsPath = "/weights/vgg16.pth"; }},
        {"weightsPath empty", [](AnalyzerOptions& o) { o.weightsPath.clear(); }},
        {"seed", [](AnalyzerOptions& o) { o.seed = 1; }},
        {"preset", [](AnalyzerOptions& o) { o.preset = Preset::Torchvision; }},
        {"size.mode", [](AnalyzerOptions& o) { o.size.mode = SizeSpec::Mode::ShorterSide; }},
        {"size.value", [](AnalyzerOptions& o) { o.size.value = 512; }},
        {"size.maxPixels", [](AnalyzerOptions& o) { o.size.maxPixels = 1024LL * 1024; }},
        {"layers",
         [](AnalyzerOptions& o) {
             o.layers = {"conv4_3", "conv5_3", "fc7"};
         }},
        {"layers order",
         [](AnalyzerOptions& o) {
             o.layers = {"fc7", "conv4_3"};
         }},
        {"layersAll", [](AnalyzerOptions& o) { o.layersAll = true; }},
        {"l2normLayers empty", [](AnalyzerOptions& o) { o.l2normLayers.emplace(); }},
        {"l2normLayers", [](AnalyzerOptions& o) { o.l2normLayers = std::vector<std::string>{"conv4_3"}; }},
        {"eps", [](AnalyzerOptions& o) { o.eps = EpsMode::Caffe; }},
        {"gamma", [](AnalyzerOptions& o) { o.gamma = {10.f}; }},
        {"gamma in the last place", [](AnalyzerOptions& o) { o.gamma = {20.000002f}; }},
        {"gamma empty", [](AnalyzerOptions& o) { o.gamma.clear(); }},
        {"gammas value", [](AnalyzerOptions& o) { o.gammas["conv4_3"][1] = 22.f; }},
        {"gammas layer", [](AnalyzerOptions& o) { o.gammas["fc7"] = {8.f}; }},
        {"gammas empty", [](AnalyzerOptions& o) { o.gammas.clear(); }},
        {"bins.kind", [](AnalyzerOptions& o) { o.bins.kind = BinScheme::Kind::Linear; }},
        {"bins.lo", [](AnalyzerOptions& o) { o.bins.lo = 1e-2; }},
        {"bins.hi", [](AnalyzerOptions& o) { o.bins.hi = 1e5; }},
        {"bins.binsPerDecade", [](AnalyzerOptions& o) { o.bins.binsPerDecade = 10; }},
        {"threads", [](AnalyzerOptions& o) { o.threads = 2; }},
        {"keepActivations", [](AnalyzerOptions& o) { o.keepActivations = true; }},
    };
    std::map<std::string, std::string> seen = {{key(base()), "the base options"}};
    for (const auto& [field, change] : changes) {
        AnalyzerOptions o = base();
        change(o);
        const std::string k = key(o);
        const auto [it, fresh] = seen.emplace(k, field);
        EXPECT_TRUE(fresh) << field << " gives the key of " << it->second << ": " << k;
    }

    // bins.bins counts only for linear schemes
    AnalyzerOptions linear = base();
    linear.bins.kind = BinScheme::Kind::Linear;
    AnalyzerOptions moreBins = linear;
    moreBins.bins.bins = 50;
    EXPECT_NE(key(linear), key(moreBins));
}

TEST(AnalyzerOptionsKey, APathCannotPassForOtherFields)
{
    AnalyzerOptions a = base(), b = base();
    a.weightsPath = "x;1";
    a.seed = 0;
    b.weightsPath = "x";
    b.seed = 1;
    EXPECT_NE(key(a), key(b));
}
