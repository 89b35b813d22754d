// SPDX-License-Identifier: GPL-3.0-or-later
// Weight-file discovery against a fake home folder: which caches are searched (TORCH_HOME,
// XDG_CACHE_HOME, HOME; KERAS_HOME) and which file names count as VGG16 / SSD weights.
#include "analysis/weights/download/discovery.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;

class DiscoveryTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        for (const char* v : kVars) {
            const char* old = std::getenv(v);
            m_saved.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
            unsetenv(v);
        }
        std::random_device rd;
        m_root = fs::temp_directory_path() / ("featscale-discovery-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(m_root);
    }
    void TearDown() override
    {
        for (const auto& [name, value] : m_saved) {
            if (value)
                setenv(name.c_str(), value->c_str(), 1);
            else
                unsetenv(name.c_str());
        }
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }
    std::string touch(const fs::path& relative, std::size_t bytes)
    {
        const fs::path p = m_root / relative;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << std::string(bytes, 'x');
        return p.string();
    }
    static std::vector<std::string> names(const std::vector<DiscoveredWeights>& found)
    {
        std::vector<std::string> out;
        for (const auto& w : found)
            out.push_back(fs::path(w.path).filename().string());
        return out;
    }

    static constexpr const char* kVars[] = {"HOME", "TORCH_HOME", "XDG_CACHE_HOME", "KERAS_HOME"};
    fs::path m_root;
    std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};

TEST_F(DiscoveryTest, FindsTorchAndKerasCachesUnderHome)
{
    setenv("HOME", (m_root / "home").c_str(), 1);
    const fs::path ckpt = "home/.cache/torch/hub/checkpoints";
    const std::string vgg = touch(ckpt / "vgg16-397923af.pth", 1234);
    touch(ckpt / "vgg16_features-amdegroot-88682ab5.pth", 10);
    touch(ckpt / "ssd300_vgg16_coco-b556d3b4.pth", 10);
    touch(ckpt / "vgg16_reducedfc.pth", 10);
    touch(ckpt / "vgg16_bn-6c64b313.pth", 10); // batch-norm VGG: the vgg16-bn topology
    touch(ckpt / "resnet50-0676ba61.pth", 10);
    touch(ckpt / "vgg16-partial.pth.tmp", 10);
    fs::create_directories(m_root / ckpt / "vgg16-folder.pth"); // not a regular file
    touch("home/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5", 20);
    touch("home/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", 20);
    touch("home/.keras/models/resnet50_weights_tf_dim_ordering_tf_kernels.h5", 20);

    const auto found = discoverWeights();
    const std::vector<std::string> expected = {"ssd300_vgg16_coco-b556d3b4.pth",
                                               "vgg16-397923af.pth",
                                               "vgg16_bn-6c64b313.pth",
                                               "vgg16_features-amdegroot-88682ab5.pth",
                                               "vgg16_reducedfc.pth",
                                               "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                                               "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"};
    EXPECT_EQ(names(found), expected);
    for (const auto& w : found) {
        SCOPED_TRACE(w.path);
        const std::string n = fs::path(w.path).filename().string();
        if (n == "vgg16-397923af.pth") {
            EXPECT_EQ(w.path, vgg);
            EXPECT_EQ(w.sizeBytes, 1234u);
            EXPECT_EQ(w.arch, Arch::Vgg16);
            EXPECT_NE(w.kind.find("torchvision vgg16"), std::string::npos);
        }
        if (n.rfind("ssd300", 0) == 0 || n.rfind("vgg16_features", 0) == 0 || n.rfind("vgg16_reducedfc", 0) == 0) {
            EXPECT_EQ(w.arch, Arch::Vgg16Reduced);
        }
        if (n.find("_notop") != std::string::npos) {
            EXPECT_NE(w.kind.find("convolutions only"), std::string::npos);
        }
        if (n.rfind("vgg16_bn", 0) == 0) {
            EXPECT_EQ(w.arch, Arch::Vgg16Bn);
        }
    }
    const auto folders = discoveryFolders();
    ASSERT_EQ(folders.size(), 2u);
    EXPECT_EQ(folders[0], (m_root / "home/.cache/torch/hub/checkpoints").string());
    EXPECT_EQ(folders[1], (m_root / "home/.keras/models").string());
}

TEST_F(DiscoveryTest, TorchHomeOverridesXdgCacheWhichOverridesHome)
{
    setenv("HOME", (m_root / "home").c_str(), 1);
    touch("home/.cache/torch/hub/checkpoints/vgg16-aaaaaaaa.pth", 1);
    touch("xdg/torch/hub/checkpoints/vgg16-bbbbbbbb.pth", 1);
    touch("th/hub/checkpoints/vgg16-cccccccc.pth", 1);
    touch("kh/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5", 1);

    EXPECT_EQ(names(discoverWeights()), std::vector<std::string>{"vgg16-aaaaaaaa.pth"});
    setenv("XDG_CACHE_HOME", (m_root / "xdg").c_str(), 1);
    EXPECT_EQ(names(discoverWeights()), std::vector<std::string>{"vgg16-bbbbbbbb.pth"});
    setenv("TORCH_HOME", (m_root / "th").c_str(), 1);
    setenv("KERAS_HOME", (m_root / "kh").c_str(), 1);
    EXPECT_EQ(names(discoverWeights()),
              (std::vector<std::string>{"vgg16-cccccccc.pth", "vgg16_weights_tf_dim_ordering_tf_kernels.h5"}));
}

// A name promises a hash: the catalogue's full digest for that file name. Discovery checks it, so a
// file merely named like torchvision's VGG16 is not called that; torch.hub's <name>-<8 hex>.pth
// alone is 32 bits, forgeable in minutes, so such a file is "not verifiable", never verified.
TEST_F(DiscoveryTest, NamesAreCheckedAgainstTheHashTheyPromise)
{
    setenv("HOME", (m_root / "home").c_str(), 1);
    const fs::path ckpt = "home/.cache/torch/hub/checkpoints";
    touch(ckpt / "vgg16-397923af.pth", 1234);  // sha256 of 1234 'x' is not 397923af...
    touch(ckpt / "vgg16-1b3a2e7f.pth", 0);     // sha256 of no bytes: e3b0c442...
    touch(ckpt / "vgg16-e3b0c442.pth", 0);     // ... whose first 8 digits this name carries: proves nothing
    touch(ckpt / "vgg16_bn-6c64b313.pth", 30); // in the catalogue, but no full digest is published
    touch(ckpt / "vgg16_reducedfc.pth", 10);   // nothing published to check against
    touch("home/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5", 20); // catalogue md5 differs

    for (const auto& w : discoverWeights(/*hash=*/false)) { // nothing read: nothing claimed
        SCOPED_TRACE(w.path);
        EXPECT_TRUE(w.check == DiscoveredWeights::Check::NotVerified ||
                    w.check == DiscoveredWeights::Check::NoReference);
    }
    std::map<std::string, DiscoveredWeights> found;
    for (const auto& w : discoverWeights(/*hash=*/true))
        found[fs::path(w.path).filename().string()] = w;
    ASSERT_EQ(found.size(), 6u);
    const auto& fake = found["vgg16-397923af.pth"];
    EXPECT_EQ(fake.check, DiscoveredWeights::Check::Mismatch);
    EXPECT_EQ(fake.kind.rfind("NOT the published file", 0), 0u) << fake.kind;
    EXPECT_EQ(fake.expected, "sha256 397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0");
    for (const char* name : {"vgg16-1b3a2e7f.pth", "vgg16-e3b0c442.pth", "vgg16_bn-6c64b313.pth"}) {
        SCOPED_TRACE(name);
        const auto& w = found[name];
        EXPECT_EQ(w.check, DiscoveredWeights::Check::NoReference);
        EXPECT_NE(w.kind.find("not verifiable: no published full digest"), std::string::npos) << w.kind;
        EXPECT_EQ(w.kind.find("verified ("), std::string::npos) << w.kind;
    }
    EXPECT_EQ(found["vgg16_reducedfc.pth"].check, DiscoveredWeights::Check::NoReference);
    const auto& keras = found["vgg16_weights_tf_dim_ordering_tf_kernels.h5"];
    EXPECT_EQ(keras.check, DiscoveredWeights::Check::Mismatch);
    EXPECT_EQ(keras.expected, "md5 64373286793e3c8b2b4e3219cbf3544b");
    // Remembered: a later cheap listing knows the verdicts without reading the files.
    for (const auto& w : discoverWeights(/*hash=*/false))
        EXPECT_EQ(w.check, found[fs::path(w.path).filename().string()].check) << w.path;
}

TEST_F(DiscoveryTest, NoHomeAndMissingFoldersFindNothing)
{
    EXPECT_TRUE(discoverWeights().empty()); // HOME unset: nothing to search
    setenv("HOME", (m_root / "nobody").c_str(), 1);
    EXPECT_TRUE(discoverWeights().empty());
    setenv("TORCH_HOME", (m_root / "missing").c_str(), 1);
    EXPECT_TRUE(discoverWeights().empty());
}

} // namespace
} // namespace featscale::analysis::weights
