// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and unusual image files: each one either decodes to the right pixels or is
// refused with an Error naming the file and the problem; none crashes or allocates what its
// header claims before the claim is checked. Cases already in preprocess_test (0-byte, text named
// .jpg, truncated PNG, directory named like an image, PNG bomb, grayscale/alpha/16-bit, EXIF) are
// not repeated here.
#include "analysis/engine/analyzer.h"
#include "analysis/images/internal/image_header.h"
#include "analysis/images/preprocess.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_rel_img"); }

// Random-looking content so JPEG scan data is long enough to cut in several places.
cv::Mat noise(int rows, int cols)
{
    cv::Mat m(rows, cols, CV_8UC3);
    cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(256));
    return m;
}

std::string encode(const std::string& ext, const cv::Mat& m, const std::vector<int>& params = {})
{
    std::vector<uchar> buf;
    EXPECT_TRUE(cv::imencode(ext, m, buf, params));
    return std::string(buf.begin(), buf.end());
}

std::string writeBytes(const std::string& name, const std::string& bytes)
{
    return featscale::test::writeScratch(tempDir(), name, bytes);
}

std::string errorOf(const std::string& path) { return featscale::test::decodeError(path); }

void put16be(std::string& s, std::size_t at, unsigned v)
{
    s[at] = static_cast<char>(v >> 8);
    s[at + 1] = static_cast<char>(v & 0xFF);
}

void put32le(std::string& s, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

void expectBombRefused(const std::string& name, const std::string& bytes, const std::string& dims)
{
    const auto msg = errorOf(writeBytes(name, bytes));
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    EXPECT_NE(msg.find(dims), std::string::npos) << msg;
    EXPECT_NE(msg.find("refused before decoding"), std::string::npos) << msg;
}

} // namespace

TEST(ReliabilityImages, TruncatedJpegAtSeveralCutPoints)
{
    const std::string whole = encode(".jpg", noise(64, 80));
    ASSERT_GT(whole.size(), 2000u);
    EXPECT_NO_THROW(decodeImage(writeBytes("whole.jpg", whole)));
    // inside the markers, inside the headers, inside the scan (libjpeg alone would pad these with
    // grey and report success), and just before the end-of-image marker
    for (std::size_t cut : {std::size_t(2), std::size_t(3), std::size_t(20), std::size_t(200), whole.size() / 2,
                            whole.size() - 100, whole.size() - 2, whole.size() - 1}) {
        const auto msg = errorOf(writeBytes("cut.jpg", whole.substr(0, cut)));
        EXPECT_FALSE(msg.empty()) << "truncated at " << cut << " of " << whole.size() << " decoded without error";
        EXPECT_NE(msg.find("cut.jpg"), std::string::npos) << msg;
    }
    // trailing bytes after a complete JPEG (common from cameras) are not truncation
    EXPECT_NO_THROW(decodeImage(writeBytes("trailing.jpg", whole + std::string(100, '\0'))));
}

TEST(ReliabilityImages, ProgressiveJpegCutInsideLaterScanIsRefused)
{
    const std::string whole = encode(".jpg", noise(64, 80), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    EXPECT_NO_THROW(decodeImage(writeBytes("prog.jpg", whole)));
    const auto msg = errorOf(writeBytes("prog_cut.jpg", whole.substr(0, whole.size() * 3 / 4)));
    EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
}

TEST(ReliabilityImages, WrongExtensionDecodesByContent)
{
    cv::Mat m(6, 10, CV_8UC3, cv::Scalar(10, 20, 30)); // B, G, R
    for (const auto& [name, ext] : {std::pair{"png_named.jpg", ".png"}, std::pair{"bmp_named.png", ".bmp"}}) {
        const auto img = decodeImage(writeBytes(name, encode(ext, m)));
        ASSERT_EQ(img.width, 10) << name;
        ASSERT_EQ(img.height, 6) << name;
        EXPECT_EQ(img.bgr[0], 10) << name;
        EXPECT_EQ(img.bgr[1], 20) << name;
        EXPECT_EQ(img.bgr[2], 30) << name;
    }
}

TEST(ReliabilityImages, CmykJpegBecomesBgr)
{
    // PIL writes an Adobe CMYK JPEG; C=0 M=255 Y=255 K=0 is pure red, K=255 is black.
    const auto red = (tempDir() / "cmyk_red.jpg").string();
    const auto black = (tempDir() / "cmyk_black.jpg").string();
    const std::string cmd = std::string(FEATSCALE_PYTHON) +
                            " -c \"import sys; from PIL import Image; "
                            "Image.new('CMYK',(16,8),(0,255,255,0)).save(sys.argv[1], quality=95); "
                            "Image.new('CMYK',(16,8),(0,0,0,255)).save(sys.argv[2], quality=95)\" " +
                            red + " " + black;
    if (std::system(cmd.c_str()) != 0)
        GTEST_SKIP() << "PIL not available in " << FEATSCALE_PYTHON;
    const auto r = decodeImage(red);
    ASSERT_EQ(r.width, 16);
    ASSERT_EQ(r.height, 8);
    const std::size_t mid = (4 * 16 + 8) * 3;
    EXPECT_LT(r.bgr[mid + 0], 20);  // B
    EXPECT_LT(r.bgr[mid + 1], 20);  // G
    EXPECT_GT(r.bgr[mid + 2], 235); // R
    const auto k = decodeImage(black);
    EXPECT_LT(k.bgr[mid + 0] + k.bgr[mid + 1] + k.bgr[mid + 2], 30);
}

TEST(ReliabilityImages, TinyAndExtremeAspectImagesThroughTheAnalyzer)
{
    AnalyzerOptions o;
    o.archFromWeights = false;
    o.size.value = 300; // square 300
    o.threads = 1;
    Analyzer a(o);

    const auto one = writeBytes("one.png", encode(".png", cv::Mat(1, 1, CV_8UC3, cv::Scalar(5, 6, 7))));
    const auto r1 = a.analyze(one);
    EXPECT_EQ(r1.originalWidth, 1);
    EXPECT_EQ(r1.originalHeight, 1);
    EXPECT_EQ(r1.inputWidth, 300);
    EXPECT_EQ(r1.inputHeight, 300);
    ASSERT_NE(r1.find("conv4_3"), nullptr);
    EXPECT_EQ(r1.find("conv4_3")->before.width, 38); // 300 -> 150 -> 75 -> 38 (ceil mode)

    const auto wide = writeBytes("wide.png", encode(".png", noise(10, 10000)));
    const auto r2 = a.analyze(wide);
    EXPECT_EQ(r2.originalWidth, 10000);
    EXPECT_EQ(r2.originalHeight, 10);
    EXPECT_EQ(r2.inputWidth, 300);
    EXPECT_EQ(r2.inputHeight, 300);
    ASSERT_NE(r2.find("conv4_3"), nullptr);
    EXPECT_GT(r2.find("conv4_3")->beforeStats.count, 0u);
}

TEST(ReliabilityImages, ExtremeAspectUnderShorterSideIsCappedNotExploded)
{
    // shorter side 300 on 10000x10 would ask for 300000x300; the pixel cap shrinks it and then the
    // 32-pixel minimum lifts the short side, and the note says both happened
    SizeSpec s;
    s.mode = SizeSpec::Mode::ShorterSide;
    s.value = 300;
    const auto [w, h, note] = targetSize(s, 10000, 10);
    EXPECT_LE(static_cast<double>(w) * h, 2.0 * static_cast<double>(s.maxPixels));
    EXPECT_GE(h, 32);
    EXPECT_FALSE(note.empty());
}

TEST(ReliabilityImages, BombsOfEveryFormatAreRefusedBeforeDecoding)
{
    const cv::Mat small = noise(16, 16);

    std::string jpeg = encode(".jpg", small);
    const auto sof = jpeg.find("\xFF\xC0");
    ASSERT_NE(sof, std::string::npos);
    put16be(jpeg, sof + 5, 50000); // height
    put16be(jpeg, sof + 7, 50000); // width
    expectBombRefused("bomb.jpg", jpeg, "50000x50000");

    std::string bmp = encode(".bmp", small);
    put32le(bmp, 18, 50000);
    put32le(bmp, 22, 50000);
    expectBombRefused("bomb.bmp", bmp, "50000x50000");

    // lossless WebP (VP8L): 14-bit width-1 and height-1 packed after the 0x2F signature
    std::string webp = encode(".webp", small);
    ASSERT_EQ(webp.substr(12, 4), "VP8L");
    const std::uint32_t bits = 16383u | (16383u << 14);
    put32le(webp, 21, bits);
    expectBombRefused("bomb.webp", webp, "16384x16384");

    // extended WebP (VP8X): 24-bit width-1 and height-1
    std::string vp8x = std::string("RIFF") + std::string(4, '\0') + "WEBPVP8X" + std::string("\x0A\0\0\0", 4) +
                       std::string(4, '\0') + std::string("\x4F\xC3\0\x4F\xC3\0", 6);
    expectBombRefused("bomb_x.webp", vp8x, "50000x50000");

    std::string gif = std::string("GIF89a") + std::string("\x50\xC3\x50\xC3", 4) + std::string(20, '\0');
    expectBombRefused("bomb.gif", gif, "50000x50000");

    // 32-bit PNG sides whose product overflows 64 bits (found by fuzz/image_fuzzer): still refused
    std::string huge = encode(".png", small);
    const unsigned char sides[8] = {0xF9, 0x00, 0x00, 0x06, 0xA0, 0x1B, 0xF1, 0x3A};
    huge.replace(16, 8, reinterpret_cast<const char*>(sides), 8);
    expectBombRefused("overflow.png", huge, "4177526790x2686185786");

    // a header declaring zero pixels is refused too
    std::string zero = encode(".bmp", small);
    put32le(zero, 18, 0);
    EXPECT_NE(errorOf(writeBytes("zero.bmp", zero)).find("empty image"), std::string::npos);
}

// Minimal TIFF whose first directory holds only ImageWidth (256) and ImageLength (257), built byte
// by byte from the TIFF 6.0 layout: classic (12-byte entries, SHORT or LONG values) or BigTIFF
// (20-byte entries, LONG8 values).
static std::string tiffDeclaring(bool littleEndian, bool bigTiff, int type, std::uint64_t w, std::uint64_t h)
{
    auto put = [&](std::string& s, std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) {
            const int shift = 8 * (littleEndian ? i : bytes - 1 - i);
            s += static_cast<char>((v >> shift) & 0xFF);
        }
    };
    std::string t = littleEndian ? "II" : "MM";
    const int valueBytes = type == 3 ? 2 : type == 4 ? 4 : 8;
    if (!bigTiff) {
        put(t, 42, 2);
        put(t, 8, 4); // first IFD right after the header
        put(t, 2, 2);
        for (auto [tag, v] : {std::pair<int, std::uint64_t>{256, w}, {257, h}}) {
            put(t, tag, 2);
            put(t, type, 2);
            put(t, 1, 4);
            put(t, v, valueBytes); // left-justified in the 4-byte value field
            t += std::string(4 - valueBytes, '\0');
        }
        put(t, 0, 4);
    } else {
        put(t, 43, 2);
        put(t, 8, 2); // offset size
        put(t, 0, 2);
        put(t, 16, 8); // first IFD
        put(t, 2, 8);
        for (auto [tag, v] : {std::pair<int, std::uint64_t>{256, w}, {257, h}}) {
            put(t, tag, 2);
            put(t, type, 2);
            put(t, 1, 8);
            put(t, v, valueBytes);
            t += std::string(8 - valueBytes, '\0');
        }
        put(t, 0, 8);
    }
    return t + std::string(64, '\0');
}

TEST(ReliabilityImages, TiffAndNetpbmBombsAreRefusedBeforeDecoding)
{
    expectBombRefused("bomb_le.tif", tiffDeclaring(true, false, 4, 50000, 50000), "50000x50000");
    expectBombRefused("bomb_be.tiff", tiffDeclaring(false, false, 3, 50000, 50000), "50000x50000");
    expectBombRefused("bomb_big.tif", tiffDeclaring(true, true, 16, 1ull << 20, 1ull << 20), "1048576x1048576");
    expectBombRefused("bomb_bigbe.tif", tiffDeclaring(false, true, 4, 70000, 70000), "70000x70000");
    // the directory may sit anywhere: here after 1000 bytes of padding
    std::string far = tiffDeclaring(true, false, 4, 60000, 60000);
    far.replace(4, 4, std::string("\xF0\x03\0\0", 4)); // IFD at 1008
    far = far.substr(0, 8) + std::string(1000, '\0') + far.substr(8);
    expectBombRefused("bomb_far.tif", far, "60000x60000");

    expectBombRefused("bomb.ppm", "P6\n50000 50000\n255\n" + std::string(64, '\0'), "50000x50000");
    expectBombRefused("bomb.pgm", "P5 # made by hand\n# another comment\n 50000\t50000 255\n" + std::string(8, 'x'),
                      "50000x50000");
    expectBombRefused("bomb.pbm", "P4\n200000 100000\n" + std::string(8, '\0'), "200000x100000");
    expectBombRefused("bomb.pam", "P7\nWIDTH 50000\nHEIGHT 50000\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n",
                      "50000x50000");
    // digits beyond 64 bits must not wrap into a small size
    const auto huge = errorOf(
        writeBytes("digits.ppm", "P6\n" + std::string(40, '9') + " 2\n255\n" + std::string(8, 'x')));
    EXPECT_NE(huge.find("refused before decoding"), std::string::npos) << huge;

    // a directory offset beyond the file: no size can be read, so nothing is decoded. (OpenCV's
    // own limit cannot stand in: it is read when its library loads, before any featscale code,
    // and stays at 2^30 pixels.)
    std::string lost = tiffDeclaring(true, false, 4, 10, 10);
    lost.replace(4, 4, std::string("\xFF\xFF\0\0", 4));
    const auto msg = errorOf(writeBytes("lost.tif", lost));
    EXPECT_NE(msg.find("lost.tif"), std::string::npos) << msg;
    EXPECT_NE(msg.find("gives no image size"), std::string::npos) << msg;
    // a width tag repeated with a small then a huge value: the huge one counts
    auto le = [](std::uint32_t v, int bytes) {
        std::string out;
        for (int i = 0; i < bytes; ++i)
            out += static_cast<char>((v >> (8 * i)) & 0xFF);
        return out;
    };
    std::string twice = "II*" + std::string(1, '\0') + le(8, 4) + le(3, 2);
    for (auto [tag, v] : {std::pair<int, std::uint32_t>{256, 10}, {257, 60000}, {256, 60000}})
        twice += le(tag, 2) + le(4, 2) + le(1, 4) + le(v, 4);
    twice += le(0, 4) + std::string(64, '\0');
    expectBombRefused("twice.tif", twice, "60000x60000");

    // fuzz/image_fuzzer finding #2: OpenCV's PNM reader ends a number at any byte and skips it,
    // where the first sniffer stopped at a non-space and left the size unknown; OpenCV then went
    // on to allocate 6 GB for 99949x9999 16-bit pixels
    expectBombRefused("regress-pnm-separator.ppm",
                      std::string("P6\n99949\x85"
                                  "9999<\n999\x01\0\x10"
                                  "99<\n22554\nx\x9axxxx",
                                  34),
                      "99949x9999");
    // a PAM whose WIDTH is hidden behind a second, larger one
    expectBombRefused("twice.pam", "P7\nWIDTH 2\nHEIGHT 50000\nWIDTH 50000\nDEPTH 1\nMAXVAL 255\nENDHDR\n",
                      "50000x50000");
}

TEST(ReliabilityImages, SmallTiffAndNetpbmFilesStillDecodeExactly)
{
    const cv::Mat img = noise(23, 31);
    for (const char* ext : {".tif", ".ppm", ".pam"}) {
        const auto decoded = decodeImage(writeBytes(std::string("ok") + ext, encode(ext, img)));
        ASSERT_EQ(decoded.width, 31) << ext;
        ASSERT_EQ(decoded.height, 23) << ext;
        EXPECT_EQ(std::memcmp(decoded.bgr.data(), img.data, decoded.bgr.size()), 0) << ext;
    }
    // plain (ASCII) PPM with a comment, written by hand: red, green / blue, white
    const auto ascii = decodeImage(
        writeBytes("ascii.ppm", "P3\n# 2x2\n2 2\n255\n255 0 0  0 255 0\n0 0 255  255 255 255\n"));
    ASSERT_EQ(ascii.width, 2);
    ASSERT_EQ(ascii.height, 2);
    const std::vector<unsigned char> bgr = {0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255};
    EXPECT_EQ(ascii.bgr, bgr);

    // OS/2 BMP (12-byte header, 16-bit sides), 2x2, 24-bit rows bottom-up padded to 4 bytes
    std::string os2 = std::string("BM") + std::string("\x2A\0\0\0\0\0\0\0\x1A\0\0\0", 12) +
                      std::string("\x0C\0\0\0\x02\0\x02\0\x01\0\x18\0", 12);
    os2 += std::string("\xFF\0\0\0\xFF\0\0\0", 8);     // bottom row: blue, green
    os2 += std::string("\0\0\xFF\xFF\xFF\xFF\0\0", 8); // top row: red, white
    const auto bmp = decodeImage(writeBytes("os2.bmp", os2));
    EXPECT_EQ(bmp.width, 2);
    EXPECT_EQ(bmp.height, 2);
}

TEST(ReliabilityImages, InMemoryEntryPointMatchesTheFile)
{
    const std::string png = encode(".png", noise(9, 7));
    const auto fromFile = decodeImage(writeBytes("mem.png", png));
    const auto fromBytes = decodeImageBytes("mem.png", std::vector<unsigned char>(png.begin(), png.end()));
    EXPECT_EQ(fromFile.bgr, fromBytes.bgr);
    try {
        decodeImageBytes("buffer.jpg", {});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("buffer.jpg: empty"), std::string::npos);
    }
}

// The decode error of `path` as seen by an unprivileged user. Root reads any file whatever its
// mode, so as root (CI) the decode runs in a child process that drops to nobody (65534) first.
std::string errorOfAsUnprivileged(const std::string& path)
{
    if (::geteuid() != 0)
        return errorOf(path);
    int fds[2];
    if (::pipe(fds) != 0)
        return "pipe failed";
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        std::string msg;
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0 || ::getuid() != 65534)
            msg = "could not drop privileges";
        else
            msg = errorOf(path);
        const ssize_t written = ::write(fds[1], msg.data(), msg.size());
        ::_exit(written == static_cast<ssize_t>(msg.size()) ? 0 : 1);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        msg.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return msg;
}

TEST(ReliabilityImages, UnreadableFileIsAnErrorNamingIt)
{
    const auto p = writeBytes("secret.png", encode(".png", noise(4, 4)));
    fs::permissions(p, fs::perms::none);
    const auto msg = errorOfAsUnprivileged(p);
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    EXPECT_NE(msg.find("secret.png"), std::string::npos) << msg;
    EXPECT_NE(msg.find("permission"), std::string::npos) << msg;
    // the same file readable again decodes (the error was the permission, not the content)
    EXPECT_EQ(errorOfAsUnprivileged(p).find("permission"), std::string::npos);
}
