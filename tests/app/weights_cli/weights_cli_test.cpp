// SPDX-License-Identifier: GPL-3.0-or-later
// `featscale-cli weights FILE` and `featscale-cli weights --list`, run through runCli as the
// executable runs them, with stdout/stderr captured.
#include "app/cli/commands.h"
#include "analysis/weights/state_dict.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(WeightsCliTest, DescribesAnSsdCaffeModel)
{
    const std::string path = fixture("caffe_ssd300_v2.caffemodel");
    const Result r = run({path});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("format:      caffe"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("arch:        vgg16-reduced"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("parameters:  22943424"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("sha256:      " + analysis::weights::sha256File(path)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gamma:       learned L2Norm gamma, 512 channels"), std::string::npos) << r.out;
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
        if (name == "L2Norm.weight")
            g = t;
    ASSERT_TRUE(g.defined());
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
