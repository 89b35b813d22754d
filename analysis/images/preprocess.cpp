// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/images/preprocess.h"
#include "analysis/images/image_files.h"
#include "analysis/images/internal/image_header.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace featscale::analysis {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 512ull << 20;

std::vector<unsigned char> readWholeFile(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    // e.g. a symlink loop or a folder without search permission: say why, not just "missing"
    if (ec && ec != std::errc::no_such_file_or_directory)
        throw Error(path + ": cannot access (" + ec.message() + ")");
    if (ec || !fs::exists(status))
        throw Error(path + ": no such file");
    if (fs::is_directory(status))
        throw Error(path + ": is a directory, not an image");
    if (!fs::is_regular_file(status))
        throw Error(path + ": not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot read file size (" + ec.message() + ")");
    if (size == 0)
        throw Error(path + ": empty file (0 bytes)");
    if (size > kMaxFileBytes)
        throw Error(path + ": file too large for an image (" + std::to_string(size >> 20) + " MiB)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open for reading (permission denied?)");
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        throw Error(path + ": read error (file changed while reading?)");
    return bytes;
}

} // namespace

// ---- PIL's bilinear resampling (what torchvision.transforms.Resize does to a PIL image) ------
//
// Separable: a horizontal pass into 8-bit rows, then a vertical pass. Each output pixel is a
// weighted sum over the input pixels under a triangle filter centred on the output pixel's
// centre; when shrinking, the triangle is widened by the scale factor, so every input pixel
// contributes (antialiasing) instead of only the nearest two. Weights are normalised to sum 1,
// turned into 22-bit fixed point, and each pass rounds its sum to 8 bits. Matching those integer
// steps is what makes featscale's input equal, pixel for pixel, to a torchvision user's.
namespace {

constexpr int kPilPrecisionBits = 32 - 8 - 2; // 8-bit result, 2 bits of head room for overshoot

struct PilTaps {
    int ksize = 0;
    std::vector<int> first, count;     ///< per output pixel: first input pixel and number of taps
    std::vector<std::int32_t> weights; ///< outSize * ksize fixed-point weights
};

PilTaps pilTaps(int inSize, int outSize)
{
    const double scale = static_cast<double>(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 1.0 * filterScale; // triangle filter: support 1, widened when shrinking
    PilTaps t;
    t.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    t.first.resize(static_cast<std::size_t>(outSize));
    t.count.resize(static_cast<std::size_t>(outSize));
    t.weights.assign(static_cast<std::size_t>(outSize) * t.ksize, 0);
    std::vector<double> w(static_cast<std::size_t>(t.ksize));
    const double invScale = 1.0 / filterScale; // PIL multiplies by the reciprocal: same last bits
    for (int o = 0; o < outSize; ++o) {
        const double centre = (o + 0.5) * scale;
        // PIL truncates (centre -/+ support + 0.5) toward zero, then clips to the image
        const int lo = std::max(0, static_cast<int>(centre - support + 0.5));
        const int hi = std::min(inSize, static_cast<int>(centre + support + 0.5));
        const int n = hi - lo;
        double total = 0;
        for (int i = 0; i < n; ++i) {
            const double x = std::fabs((i + lo - centre + 0.5) * invScale);
            w[static_cast<std::size_t>(i)] = x < 1.0 ? 1.0 - x : 0.0;
            total += w[static_cast<std::size_t>(i)];
        }
        for (int i = 0; i < n; ++i) {
            const double k = total != 0.0 ? w[static_cast<std::size_t>(i)] / total : w[static_cast<std::size_t>(i)];
            // round half away from zero, as PIL converts its coefficients
            t.weights[static_cast<std::size_t>(o) * t.ksize + i] = static_cast<std::int32_t>(
                k < 0 ? -0.5 + k * (1 << kPilPrecisionBits) : 0.5 + k * (1 << kPilPrecisionBits));
        }
        t.first[static_cast<std::size_t>(o)] = lo;
        t.count[static_cast<std::size_t>(o)] = n;
    }
    return t;
}

// Fixed-point sum -> byte: the rounding offset is added up front, so this floors and clamps.
inline unsigned char pilClip8(std::int32_t sum)
{
    const std::int32_t v = sum >> kPilPrecisionBits;
    return static_cast<unsigned char>(std::clamp(v, 0, 255));
}

std::vector<unsigned char> pilResample(const unsigned char* src, int width, int height, int outWidth, int outHeight)
{
    // the horizontal pass (when the width changes) feeds the vertical one; no copy of the source
    const unsigned char* rows = src;
    std::vector<unsigned char> horizontal;
    int w = width;
    if (outWidth != width) {
        const PilTaps t = pilTaps(width, outWidth);
        horizontal.resize(static_cast<std::size_t>(outWidth) * height * 3);
        for (int y = 0; y < height; ++y) {
            const unsigned char* in = src + static_cast<std::size_t>(y) * width * 3;
            unsigned char* o = horizontal.data() + static_cast<std::size_t>(y) * outWidth * 3;
            for (int x = 0; x < outWidth; ++x) {
                const std::int32_t* k = &t.weights[static_cast<std::size_t>(x) * t.ksize];
                const unsigned char* p = in + static_cast<std::size_t>(t.first[static_cast<std::size_t>(x)]) * 3;
                std::int32_t s0 = 1 << (kPilPrecisionBits - 1), s1 = s0, s2 = s0;
                for (int i = 0; i < t.count[static_cast<std::size_t>(x)]; ++i) {
                    s0 += p[3 * i] * k[i];
                    s1 += p[3 * i + 1] * k[i];
                    s2 += p[3 * i + 2] * k[i];
                }
                o[3 * x] = pilClip8(s0);
                o[3 * x + 1] = pilClip8(s1);
                o[3 * x + 2] = pilClip8(s2);
            }
        }
        rows = horizontal.data();
        w = outWidth;
    }
    if (outHeight == height)
        return horizontal; // the width changed (the caller copies unchanged sizes itself)
    const PilTaps t = pilTaps(height, outHeight);
    const std::size_t stride = static_cast<std::size_t>(w) * 3;
    std::vector<unsigned char> out(static_cast<std::size_t>(outHeight) * stride);
    std::vector<std::int32_t> sums(stride);
    for (int y = 0; y < outHeight; ++y) {
        const std::int32_t* k = &t.weights[static_cast<std::size_t>(y) * t.ksize];
        std::fill(sums.begin(), sums.end(), 1 << (kPilPrecisionBits - 1));
        for (int i = 0; i < t.count[static_cast<std::size_t>(y)]; ++i) {
            const unsigned char* in = rows +
                                      static_cast<std::size_t>(t.first[static_cast<std::size_t>(y)] + i) * stride;
            for (std::size_t j = 0; j < stride; ++j)
                sums[j] += in[j] * k[i];
        }
        unsigned char* o = out.data() + static_cast<std::size_t>(y) * stride;
        for (std::size_t j = 0; j < stride; ++j)
            o[j] = pilClip8(sums[j]);
    }
    return out;
}

} // namespace

DecodedImage decodeImage(const std::string& path) { return decodeImageBytes(path, readWholeFile(path)); }

DecodedImage decodeImageBytes(const std::string& path, const std::vector<unsigned char>& bytes)
{
    if (bytes.empty())
        throw Error(path + ": empty file (0 bytes)");
    const ImageHeader header = sniffImageHeader(bytes.data(), bytes.size());
    if (header.format.empty())
        throw Error(path + ": not an image (content is not " + decodableFormatsText() + ")");
    // The header is the gate: nothing is decoded whose declared size has not been checked here.
    // OpenCV's own limit (OPENCV_IO_MAX_IMAGE_PIXELS) is read once when its library loads, before
    // any code of ours runs, so it stays at OpenCV's default of 2^30 pixels and cannot stand in.
    if (!header.refusal.empty())
        throw Error(path + ": " + header.refusal + "; refused before decoding");
    if (header.width < 0 || header.height < 0)
        throw Error(path + ": " + header.format + " header gives no image size (damaged or unsupported variant)");
    if (header.width == 0 || header.height == 0)
        throw Error(path + ": " + header.format + " header declares an empty image");
    // divide rather than multiply: PNG declares 32-bit sides, whose product overflows int64
    if (header.width > 0 && header.height > 0 && header.width > kMaxDecodePixels / header.height)
        throw Error(path + ": " + header.format + " declares " + std::to_string(header.width) + "x" +
                    std::to_string(header.height) + " pixels, over the limit of " +
                    std::to_string(kMaxDecodePixels / 1000000) + " megapixels; refused before decoding");
    // pixels <= 1e8 here, so the product cannot overflow
    const std::int64_t bytesPerPixel = header.bytesPerPixel > 0 ? header.bytesPerPixel : 4;
    if (header.width * header.height * bytesPerPixel > kMaxDecodeBytes)
        throw Error(path + ": " + header.format + " declares " + std::to_string(header.width) + "x" +
                    std::to_string(header.height) + " pixels of " + std::to_string(bytesPerPixel) +
                    " bytes each once decoded, over the limit of " + std::to_string(kMaxDecodeBytes / 1000000) +
                    " MB; refused before decoding");
    if (!header.complete)
        throw Error(path + ": truncated " + header.format + " (no end-of-image marker after the image data)");
    if (header.format == "gif")
        throw Error(path + ": GIF images are not supported (readable formats: " + decodableFormatsText() + ")");

    cv::Mat mat;
    try {
        // ANYDEPTH|ANYCOLOR keeps 16-bit and grayscale as stored; EXIF orientation is applied
        // because the flags are not IMREAD_UNCHANGED.
        mat = cv::imdecode(bytes, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
    } catch (const cv::Exception& e) {
        throw Error(path + ": cannot decode " + header.format + " (" + e.err + ")");
    }
    if (mat.empty())
        throw Error(path + ": cannot decode " + header.format + " (truncated or corrupt file)");
    if (mat.cols != header.width || mat.rows != header.height) {
        // EXIF orientation swaps the sides; anything else means the decoder read another size
        const bool swapped = mat.cols == header.height && mat.rows == header.width;
        if (!swapped)
            throw Error(path + ": " + header.format + " decoded to " + std::to_string(mat.cols) + "x" +
                        std::to_string(mat.rows) + " pixels although its header declares " +
                        std::to_string(header.width) + "x" + std::to_string(header.height));
    }

    DecodedImage out;
    out.path = path;
    std::string note;
    if (header.fullScale > 0 && header.fullScale != (mat.depth() == CV_16U ? 65535 : 255)) {
        // PNM/PAM samples as stored: full intensity is maxval, whatever the file's bit depth
        mat.convertTo(mat, CV_8U, 255.0 / static_cast<double>(header.fullScale));
        note = "maxval " + std::to_string(header.fullScale) + " scaled to 255";
    } else if (mat.depth() == CV_16U) {
        mat.convertTo(mat, CV_8U, 1.0 / 257.0);
        note = "16-bit scaled to 8-bit";
    } else if (mat.depth() == CV_32F || mat.depth() == CV_64F) {
        mat.convertTo(mat, CV_8U, 255.0);
        note = "floating-point image scaled to 8-bit";
    } else if (mat.depth() != CV_8U) {
        mat.convertTo(mat, CV_8U);
    }
    if (mat.channels() == 1) {
        cv::cvtColor(mat, mat, cv::COLOR_GRAY2BGR);
        note += std::string(note.empty() ? "" : "; ") + "grayscale replicated to 3 channels";
    } else if (mat.channels() == 4) {
        cv::cvtColor(mat, mat, cv::COLOR_BGRA2BGR);
    } else if (mat.channels() != 3) {
        throw Error(path + ": unsupported channel count " + std::to_string(mat.channels()));
    }
    if (header.alpha)
        note += std::string(note.empty() ? "" : "; ") + "alpha channel ignored";
    out.width = mat.cols;
    out.height = mat.rows;
    out.note = note;
    out.bgr.resize(static_cast<std::size_t>(mat.total()) * 3);
    cv::Mat dst(mat.rows, mat.cols, CV_8UC3, out.bgr.data());
    mat.copyTo(dst);
    return out;
}

DecodedImage decodedFromBgr(const std::string& name, const unsigned char* bgr, int width, int height)
{
    if (!bgr || width <= 0 || height <= 0)
        throw Error(name + ": empty image");
    DecodedImage out;
    out.path = name;
    out.width = width;
    out.height = height;
    out.bgr.assign(bgr, bgr + static_cast<std::size_t>(width) * height * 3);
    return out;
}

TargetSize targetSize(const SizeSpec& spec, int width, int height)
{
    TargetSize t;
    constexpr int kMinSide = 32; // pool5 needs at least one cell
    switch (spec.mode) {
    case SizeSpec::Mode::Square:
        t.width = t.height = spec.value; // capped below like every other size
        break;
    case SizeSpec::Mode::ShorterSide: {
        // torchvision's Resize(N): the shorter side becomes N, the longer int(N * long / short),
        // rounded down (400x266 at short:301 is 452x301, not 453x301)
        const int shortSide = std::min(width, height), longSide = std::max(width, height);
        const int scaledLong = std::max(1, static_cast<int>(static_cast<double>(spec.value) * longSide / shortSide));
        t.width = width <= height ? spec.value : scaledLong;
        t.height = width <= height ? scaledLong : spec.value;
        break;
    }
    case SizeSpec::Mode::Original:
        t.width = width;
        t.height = height;
        break;
    }
    const double pixels = static_cast<double>(t.width) * t.height;
    if (pixels > static_cast<double>(spec.maxPixels)) {
        const double s = std::sqrt(static_cast<double>(spec.maxPixels) / pixels);
        const int w = std::max(1, static_cast<int>(std::floor(t.width * s)));
        const int h = std::max(1, static_cast<int>(std::floor(t.height * s)));
        t.note = "resized from " + std::to_string(t.width) + "x" + std::to_string(t.height) + " to " +
                 std::to_string(w) + "x" + std::to_string(h) + ": over the cap of " + std::to_string(spec.maxPixels) +
                 " pixels";
        t.width = w;
        t.height = h;
    }
    if (t.width < kMinSide || t.height < kMinSide) {
        const double s = static_cast<double>(kMinSide) / std::min(t.width, t.height);
        t.width = std::max(kMinSide, static_cast<int>(std::lround(t.width * s)));
        t.height = std::max(kMinSide, static_cast<int>(std::lround(t.height * s)));
        t.note = "enlarged to " + std::to_string(t.width) + "x" + std::to_string(t.height) +
                 ": VGG16 needs at least 32 pixels per side";
    }
    return t;
}

PresetConstants presetConstants(Preset preset)
{
    switch (preset) {
    case Preset::Caffe:
        return {{104.f, 117.f, 123.f}, {1.f, 1.f, 1.f}, /*divisor=*/1.f, /*rgb=*/false};
    case Preset::CaffeRgb:
        return {{123.f, 117.f, 104.f}, {1.f, 1.f, 1.f}, /*divisor=*/1.f, /*rgb=*/true};
    case Preset::Torchvision:
        return {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}, /*divisor=*/255.f, /*rgb=*/true};
    }
    throw Error("unknown preset");
}

std::vector<unsigned char> resizeForPreset(const DecodedImage& image, Preset preset, int width, int height)
{
    if (width == image.width && height == image.height)
        return image.bgr;
    if (preset == Preset::Torchvision)
        return pilResample(image.bgr.data(), image.width, image.height, width, height);
    const cv::Mat src(image.height, image.width, CV_8UC3, const_cast<unsigned char*>(image.bgr.data()));
    std::vector<unsigned char> out(static_cast<std::size_t>(width) * height * 3);
    cv::Mat dst(height, width, CV_8UC3, out.data());
    cv::resize(src, dst, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
    return out;
}

PreparedImage prepare(const DecodedImage& image, Preset preset, const SizeSpec& size)
{
    PreparedImage out;
    out.path = image.path;
    out.originalWidth = image.width;
    out.originalHeight = image.height;
    std::string note;
    const TargetSize target = targetSize(size, image.width, image.height);
    out.width = target.width;
    out.height = target.height;
    note = target.note;
    out.note = image.note;
    if (!note.empty())
        out.note += (out.note.empty() ? "" : "; ") + note;

    const std::vector<unsigned char> resizedBgr = resizeForPreset(image, preset, out.width, out.height);
    const cv::Mat resized(out.height, out.width, CV_8UC3, const_cast<unsigned char*>(resizedBgr.data()));

    const PresetConstants k = presetConstants(preset);
    const auto& mean = k.mean;
    const auto& stdev = k.stdev;
    const float divisor = k.divisor;
    const bool rgb = k.rgb;
    const std::size_t plane = static_cast<std::size_t>(out.width) * out.height;
    out.chw.resize(3 * plane);
    for (int y = 0; y < out.height; ++y) {
        const unsigned char* row = resized.ptr<unsigned char>(y);
        for (int x = 0; x < out.width; ++x) {
            const std::size_t idx = static_cast<std::size_t>(y) * out.width + x;
            for (int c = 0; c < 3; ++c) {
                // channel c of the network input comes from BGR byte (rgb ? 2-c : c)
                const float v = row[3 * x + (rgb ? 2 - c : c)];
                out.chw[c * plane + idx] = (v / divisor - mean[c]) / stdev[c];
            }
        }
    }
    return out;
}

} // namespace featscale::analysis
