// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding and presets against hand-computed pixels; clear errors for bad files.
#include "analysis/images/preprocess.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_pre"); }

// 40x32 image, pixel (y,x) = B: x*5, G: y*7, R: 255 - x*3
cv::Mat pattern()
{
    cv::Mat m(32, 40, CV_8UC3);
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 40; ++x)
            m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 5), static_cast<uchar>(y * 7),
                                              static_cast<uchar>(255 - x * 3));
    return m;
}

std::string writeImage(const std::string& name, const cv::Mat& m)
{
    const auto p = (tempDir() / name).string();
    EXPECT_TRUE(cv::imwrite(p, m));
    return p;
}

std::string writeBytes(const std::string& name, const std::string& bytes)
{
    return featscale::test::writeScratch(tempDir(), name, bytes);
}

std::string errorOf(const std::string& path) { return featscale::test::decodeError(path); }

SizeSpec original()
{
    SizeSpec s;
    s.mode = SizeSpec::Mode::Original;
    return s;
}

} // namespace

TEST(Preprocess, CaffePresetIsBgrMinusMean)
{
    const auto img = decodeImage(writeImage("p.png", pattern()));
    const auto p = prepare(img, Preset::Caffe, original());
    ASSERT_EQ(p.width, 40);
    ASSERT_EQ(p.height, 32);
    const std::size_t plane = 40 * 32;
    const int y = 3, x = 11;
    const std::size_t i = y * 40 + x;
    EXPECT_FLOAT_EQ(p.chw[0 * plane + i], 55.f - 104.f);  // B = 11*5
    EXPECT_FLOAT_EQ(p.chw[1 * plane + i], 21.f - 117.f);  // G = 3*7
    EXPECT_FLOAT_EQ(p.chw[2 * plane + i], 222.f - 123.f); // R = 255-33
}

TEST(Preprocess, TorchvisionPresetIsRgbScaledAndStandardised)
{
    const auto img = decodeImage(writeImage("p.png", pattern()));
    const auto p = prepare(img, Preset::Torchvision, original());
    const std::size_t plane = 40 * 32, i = 3 * 40 + 11;
    EXPECT_NEAR(p.chw[0 * plane + i], (222.0 / 255 - 0.485) / 0.229, 1e-5); // R first
    EXPECT_NEAR(p.chw[1 * plane + i], (21.0 / 255 - 0.456) / 0.224, 1e-5);
    EXPECT_NEAR(p.chw[2 * plane + i], (55.0 / 255 - 0.406) / 0.225, 1e-5);
    const auto q = prepare(img, Preset::CaffeRgb, original());
    EXPECT_FLOAT_EQ(q.chw[0 * plane + i], 222.f - 123.f);
    EXPECT_FLOAT_EQ(q.chw[2 * plane + i], 55.f - 104.f);
}

TEST(Preprocess, SizeModes)
{
    SizeSpec sq; // square 300
    const TargetSize square = targetSize(sq, 640, 480);
    EXPECT_EQ(square.width, 300);
    EXPECT_EQ(square.height, 300);
    EXPECT_TRUE(square.note.empty());
    SizeSpec sh;
    sh.mode = SizeSpec::Mode::ShorterSide;
    sh.value = 240;
    const TargetSize shorter = targetSize(sh, 640, 480);
    EXPECT_EQ(shorter.width, 320);
    EXPECT_EQ(shorter.height, 240);
    SizeSpec orig = original();
    orig.maxPixels = 100000;
    const TargetSize capped = targetSize(orig, 1000, 1000);
    EXPECT_LE(static_cast<long>(capped.width) * capped.height, 100000);
    EXPECT_EQ(capped.width, 316);
    EXPECT_NE(capped.note.find("cap"), std::string::npos) << capped.note;
    const TargetSize thin = targetSize(original(), 10000, 10); // 1e5 px, but one side below 32
    EXPECT_GE(std::min(thin.width, thin.height), 32);
    EXPECT_NE(thin.note.find("32"), std::string::npos);
}

TEST(Preprocess, ConstantImageStaysConstantWhenResized)
{
    cv::Mat m(50, 70, CV_8UC3, cv::Scalar(10, 20, 30));
    const auto p = prepare(decodeImage(writeImage("c.png", m)), Preset::Caffe, SizeSpec{});
    ASSERT_EQ(p.chw.size(), 3u * 300 * 300);
    for (std::size_t i = 0; i < 300 * 300; i += 997) {
        EXPECT_FLOAT_EQ(p.chw[i], 10.f - 104.f);
        EXPECT_FLOAT_EQ(p.chw[2 * 300 * 300 + i], 30.f - 123.f);
    }
}

TEST(Preprocess, GrayscaleAlphaAnd16Bit)
{
    cv::Mat gray(33, 34, CV_8UC1, cv::Scalar(77));
    auto g = decodeImage(writeImage("g.png", gray));
    EXPECT_EQ(g.bgr[0], 77);
    EXPECT_EQ(g.bgr[1], 77);
    EXPECT_EQ(g.bgr[2], 77);
    EXPECT_NE(g.note.find("grayscale"), std::string::npos);

    cv::Mat rgba(33, 34, CV_8UC4, cv::Scalar(1, 2, 3, 0));
    auto a = decodeImage(writeImage("a.png", rgba));
    EXPECT_EQ(a.bgr[0], 1);
    EXPECT_EQ(a.bgr[2], 3);
    EXPECT_NE(a.note.find("alpha"), std::string::npos);

    cv::Mat deep(33, 34, CV_16UC3, cv::Scalar(65535, 257 * 100, 0));
    auto d = decodeImage(writeImage("d.png", deep));
    EXPECT_EQ(d.bgr[0], 255);
    EXPECT_EQ(d.bgr[1], 100);
    EXPECT_EQ(d.bgr[2], 0);
}

// A JPEG with an EXIF APP1 segment (big-endian TIFF, one IFD entry) giving `orientation`.
static std::string jpegWithOrientation(const std::vector<uchar>& jpg, int orientation)
{
    const unsigned char exif[] = {0xFF, 0xE1,
                                  0x00, 0x22,
                                  'E',  'x',
                                  'i',  'f',
                                  0,    0,
                                  'M',  'M',
                                  0x00, 0x2A,
                                  0x00, 0x00,
                                  0x00, 0x08, // TIFF header, IFD at 8
                                  0x00, 0x01, // one entry
                                  0x01, 0x12,
                                  0x00, 0x03,
                                  0x00, 0x00,
                                  0x00, 0x01, // Orientation, SHORT, 1
                                  0x00, static_cast<unsigned char>(orientation),
                                  0x00, 0x00,
                                  0x00, 0x00,
                                  0x00, 0x00}; // next IFD: none
    std::string bytes(jpg.begin(), jpg.begin() + 2);
    bytes.append(reinterpret_cast<const char*>(exif), sizeof exif);
    bytes.append(jpg.begin() + 2, jpg.end());
    return bytes;
}

class ExifOrientation : public ::testing::TestWithParam<int> { };

TEST_P(ExifOrientation, IsAppliedAsTheTiffSpecDefinesIt)
{
    const int orientation = GetParam();
    // 40x30 with a white block in the stored top-left corner
    cv::Mat m(30, 40, CV_8UC3, cv::Scalar(0, 0, 0));
    m(cv::Rect(0, 0, 10, 10)).setTo(cv::Scalar(255, 255, 255));
    std::vector<uchar> jpg;
    ASSERT_TRUE(cv::imencode(".jpg", m, jpg));
    const cv::Mat stored = cv::imdecode(jpg, cv::IMREAD_COLOR); // the same JPEG data, no EXIF

    // TIFF 6.0 / EXIF: where the stored first row and column belong on screen
    cv::Mat shown;
    bool whiteRight = false, whiteBottom = false;
    switch (orientation) {
    case 1:
        shown = stored.clone();
        break;
    case 2:
        cv::flip(stored, shown, 1);
        whiteRight = true;
        break;
    case 3:
        cv::rotate(stored, shown, cv::ROTATE_180);
        whiteRight = whiteBottom = true;
        break;
    case 4:
        cv::flip(stored, shown, 0);
        whiteBottom = true;
        break;
    case 5:
        cv::transpose(stored, shown);
        break;
    case 6:
        cv::rotate(stored, shown, cv::ROTATE_90_CLOCKWISE);
        whiteRight = true;
        break;
    case 7:
        cv::transpose(stored, shown);
        cv::rotate(shown, shown, cv::ROTATE_180);
        whiteRight = whiteBottom = true;
        break;
    case 8:
        cv::rotate(stored, shown, cv::ROTATE_90_COUNTERCLOCKWISE);
        whiteBottom = true;
        break;
    }
    const auto img = decodeImage(
        writeBytes("exif" + std::to_string(orientation) + ".jpg", jpegWithOrientation(jpg, orientation)));
    ASSERT_EQ(img.width, shown.cols);
    ASSERT_EQ(img.height, shown.rows);
    EXPECT_EQ(img.width, orientation >= 5 ? 30 : 40);
    const cv::Mat got(img.height, img.width, CV_8UC3, const_cast<unsigned char*>(img.bgr.data()));
    EXPECT_EQ(cv::norm(got, shown, cv::NORM_INF), 0.0) << "orientation " << orientation;
    // and the white block sits in the corner the table says (not only "equal to our reference")
    const int x = whiteRight ? img.width - 3 : 2, y = whiteBottom ? img.height - 3 : 2;
    EXPECT_GT(img.bgr[(y * img.width + x) * 3], 200) << "orientation " << orientation;
    EXPECT_LT(img.bgr[((img.height - 1 - y) * img.width + (img.width - 1 - x)) * 3], 50);
}

INSTANTIATE_TEST_SUITE_P(AllEight, ExifOrientation, ::testing::Range(1, 9));

TEST(Preprocess, BadFilesGiveClearErrors)
{
    EXPECT_NE(errorOf((tempDir() / "missing.jpg").string()).find("no such file"), std::string::npos);
    EXPECT_NE(errorOf(writeBytes("empty.jpg", "")).find("empty file"), std::string::npos);
    EXPECT_NE(errorOf(writeBytes("text.jpg", "hello, I am not a picture\n")).find("not an image"), std::string::npos);
    fs::create_directories(tempDir() / "dir.png");
    EXPECT_NE(errorOf((tempDir() / "dir.png").string()).find("directory"), std::string::npos);

    std::vector<uchar> png;
    cv::imencode(".png", pattern(), png);
    const std::string whole(png.begin(), png.end());
    for (std::size_t cut : {std::size_t(30), whole.size() / 2, whole.size() - 20}) {
        const auto msg = errorOf(writeBytes("trunc.png", whole.substr(0, cut)));
        EXPECT_NE(msg.find("trunc.png"), std::string::npos) << cut;
        EXPECT_FALSE(msg.empty()) << "truncated at " << cut << " decoded without error";
    }

    // decompression bomb: a PNG header declaring 50000 x 50000
    std::string bomb = whole.substr(0, 33);
    const unsigned char dims[8] = {0x00, 0x00, 0xC3, 0x50, 0x00, 0x00, 0xC3, 0x50};
    bomb.replace(16, 8, reinterpret_cast<const char*>(dims), 8);
    const auto msg = errorOf(writeBytes("bomb.png", bomb));
    EXPECT_NE(msg.find("50000x50000"), std::string::npos) << msg;
    EXPECT_NE(msg.find("refused before decoding"), std::string::npos) << msg;
}

TEST(Preprocess, CaffePresetsResizeWithInterLinearTorchvisionWithPil)
{
    // 10, 20, 30, 40 shrunk to two pixels. INTER_LINEAR samples at the output pixels' centres
    // (1.5 and 3.5 in input pixels) between the two nearest inputs: 15 and 35. PIL's triangle is
    // widened to a support of 2: weights 3/7, 3/7, 1/7 around centre 1 -> (30+60+30)/7 = 17.1 -> 17,
    // and 1/7, 3/7, 3/7 around centre 3 -> (20+90+120)/7 = 32.9 -> 33.
    const unsigned char row[12] = {10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40};
    const DecodedImage img = decodedFromBgr("row", row, 4, 1);
    const auto cv = resizeForPreset(img, Preset::Caffe, 2, 1);
    EXPECT_EQ(cv[0], 15);
    EXPECT_EQ(cv[3], 35);
    const auto pil = resizeForPreset(img, Preset::Torchvision, 2, 1);
    EXPECT_EQ(pil[0], 17);
    EXPECT_EQ(pil[3], 33);
}
