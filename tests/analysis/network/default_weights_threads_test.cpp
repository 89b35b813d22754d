// SPDX-License-Identifier: GPL-3.0-or-later
// The seeded default weights are the same whatever else builds a model at the same time: the GUI
// builds engines for several runs at once, and each must see the weights its seed names.
#include "analysis/engine/analyzer.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace featscale::analysis;

namespace {

AnalyzerOptions tiny()
{
    AnalyzerOptions o;
    o.size = parseSizeSpec("32");
    o.layers = {"conv1_1", "conv4_3", "fc7"};
    o.threads = 1;
    return o;
}

// The before-L2Norm medians of a fixed 32x32 image, one per layer.
std::vector<double> medians(Analyzer& analyzer)
{
    std::vector<unsigned char> bgr(32 * 32 * 3);
    for (std::size_t i = 0; i < bgr.size(); ++i)
        bgr[i] = static_cast<unsigned char>((i * 37) % 251);
    const ImageResult r = analyzer.analyzeBgr("fixed", bgr.data(), 32, 32);
    std::vector<double> out;
    for (const auto& l : r.layers)
        out.push_back(l.beforeStats.p50);
    return out;
}

} // namespace

TEST(DefaultWeights, SameSeedSameWeightsWhileOtherModelsAreBuilt)
{
    Analyzer reference(tiny());
    const std::vector<double> expected = medians(reference);
    for (int round = 0; round < 3; ++round) {
        std::vector<std::vector<double>> got(3);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < got.size(); ++t)
            threads.emplace_back([&got, t] {
                Analyzer a(tiny());
                got[t] = medians(a);
            });
        for (auto& t : threads)
            t.join();
        for (const auto& g : got)
            EXPECT_EQ(g, expected) << "round " << round;
    }
}
