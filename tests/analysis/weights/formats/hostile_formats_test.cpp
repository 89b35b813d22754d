// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and damaged Caffe / ONNX / Keras files: each must end in an Error that names the file and
// the problem — no crash, no allocation sized by a claimed count, no path in the file followed.
#include "fixture_manifest.h"

#include "analysis/weights/internal/state_dict.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace featscale::analysis::weights::test {
namespace {

namespace fs = std::filesystem;

/// A scratch folder removed at the end of the test.
class TempDir {
public:
    TempDir()
    {
        std::random_device rd;
        m_path = fs::temp_directory_path() / ("featscale-wfmt-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(m_path);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
};

void writeBytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string errorOf(const std::string& path)
{
    try {
        readWeightFile(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

struct HostileCase {
    const char* file;
    const char* problem; ///< must appear in the message
};

void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.file; }

const HostileCase kHostile[] = {
    {"hostile_absurd_dims.caffemodel", "absurd blob shape 1073741824x1073741824x3x3"},
    {"hostile_huge_length.caffemodel", "claims 1099511627776 bytes but only 16 remain"},
    {"hostile_absurd_dims.onnx", "needs 4398046511104 bytes of raw data, found 16"},
    {"hostile_external.onnx", "external file"},
    {"hostile_unbacked.h5", "claims 6912 bytes but stores 0"},
    {"hostile_int_kernel.h5", "not floating point"},
    {"hostile_theano.h5", "Theano dim ordering"},
};

class HostileTest : public ::testing::TestWithParam<HostileCase> { };

TEST_P(HostileTest, IsRefusedWithTheProblemNamed)
{
    const std::string path = fixturePath(GetParam().file);
    ASSERT_TRUE(fs::exists(path));
    const std::string what = errorOf(path);
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find(GetParam().problem), std::string::npos) << what;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HostileTest, ::testing::ValuesIn(kHostile),
                         [](const ::testing::TestParamInfo<HostileCase>& testInfo) {
                             std::string n = testInfo.param.file;
                             for (auto& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return n;
                         });

// 20 cut points from the last byte down to the first few. The copy is truncated in place, largest
// cut first, so a 80 MB fixture is copied once, not twenty times.
void expectEveryTruncationRefused(const std::string& fixture)
{
    TempDir dir;
    const std::string copy = dir.file(fixture);
    fs::copy_file(fixturePath(fixture), copy);
    const auto size = static_cast<std::uintmax_t>(fs::file_size(copy));
    std::vector<std::uintmax_t> cuts = {size - 1, size - 4};
    for (int k = 17; k >= 1; --k)
        cuts.push_back(size * static_cast<std::uintmax_t>(k) / 18);
    cuts.push_back(3);
    ASSERT_EQ(cuts.size(), 20u);
    for (std::uintmax_t cut : cuts) {
        SCOPED_TRACE("cut at byte " + std::to_string(cut) + " of " + std::to_string(size));
        fs::resize_file(copy, cut);
        const std::string what = errorOf(copy);
        EXPECT_NE(what.find(copy), std::string::npos) << what;
    }
}

TEST(TruncationTest, CaffeV1ModelCutAnywhereIsAnError) { expectEveryTruncationRefused("caffe_reduced_v1.caffemodel"); }
TEST(TruncationTest, OnnxModelCutAnywhereIsAnError) { expectEveryTruncationRefused("onnx_tiny_by_order.onnx"); }
TEST(TruncationTest, KerasFileCutAnywhereIsAnError) { expectEveryTruncationRefused("keras2_vgg16_notop.h5"); }

TEST(TruncationTest, CaffeErrorSaysWhereTheDataEnds)
{
    TempDir dir;
    const std::string copy = dir.file("cut.caffemodel");
    fs::copy_file(fixturePath("caffe_reduced_v1.caffemodel"), copy);
    fs::resize_file(copy, 1000000);
    const std::string what = errorOf(copy);
    EXPECT_NE(what.find("truncated"), std::string::npos) << what;
    EXPECT_NE(what.find("at byte"), std::string::npos) << what;
}

TEST(WrongContentTest, GarbageWithEachExtensionIsAnError)
{
    TempDir dir;
    std::mt19937 rng(7);
    std::string noise(4096, '\0');
    for (auto& ch : noise)
        ch = static_cast<char>(rng() & 0xff);
    const std::pair<std::string, std::string> files[] = {
        {"text.caffemodel", "name: \"VGG_ILSVRC_16_layers\"\nlayer { name: \"conv1_1\" }\n"},
        {"noise.caffemodel", noise},
        {"noise.onnx", noise},
        {"varint.onnx", std::string("\x08\x07", 2) + noise},
        {"magic-only.h5", std::string("\x89HDF\r\n\x1a\n", 8) + std::string(512, '\0')},
        {"noise-with-magic.h5", std::string("\x89HDF\r\n\x1a\n", 8) + noise},
        {"empty.caffemodel", ""},
    };
    for (const auto& [name, bytes] : files) {
        SCOPED_TRACE(name);
        const std::string path = dir.file(name);
        writeBytes(path, bytes);
        const std::string what = errorOf(path);
        EXPECT_NE(what.find(path), std::string::npos) << what;
    }
}

TEST(WrongContentTest, ReadersCalledDirectlyRefuseOtherFormats)
{
    // Each reader must fail cleanly on another reader's file (dispatch is by content, but a reader
    // may also be reached by extension).
    EXPECT_THROW(readCaffe(fixturePath("onnx_tiny_by_order.onnx")), Error);
    EXPECT_THROW(readOnnx(fixturePath("caffe_ssd300_v2.caffemodel")), Error);
    EXPECT_THROW(readKerasH5(fixturePath("onnx_tiny_by_order.onnx")), Error);
    EXPECT_THROW(readCaffe(fixturePath("keras2_vgg16_notop.h5")), Error);
}

} // namespace
} // namespace featscale::analysis::weights::test
