// SPDX-License-Identifier: GPL-3.0-or-later
// Vgg16's inference path (oneDNN blocked layout, packed weights, vgg16's fc6/fc7 as a matrix
// product) against its op-by-op path through LibTorch's own modules with autograd on, on random
// weights and inputs: both topologies, the SSD extras, sizes that exercise ceil-mode pooling,
// torchvision's adaptive pool before fc6 and several fc6 positions. The torchvision parity test
// checks the same path against Python on photos; this one covers the shapes photos do not.
#include "analysis/vgg16.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

using namespace featscale::analysis;

namespace {

double maxRelative(const torch::Tensor& a, const torch::Tensor& ref)
{
    const double scale = std::max(ref.abs().max().item<double>(), 1e-30);
    return (a - ref).abs().max().item<double>() / scale;
}

void expectSameTaps(Vgg16& model, int size, const std::vector<std::string>& taps, const std::string& what)
{
    torch::manual_seed(size);
    const auto x = torch::randn({1, 3, size, size}) * 50;
    std::map<std::string, torch::Tensor> fast;
    {
        c10::InferenceMode inference;
        fast = model->forward(x, taps);
    }
    const auto reference = model->forward(x, taps); // autograd on: the op-by-op modules
    ASSERT_EQ(fast.size(), taps.size()) << what;
    for (const auto& name : taps) {
        const auto ref = reference.at(name).detach();
        const auto& f = fast.at(name);
        ASSERT_FALSE(f.is_mkldnn()) << what << " " << name << ": taps must come back dense";
        ASSERT_EQ(f.sizes(), ref.sizes()) << what << " " << name;
        EXPECT_LE(maxRelative(f, ref), 1e-4) << what << " " << size << " " << name;
        // the statistics read channel norms: check them too, at the scale of the map
        EXPECT_LE(maxRelative(f[0].square().sum(0).sqrt(), ref[0].square().sum(0).sqrt()), 1e-4)
            << what << " " << size << " " << name;
        EXPECT_GT(ref.abs().max().item<double>(), 0) << what << " " << name << ": an all-zero tap proves nothing";
    }
}

} // namespace

TEST(Vgg16InferencePath, MatchesOpByOpModulesForBothTopologies)
{
    for (const Arch arch : {Arch::Vgg16, Arch::Vgg16Reduced}) {
        Vgg16 model(arch, /*withExtras=*/false);
        model->initDefault(/*seed=*/9);
        model->eval();
        // 67: ceil-mode pool3 on an odd map and (vgg16) the adaptive 7x7 pool before fc6;
        // 260: pool5 is 8x8, so vgg16's fc6 has 2x2 positions
        for (const int size : {67, 260})
            expectSameTaps(model, size, model->tapNames(), toString(arch));
    }
}

TEST(Vgg16InferencePath, MatchesOpByOpModulesWithSsdExtras)
{
    Vgg16 model(Arch::Vgg16Reduced, /*withExtras=*/true);
    model->initDefault(/*seed=*/4);
    model->eval();
    // 300 px: conv11_2 is 1x1, the smallest map SSD's extras produce
    expectSameTaps(model, 300, {"conv4_3", "fc7", "conv8_2", "conv9_2", "conv10_2", "conv11_2"}, "extras");
}

TEST(Vgg16InferencePath, ReturnsOnlyRequestedTapsAndFollowsNewWeights)
{
    Vgg16 model(Arch::Vgg16, /*withExtras=*/false);
    model->initDefault(/*seed=*/1);
    model->eval();
    const auto x = torch::randn({1, 3, 224, 224});
    auto run = [&](const std::vector<std::string>& taps) {
        c10::InferenceMode inference;
        return model->forward(x, taps);
    };
    const auto first = run({"pool1", "fc7"});
    ASSERT_EQ(first.size(), 2u);
    EXPECT_TRUE(first.count("pool1") && first.count("fc7"));
    // packed weights are rebuilt when the weights change
    model->initDefault(/*seed=*/2);
    const auto second = run({"pool1"});
    const auto reference = model->forward(x, {"pool1"}).at("pool1").detach();
    EXPECT_LE(maxRelative(second.at("pool1"), reference), 1e-4);
    EXPECT_FALSE(torch::allclose(first.at("pool1"), second.at("pool1")));
}

TEST(Vgg16InferencePath, CancelsBetweenLayers)
{
    Vgg16 model(Arch::Vgg16Reduced, /*withExtras=*/false);
    model->initDefault(/*seed=*/1);
    model->eval();
    const auto x = torch::randn({1, 3, 64, 64});
    c10::InferenceMode inference;
    int polls = 0;
    EXPECT_THROW(model->forward(x, {"fc7"}, [&] { return ++polls < 3; }), Cancelled);
    EXPECT_EQ(polls, 3);
}
