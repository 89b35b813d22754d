// SPDX-License-Identifier: GPL-3.0-or-later
// `featscale-cli weights FILE` and `featscale-cli weights --list`, run through runCli as the
// executable runs them, with stdout/stderr captured.
#include "analysis/weights/internal/state_dict.h"
#include "app/cli/commands.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace featscale::cli {
namespace {

namespace fs = std::filesystem;

struct Result {
    int code;
    std::string out, err;
};

Result run(std::vector<std::string> args)
{
    args.insert(args.begin(), {"featscale-cli", "weights"});
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    std::ostringstream out, err;
    auto* oldOut = std::cout.rdbuf(out.rdbuf());
    auto* oldErr = std::cerr.rdbuf(err.rdbuf());
    const int code = runCli(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(oldOut);
    std::cerr.rdbuf(oldErr);
    return {code, out.str(), err.str()};
}

std::string fixture(const std::string& name) { return std::string(FEATSCALE_TEST_DATA) + "/" + name; }

// Every format the GUI opens (tests/ui/jobs/weights_open_test.cpp) as the CLI describes it: format,
// family, topology and the family's input convention; learned gamma (non-uniform in the fixtures)
// and SSD extras where the file has them.
struct FormatCase {
    const char* file; ///< relative to the test data folder's parent
    const char* format;
    const char* family;
    const char* arch;
    const char* preset;
    bool gamma;
    bool extras;
};

// Test names and logs show the file, not the struct's bytes.
void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.file; }

class EveryFormat : public ::testing::TestWithParam<FormatCase> { };

TEST_P(EveryFormat, OpensWithItsFamilysConvention)
{
    const FormatCase& c = GetParam();
    const Result r = run({fixture(std::string("../") + c.file), "--json"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("format"), c.format);
    EXPECT_EQ(j.at("family"), c.family);
    EXPECT_EQ(j.at("arch"), c.arch);
    EXPECT_EQ(j.at("preset"), c.preset);
    EXPECT_EQ(j.at("has_gamma"), c.gamma);
    EXPECT_EQ(j.at("has_extras"), c.extras);
    if (c.gamma) {
        EXPECT_GT(j.at("gamma").at("max").get<double>() - j.at("gamma").at("min").get<double>(), 1.0);
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EveryFormat,
                         ::testing::Values(FormatCase{"weights/layouts/tv_vgg16_legacy_fp16.pth", "pytorch-legacy",
                                                      "torchvision", "vgg16", "torchvision", false, false},
                                           FormatCase{"weights/layouts/ssdpt_ssd300_fp16.pth", "pytorch-zip",
                                                      "ssd.pytorch", "vgg16-reduced", "caffe", true, true},
                                           FormatCase{"weights/layouts/tv_ssd300.pth", "pytorch-zip", "torchvision-ssd",
                                                      "vgg16-reduced", "caffe-rgb", true, true},
                                           FormatCase{"weights/layouts/mmdet_ssd300_fp16.pth", "pytorch-zip", "mmdet",
                                                      "vgg16-reduced", "caffe-rgb", true, true},
                                           FormatCase{"weights/layouts/ssdpt_backbone_script_fp16.pt", "torchscript",
                                                      "ssd.pytorch", "vgg16-reduced", "caffe", false, false},
                                           FormatCase{"weights_formats/caffe_reduced_v1.caffemodel", "caffe", "caffe",
                                                      "vgg16-reduced", "caffe", false, false},
                                           FormatCase{"weights_formats/caffe_vgg16_v2.caffemodel", "caffe", "caffe",
                                                      "vgg16", "caffe", false, false},
                                           FormatCase{"weights_formats/onnx_vgg16_torch.onnx", "onnx", "onnx", "vgg16",
                                                      "torchvision", false, false},
                                           FormatCase{"weights_formats/keras1_vgg16.h5", "keras-h5", "keras", "vgg16",
                                                      "caffe", false, false}),
                         [](const ::testing::TestParamInfo<FormatCase>& testInfo) {
                             std::string name = std::filesystem::path(testInfo.param.file).stem().string();
                             for (char& ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return name;
                         });

TEST(WeightsCliTest, DescribesAnSsdCaffeModel)
{
    const std::string path = fixture("caffe_ssd300_v2.caffemodel");
    const Result r = run({path});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("format:      caffe"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("arch:        vgg16-reduced"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("parameters:  22943424"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("sha256:      " + analysis::weights::sha256File(path)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gamma:       conv4_3: learned L2Norm gamma, 512 channels"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("extras:      yes"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("conv4_3_norm_mbox_loc"), std::string::npos) << "ignored heads are reported\n" << r.out;
}

TEST(WeightsCliTest, JsonGammaSummaryMatchesTheFile)
{
    const std::string path = fixture("caffe_ssd300_v2.caffemodel");
    const Result r = run({path, "--json"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("format"), "caffe");
    EXPECT_EQ(j.at("preset"), analysis::toString(analysis::Preset::Caffe));
    EXPECT_EQ(j.at("has_extras"), true);
    // Independent summary of the same gamma, straight from the reader.
    const auto raw = analysis::weights::readCaffe(path);
    torch::Tensor g;
    for (const auto& [name, t] : raw.tensors)
        if (name == "L2Norm.conv4_3.weight")
            g = t;
    ASSERT_TRUE(g.defined());
    const auto& conv43 = j.at("gammas").at("conv4_3");
    EXPECT_EQ(conv43.at("values").get<std::vector<float>>(),
              std::vector<float>(g.data_ptr<float>(), g.data_ptr<float>() + g.numel()));
    EXPECT_FLOAT_EQ(j.at("gamma").at("min").get<float>(), g.min().item<float>());
    EXPECT_FLOAT_EQ(j.at("gamma").at("max").get<float>(), g.max().item<float>());
    EXPECT_NEAR(j.at("gamma").at("mean").get<double>(), g.to(torch::kFloat64).mean().item<double>(), 1e-4);
    EXPECT_GT(j.at("gamma").at("max").get<float>() - j.at("gamma").at("min").get<float>(), 1.0f)
        << "the fixture's gamma is non-uniform";
}

TEST(WeightsCliTest, KerasFileShowsItsPresetAndNoGamma)
{
    const Result r = run({fixture("keras2_vgg16_notop.h5"), "--arch", "vgg16"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("format:      keras-h5"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gamma:       none"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("warning:"), std::string::npos) << r.out;
}

TEST(WeightsCliTest, ErrorsAndUsage)
{
    EXPECT_EQ(run({"/nonexistent/vgg16.pth"}).code, kExitFatal);
    const Result bad = run({fixture("hostile_absurd_dims.caffemodel")});
    EXPECT_EQ(bad.code, kExitFatal);
    EXPECT_NE(bad.err.find("hostile_absurd_dims.caffemodel"), std::string::npos) << bad.err;
    EXPECT_EQ(run({}).code, kExitUsage);
    EXPECT_EQ(run({"a", "b"}).code, kExitUsage);
    EXPECT_EQ(run({"--frobnicate"}).code, kExitUsage);
    EXPECT_EQ(run({fixture("keras2_vgg16_notop.h5"), "--arch", "resnet"}).code, kExitUsage);
    EXPECT_EQ(run({"--list", "x.pth"}).code, kExitUsage);
    const Result help = run({"--help"});
    EXPECT_EQ(help.code, kExitOk);
    EXPECT_NE(help.out.find("--list"), std::string::npos);
}

TEST(WeightsCliTest, ListPrintsWhatDiscoveryFinds)
{
    std::random_device rd;
    const fs::path home = fs::temp_directory_path() / ("featscale-cli-home-" + std::to_string(rd()));
    fs::create_directories(home / ".cache/torch/hub/checkpoints");
    std::ofstream(home / ".cache/torch/hub/checkpoints/vgg16-397923af.pth") << "x";
    const char* saved[] = {"HOME", "TORCH_HOME", "XDG_CACHE_HOME", "KERAS_HOME"};
    std::vector<std::pair<std::string, std::optional<std::string>>> old;
    for (const char* v : saved) {
        old.emplace_back(v, std::getenv(v) ? std::optional<std::string>(std::getenv(v)) : std::nullopt);
        unsetenv(v);
    }
    setenv("HOME", home.c_str(), 1);
    const Result r = run({"--list"});
    const Result j = run({"--list", "--json"});
    for (const auto& [name, value] : old)
        value ? setenv(name.c_str(), value->c_str(), 1) : unsetenv(name.c_str());
    fs::remove_all(home);

    EXPECT_EQ(r.code, kExitOk);
    EXPECT_NE(r.out.find((home / ".cache/torch/hub/checkpoints/vgg16-397923af.pth").string()), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("torchvision vgg16"), std::string::npos) << r.out;
    const auto parsed = nlohmann::json::parse(j.out);
    ASSERT_EQ(parsed.at("found").size(), 1u);
    EXPECT_EQ(parsed.at("found")[0].at("size_bytes"), 1);
}

} // namespace
} // namespace featscale::cli
