// SPDX-License-Identifier: GPL-3.0-or-later
// The torchvision preset's resize against PIL itself: torchvision.transforms.Resize on PIL images
// (make_pil_resize.py) must give the same bytes, and short:N the same size, as featscale.
#include "analysis/images/preprocess.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

using namespace featscale::analysis;

namespace {

nlohmann::json manifest()
{
    std::ifstream in(std::string(FEATSCALE_TEST_DATA) + "/pil_resize/manifest.json");
    if (!in)
        return nullptr;
    return nlohmann::json::parse(in);
}

} // namespace

TEST(PilResize, BytesEqualTorchvisionResizeOfPilImages)
{
    const auto m = manifest();
    ASSERT_FALSE(m.is_null()) << "fixtures missing: the pil_resize_fixtures test must run first";
    if (m.contains("skipped"))
        GTEST_SKIP() << "no PIL reference: " << m.at("skipped").get<std::string>();
    ASSERT_GE(m.at("cases").size(), 40u);
    int shrunk = 0, enlarged = 0;
    for (const auto& c : m.at("cases")) {
        const DecodedImage img = decodeImage(c.at("image"));
        const int w = c.at("width"), h = c.at("height");
        const std::string spec = c.at("spec").is_null() ? "" : c.at("spec").get<std::string>();
        if (!spec.empty()) {
            const auto [tw, th, note] = targetSize(parseSizeSpec(spec), img.width, img.height);
            EXPECT_EQ(tw, w) << c.at("image") << " " << spec;
            EXPECT_EQ(th, h) << c.at("image") << " " << spec;
        }
        const std::vector<unsigned char> got = resizeForPreset(img, Preset::Torchvision, w, h);
        std::ifstream in(c.at("reference").get<std::string>(), std::ios::binary);
        std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
        in.read(reinterpret_cast<char*>(rgb.data()), static_cast<std::streamsize>(rgb.size()));
        ASSERT_EQ(static_cast<std::size_t>(in.gcount()), rgb.size()) << c.at("reference");
        ASSERT_EQ(got.size(), rgb.size());
        std::size_t differ = 0, first = rgb.size();
        for (std::size_t i = 0; i < rgb.size(); i += 3)
            for (int k = 0; k < 3; ++k)
                if (got[i + 2 - k] != rgb[i + k]) { // featscale keeps BGR, PIL gives RGB
                    ++differ;
                    first = std::min(first, i / 3);
                }
        EXPECT_EQ(differ, 0u) << c.at("image") << " -> " << w << "x" << h << ": first differing pixel " << first % w
                              << "," << first / w;
        shrunk += w < img.width || h < img.height;
        enlarged += w > img.width || h > img.height;
    }
    EXPECT_GE(shrunk, 20);
    EXPECT_GE(enlarged, 20);
}
