// SPDX-License-Identifier: GPL-3.0-or-later
// Gamma files: CSV round trip, plain lists, and clear errors naming the file and line.
#include "analysis/core/types.h"
#include "analysis/stats/gamma_io.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_gamma_io"); }

std::string writeText(const std::string& name, const std::string& text)
{
    const fs::path p = tempDir() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

std::string errorOf(const std::string& path)
{
    try {
        readGammaFile(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(GammaIo, CsvRoundTripIsExact)
{
    const std::vector<float> g = {20.0f, 0.1f, 1.0f / 3.0f, 123456.789f, 0.0f, 1e-7f};
    const std::string path = (tempDir() / "roundtrip.csv").string();
    writeGammaCsv(path, g, {"fitted by a test", "UNTRAINED weights"});
    EXPECT_EQ(readGammaFile(path), g);
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, "# fitted by a test");
}

TEST(GammaIo, PlainListsAndUnorderedCsv)
{
    EXPECT_EQ(readGammaFile(writeText("plain.txt", "1 2, 3\n# note\n4;5\t6\n")),
              (std::vector<float>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(readGammaFile(writeText("unordered.csv", "channel,gamma\n2,30\n0,10\n1,20\n")),
              (std::vector<float>{10, 20, 30}));
}

TEST(GammaIo, ErrorsNameTheFileAndProblem)
{
    const std::string missing = writeText("missing.csv", "channel,gamma\n0,1\n2,3\n");
    EXPECT_NE(errorOf(missing).find("channel 1 is missing"), std::string::npos) << errorOf(missing);
    EXPECT_NE(errorOf(missing).find(missing), std::string::npos);
    const std::string dup = writeText("dup.csv", "channel,gamma\n0,1\n0,3\n");
    EXPECT_NE(errorOf(dup).find("appears twice"), std::string::npos) << errorOf(dup);
    const std::string word = writeText("word.txt", "1\n2\nabc\n");
    EXPECT_NE(errorOf(word).find("line 3"), std::string::npos) << errorOf(word);
    const std::string nan = writeText("nan.txt", "1 nan\n");
    EXPECT_NE(errorOf(nan).find("finite"), std::string::npos) << errorOf(nan);
    const std::string empty = writeText("empty.txt", "");
    EXPECT_NE(errorOf(empty).find("empty"), std::string::npos) << errorOf(empty);
    const std::string comments = writeText("comments.txt", "# only a comment\n");
    EXPECT_NE(errorOf(comments).find("no gamma values"), std::string::npos) << errorOf(comments);
    EXPECT_NE(errorOf("/nonexistent/g.csv").find("cannot open"), std::string::npos);
}

TEST(GammaIo, WriteFailureLeavesNoFileAndThrows)
{
    EXPECT_THROW(writeGammaCsv("/nonexistent-dir/g.csv", {1.0f}), Error);
}

TEST(GammaIo, LayerCsvHoldsEveryLayer)
{
    // written by hand, rows shuffled across layers
    const std::string path = writeText("layers.csv", "# three layers\n"
                                                     "layer,channel,gamma\n"
                                                     "conv5_3,1,5.5\n"
                                                     "conv3_3,0,10\n"
                                                     "conv5_3,0,5\n"
                                                     "conv4_3,2,8.25\n"
                                                     "conv4_3,0,8\n"
                                                     "conv3_3,1,10.5\n"
                                                     "conv4_3,1,8.125\n");
    EXPECT_TRUE(isLayerGammaCsv(path));
    const auto g = readLayerGammaCsv(path);
    ASSERT_EQ(g.size(), 3u);
    EXPECT_EQ(g.at("conv3_3"), (std::vector<float>{10.0f, 10.5f}));
    EXPECT_EQ(g.at("conv4_3"), (std::vector<float>{8.0f, 8.125f, 8.25f}));
    EXPECT_EQ(g.at("conv5_3"), (std::vector<float>{5.0f, 5.5f}));
    // a single-layer reader is told what the file is
    try {
        readGammaFile(path);
        FAIL() << "a layer CSV read as one gamma";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("several layers"), std::string::npos) << e.what();
    }

    // round trip: exact floats, the header and comments as written
    std::map<std::string, std::vector<float>> values = {{"conv3_3", {0.1f, 1e-7f, 3.0f}}, {"fc7", {123.456f}}};
    const std::string out = (tempDir() / "layers_out.csv").string();
    writeLayerGammaCsv(out, values, {"made here"});
    std::ifstream in(out);
    std::string first, second, third;
    std::getline(in, first);
    std::getline(in, second);
    std::getline(in, third);
    EXPECT_EQ(first, "# made here");
    EXPECT_EQ(second, "layer,channel,gamma");
    EXPECT_EQ(third, "conv3_3,0,0.100000001");
    EXPECT_EQ(readLayerGammaCsv(out), values);

    EXPECT_FALSE(isLayerGammaCsv(writeText("one.csv", "channel,gamma\n0,1\n")));
    EXPECT_FALSE(isLayerGammaCsv((tempDir() / "absent.csv").string()));
    auto layerError = [](const std::string& p) {
        try {
            readLayerGammaCsv(p);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string gap = writeText("gap.csv", "layer,channel,gamma\nconv4_3,0,1\nconv4_3,2,1\n");
    EXPECT_NE(layerError(gap).find("channel 1 of conv4_3 is missing"), std::string::npos) << layerError(gap);
    const std::string twice = writeText("twice.csv", "layer,channel,gamma\nfc7,0,1\nfc7,0,2\n");
    EXPECT_NE(layerError(twice).find("line 3"), std::string::npos) << layerError(twice);
    const std::string nan = writeText("nanl.csv", "layer,channel,gamma\nfc7,0,nan\n");
    EXPECT_NE(layerError(nan).find("finite"), std::string::npos) << layerError(nan);
    const std::string wrong = writeText("wrongl.csv", "channel,gamma\n0,1\n");
    EXPECT_NE(layerError(wrong).find("layer,channel,gamma"), std::string::npos) << layerError(wrong);
}
