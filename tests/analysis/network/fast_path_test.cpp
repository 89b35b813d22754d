// SPDX-License-Identifier: GPL-3.0-or-later
// Vgg16's inference paths against its op-by-op path through LibTorch's own modules with
// autograd on, on random weights and inputs: the oneDNN blocked-layout path (forward) and the
// Winograd/HWC path (forwardTaps), both topologies, the SSD extras, sizes that exercise ceil-mode
// pooling, torchvision's adaptive pool before fc6 and several fc6 positions; and the Winograd
// convolution and HWC max pooling alone against LibTorch's conv2d and max_pool2d. The
// torchvision parity test checks the Analyzer's path against Python on photos; this one covers
// the shapes photos do not.
#include "analysis/network/internal/hwc_ops.h"
#include "analysis/network/internal/vgg16.h"
#include "analysis/network/internal/winograd_conv.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

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
    for (const Arch arch : {Arch::Vgg16, Arch::Vgg16Reduced, Arch::Vgg16Bn, Arch::RefineDet, Arch::S3fd}) {
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
    // SSD512's conv12_2 (4x4 kernel) down to 1x1 at 320 px; RefineDet's and S3FD's stride-2 extras
    for (const Arch arch : {Arch::Ssd512, Arch::RefineDet, Arch::S3fd}) {
        Vgg16 detector(arch, /*withExtras=*/true);
        detector->initDefault(/*seed=*/5);
        detector->eval();
        expectSameTaps(detector, 320, detector->tapNames(), toString(arch) + " extras");
    }
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

namespace {

torch::Tensor toHwc(const torch::Tensor& nchw, int paddedChannels)
{
    auto hwc = nchw[0].permute({1, 2, 0}).contiguous();
    if (paddedChannels > hwc.size(2))
        hwc = torch::cat({hwc, torch::zeros({hwc.size(0), hwc.size(1), paddedChannels - hwc.size(2)})}, 2);
    return hwc.contiguous();
}

} // namespace

class WinogradTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!WinogradConv3x3::supported())
            GTEST_SKIP() << "CPU without AVX2/FMA: forwardTaps uses the oneDNN path here";
    }
};

TEST_F(WinogradTest, ConvolutionMatchesTorchConv2dWithBiasAndRelu)
{
    torch::NoGradGuard noGrad;
    torch::manual_seed(3);
    struct Case {
        int in, out, h, w, dilation;
    };
    // sizes not multiples of the 4x4 tile, a single pixel, the first layer's 3 channels, SSD's
    // dilated fc6 on a 19x19 map, an input large enough to be processed in several strips; and
    // input depths past one 256-channel pass of the matrix kernel (its accumulation across
    // passes): VGG16's 512, 300 and 261 (not multiples of 8: zero-padded to 304 and 264, the
    // last pass 48 and 8 deep), also dilated
    for (const Case c :
         {Case{3, 64, 13, 9, 1}, Case{8, 32, 1, 1, 1}, Case{64, 16, 5, 7, 1}, Case{16, 48, 38, 38, 1},
          Case{24, 16, 19, 19, 6}, Case{8, 16, 4, 30, 6}, Case{64, 64, 150, 150, 1}, Case{512, 512, 19, 19, 1},
          Case{512, 32, 10, 10, 6}, Case{300, 48, 11, 13, 1}, Case{261, 16, 9, 6, 1}, Case{13, 16, 7, 5, 1}}) {
        const auto x = torch::randn({1, c.in, c.h, c.w});
        const auto w = torch::randn({c.out, c.in, 3, 3}) / std::sqrt(9.0 * c.in);
        const auto b = torch::randn({c.out});
        const auto ref = torch::relu(torch::conv2d(x, w, b, 1, c.dilation, c.dilation));
        WinogradConv3x3 conv(w.contiguous().data_ptr<float>(), b.data_ptr<float>(), c.out, c.in, c.dilation);
        const auto in = toHwc(x, conv.inChannelsPadded());
        auto out = torch::full({c.h, c.w, c.out}, std::numeric_limits<float>::quiet_NaN());
        auto norms = torch::full({c.h, c.w}, -1.f);
        ConvWorkspace ws;
        conv.run(in.data_ptr<float>(), c.h, c.w, out.data_ptr<float>(), norms.data_ptr<float>(), ws);
        const auto refHwc = ref[0].permute({1, 2, 0});
        EXPECT_LE(maxRelative(out, refHwc), 2e-5)
            << c.in << "->" << c.out << " " << c.h << "x" << c.w << " d" << c.dilation;
        EXPECT_LE(maxRelative(norms, refHwc.square().sum(2).sqrt()), 2e-5) << c.h << "x" << c.w;
        // the same workspace again (buffers reused, now larger than needed) gives the same result
        auto again = torch::empty_like(out);
        conv.run(in.data_ptr<float>(), c.h, c.w, again.data_ptr<float>(), nullptr, ws);
        EXPECT_TRUE(torch::equal(again, out));
    }
}

TEST_F(WinogradTest, MaxPoolMatchesTorchIncludingCeilModeAndNan)
{
    torch::NoGradGuard noGrad;
    torch::manual_seed(5);
    struct Case {
        int h, w, k, s, p;
        bool ceil;
    };
    for (const Case c : {Case{75, 75, 2, 2, 0, true}, Case{75, 74, 2, 2, 0, false}, Case{19, 19, 3, 1, 1, false},
                         Case{1, 1, 2, 2, 0, true}, Case{9, 5, 3, 1, 1, false}}) {
        auto x = torch::randn({1, 16, c.h, c.w});
        x[0][3][0][0] = std::numeric_limits<float>::quiet_NaN();
        const auto ref = torch::max_pool2d(x, c.k, c.s, c.p, 1, c.ceil);
        const int oh = poolOutputSize(c.h, c.k, c.s, c.p, c.ceil), ow = poolOutputSize(c.w, c.k, c.s, c.p, c.ceil);
        ASSERT_EQ(oh, ref.size(2));
        ASSERT_EQ(ow, ref.size(3));
        const auto in = toHwc(x, 16);
        auto out = torch::empty({oh, ow, 16});
        auto norms = torch::empty({oh, ow});
        maxPoolHwc(in.data_ptr<float>(), c.h, c.w, 16, c.k, c.s, c.p, c.ceil, out.data_ptr<float>(),
                   norms.data_ptr<float>());
        const auto refHwc = ref[0].permute({1, 2, 0});
        EXPECT_TRUE(torch::equal(torch::isnan(out), torch::isnan(refHwc)));
        EXPECT_TRUE(torch::equal(torch::nan_to_num(out), torch::nan_to_num(refHwc))) << c.h << "x" << c.w;
        EXPECT_LE(maxRelative(torch::nan_to_num(norms), torch::nan_to_num(refHwc.square().sum(2).sqrt())), 1e-6);
    }
}

TEST_F(WinogradTest, ForwardTapsMatchesOpByOpForBothTopologies)
{
    // S3FD's Caffe fc6 (pad 3, no dilation) is not a "same" convolution: that model declines the
    // HWC path, and forwardTaps must still be right.
    for (const Arch arch : {Arch::Vgg16, Arch::Vgg16Reduced, Arch::Vgg16Bn, Arch::RefineDet, Arch::S3fd}) {
        Vgg16 model(arch, /*withExtras=*/false);
        EXPECT_EQ(model->hwcCapable(), arch != Arch::S3fd) << toString(arch);
        model->initDefault(/*seed=*/9);
        model->eval();
        const auto taps = model->tapNames();
        for (const int size : {67, 260}) {
            torch::manual_seed(size);
            const auto x = torch::randn({1, 3, size, size}) * 50;
            std::map<std::string, TapOutput> fast;
            for (int pass = 0; pass < 2; ++pass) { // the second pass reuses the first one's buffers
                c10::InferenceMode inference;
                fast = model->forwardTaps(x, taps, {"conv4_3", "fc7", "pool1"});
            }
            const auto reference = model->forward(x, taps); // autograd on: the op-by-op modules
            ASSERT_EQ(fast.size(), taps.size());
            for (const auto& name : taps) {
                const auto ref = reference.at(name).detach();
                const auto& f = fast.at(name);
                ASSERT_EQ(f.channels, ref.size(1)) << name;
                ASSERT_EQ(f.height, ref.size(2)) << name;
                ASSERT_EQ(f.width, ref.size(3)) << name;
                const auto refNorms = ref[0].square().sum(0).sqrt();
                const auto norms = torch::from_blob(const_cast<float*>(f.norms.data()), {f.height, f.width});
                EXPECT_LE(maxRelative(norms, refNorms), 1e-4) << toString(arch) << " " << size << " " << name;
                const bool withActivation = name == "conv4_3" || name == "fc7" || name == "pool1";
                EXPECT_EQ(f.activation.defined(), withActivation) << name;
                if (withActivation) {
                    EXPECT_LE(maxRelative(f.activation, ref), 1e-4) << name;
                }
            }
        }
    }
}

// Every path walks Vgg16Impl::net(): its taps, in order, must be the catalog's, and the parameters
// it registers must be the canonical ones weight files are mapped onto (names and shapes).
TEST(Vgg16Net, TapsAndParametersAreTheCatalogsAndTheCanonicalTable)
{
    for (const auto& [arch, extras] :
         {std::pair{Arch::Vgg16, false}, std::pair{Arch::Vgg16Reduced, false}, std::pair{Arch::Vgg16Reduced, true},
          std::pair{Arch::Vgg16Bn, false}, std::pair{Arch::Ssd512, true}, std::pair{Arch::Ssd512, false},
          std::pair{Arch::RefineDet, true}, std::pair{Arch::RefineDet, false}, std::pair{Arch::S3fd, true},
          std::pair{Arch::S3fd, false}}) {
        Vgg16 model(arch, extras);
        std::vector<std::string> taps;
        for (const NetOp& op : model->net())
            if (!op.tap.empty())
                taps.push_back(op.tap);
        std::vector<std::string> catalog;
        for (const TapInfo& t : LayerCatalog(arch, extras).taps())
            catalog.push_back(t.name);
        EXPECT_EQ(taps, catalog) << toString(arch) << (extras ? " with extras" : "");
        EXPECT_EQ(taps, model->tapNames());
        // Every Conv is followed by its ReLU, which carries the tap of a convolution layer.
        const auto& net = model->net();
        for (std::size_t i = 0; i < net.size(); ++i)
            if (net[i].kind == NetOp::Conv) {
                ASSERT_LT(i + 1, net.size());
                EXPECT_EQ(net[i + 1].kind, NetOp::Relu);
            }
        std::map<std::string, std::vector<std::int64_t>> own;
        for (const auto& p : model->named_parameters())
            own[p.key()] = p.value().sizes().vec();
        for (const auto& b : model->named_buffers()) // vgg16-bn's running statistics; not its counters
            if (b.key().find("num_batches_tracked") == std::string::npos)
                own[b.key()] = b.value().sizes().vec();
        std::map<std::string, std::vector<std::int64_t>> canonical;
        for (const auto& p : weights::canonicalParams(arch, extras))
            canonical[p.name] = p.shape;
        EXPECT_EQ(own, canonical) << toString(arch) << (extras ? " with extras" : "");
    }
}
