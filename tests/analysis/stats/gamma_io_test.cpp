// SPDX-License-Identifier: GPL-3.0-or-later
// Gamma files: CSV round trip, plain lists, and clear errors naming the file and line.
#include "analysis/stats/gamma_io.h"
#include "analysis/core/types.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir()
{
    const fs::path d = fs::path(FEATSCALE_TEST_DATA) / "gamma_io";
    fs::create_directories(d);
    return d;
}

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
