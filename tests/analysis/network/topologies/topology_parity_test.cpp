// SPDX-License-Identifier: GPL-3.0-or-later
// Every topology against PyTorch modules written from its published definition (make_topologies.py):
// each family's checkpoint in the layout that defines it is recognised as that topology, its
// learned L2Norm gammas land on their layers, and every tap's channel-norm map and every
// normalized layer's after-L2Norm map match on a real photo, through the Analyzer and through
// each execution path of the network (autograd, oneDNN blocked, HWC).
#include "analysis/core/topology.h"
#include "analysis/engine/analyzer.h"
#include "analysis/network/internal/vgg16.h"
#include "analysis/weights/internal/state_dict.h"
#include "tests/support/reference_arrays.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace featscale::analysis;

namespace {

using featscale::test::maxRelative;
using featscale::test::readF32;

nlohmann::json cases()
{
    std::ifstream in(std::string(FEATSCALE_TEST_DATA) + "/topologies/manifest.json");
    if (!in)
        return nlohmann::json::array();
    return nlohmann::json::parse(in).at("cases");
}

std::size_t mapSize(const nlohmann::json& tap)
{
    const auto shape = tap.at("shape");
    return shape.at(1).get<std::size_t>() * shape.at(2).get<std::size_t>();
}

std::vector<float> normsOf(const torch::Tensor& activation)
{
    const auto n = activation[0].pow(2).sum(0).sqrt().contiguous();
    return {n.data_ptr<float>(), n.data_ptr<float>() + n.numel()};
}

class Topologies : public ::testing::TestWithParam<std::string> {
protected:
    nlohmann::json find() const
    {
        for (const auto& c : cases())
            if (c.at("name") == GetParam())
                return c;
        return nullptr;
    }
};

} // namespace

TEST_P(Topologies, RecognisedWithTheFamilysLayersAndConvention)
{
    const auto c = find();
    ASSERT_FALSE(c.is_null()) << "no fixture for " << GetParam() << " (make_topologies.py did not run?)";
    AnalyzerOptions o;
    o.weightsPath = c.at("weights");
    o.size = parseSizeSpec(std::to_string(c.at("size").get<int>()));
    const Analyzer an(o);
    EXPECT_EQ(toString(an.arch()), c.at("arch"));
    EXPECT_EQ(an.weights().layout, c.at("layout"));
    EXPECT_EQ(toString(an.preset()), c.at("preset"));
    EXPECT_EQ(toString(an.eps()), c.at("eps"));
    // A checkpoint with learned L2Norm layers normalizes exactly those, with their learned gammas.
    std::vector<std::string> expected;
    for (const auto& [layer, info] : c.at("l2norm").items())
        expected.push_back(layer);
    if (expected.empty())
        expected = {"conv4_3"}; // classifiers: the ParseNet layer, at SSD's init
    EXPECT_EQ(an.l2normLayers(), expected);
    for (const auto& [layer, info] : c.at("l2norm").items()) {
        const auto g = info.at("gamma").get<std::vector<float>>();
        EXPECT_EQ(an.gamma(layer), g) << layer;
        EXPECT_EQ(an.gammaSource(layer), "learned") << layer;
        ASSERT_TRUE(an.weights().gammas.count(layer)) << layer;
        EXPECT_EQ(an.weights().gammas.at(layer), g) << layer;
    }
    if (c.at("l2norm").empty()) {
        EXPECT_EQ(an.gamma("conv4_3"), std::vector<float>(512, initialGamma(an.arch(), "conv4_3")));
    }
    for (const auto& w : an.weights().warnings)
        EXPECT_EQ(w.find("not used"), std::string::npos) << w;
}

// The whole analysis: preprocessing, every tap, and each normalized layer after L2Norm with its
// learned gamma and the family's eps.
TEST_P(Topologies, AnalyzerMatchesThePublishedDefinition)
{
    const auto c = find();
    ASSERT_FALSE(c.is_null());
    AnalyzerOptions o;
    o.weightsPath = c.at("weights");
    o.size = parseSizeSpec(std::to_string(c.at("size").get<int>()));
    o.layersAll = true;
    Analyzer an(o);
    const ImageResult r = an.analyze(c.at("image"));
    int compared = 0;
    for (const auto& [tap, info] : c.at("taps").items()) {
        const LayerResult* lr = r.find(tap);
        ASSERT_NE(lr, nullptr) << tap;
        EXPECT_EQ(lr->before.height, info.at("shape").at(1).get<int>()) << tap;
        EXPECT_EQ(lr->before.width, info.at("shape").at(2).get<int>()) << tap;
        EXPECT_LE(maxRelative(lr->before.values, readF32(info.at("file"), mapSize(info))), 1e-4) << tap;
        ++compared;
    }
    EXPECT_EQ(compared, static_cast<int>(an.availableLayers().size()));
    for (const auto& [tap, info] : c.at("l2norm").items()) {
        const LayerResult* lr = r.find(tap);
        ASSERT_NE(lr, nullptr);
        EXPECT_TRUE(lr->normalized) << tap;
        const auto ref = readF32(info.at("after"), mapSize(c.at("taps").at(tap)));
        EXPECT_LE(maxRelative(lr->after.values, ref), 1e-4) << tap << " after L2Norm";
    }
}

// The same weights through each execution path of the network on the same input.
TEST_P(Topologies, EveryExecutionPathMatches)
{
    const auto c = find();
    ASSERT_FALSE(c.is_null());
    auto [mapped, info] = weights::loadWeights(c.at("weights"), std::nullopt);
    Vgg16 model(mapped.arch, info.hasExtras, info.fc6Dilation);
    model->loadCanonical(mapped.params, c.at("weights"));
    model->eval();
    const auto shape = c.at("input_shape").get<std::vector<std::int64_t>>();
    const auto chw = readF32(c.at("input"), static_cast<std::size_t>(shape[0] * shape[1] * shape[2]));
    const auto input = torch::from_blob(const_cast<float*>(chw.data()), {1, shape[0], shape[1], shape[2]}).clone();
    const auto taps = model->tapNames();
    auto check = [&](const std::string& path, const std::map<std::string, std::vector<float>>& norms) {
        for (const auto& [tap, ref] : c.at("taps").items()) {
            if (path == "backbone" && !norms.count(tap))
                continue; // the extras
            ASSERT_TRUE(norms.count(tap)) << path << " " << tap;
            EXPECT_LE(maxRelative(norms.at(tap), readF32(ref.at("file"), mapSize(ref))), 1e-4) << path << " " << tap;
        }
    };
    {
        torch::AutoGradMode grad(true);
        std::map<std::string, std::vector<float>> norms;
        for (const auto& [tap, a] : model->forward(input, taps))
            norms[tap] = normsOf(a.detach());
        check("autograd", norms);
    }
    {
        c10::InferenceMode inference;
        std::map<std::string, std::vector<float>> norms;
        for (const auto& [tap, a] : model->forward(input, taps))
            norms[tap] = normsOf(a);
        check("blocked", norms);
        norms.clear();
        for (auto& [tap, t] : model->forwardTaps(input, taps, {}))
            norms[tap] = std::move(t.norms);
        check(model->hwcCapable() ? "hwc" : "forwardTaps", norms);
        // Without its stride-2 extras the backbone takes the HWC path (RefineDet's and the
        // PyTorch S3FD's dilated fc6, pool5 2x2) where the CPU has it.
        Vgg16 backbone(mapped.arch, /*withExtras=*/false, info.fc6Dilation);
        backbone->loadCanonical(mapped.params, c.at("weights"));
        backbone->eval();
        norms.clear();
        for (auto& [tap, t] : backbone->forwardTaps(input, backbone->tapNames(), {}))
            norms[tap] = std::move(t.norms);
        check("backbone", norms);
    }
}

INSTANTIATE_TEST_SUITE_P(Families, Topologies,
                         ::testing::Values("vgg16_bn", "ssd512", "refinedet", "s3fd", "s3fd_caffe"));
