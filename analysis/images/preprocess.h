// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis {

/// A decoded image, 8-bit BGR, EXIF orientation applied. Plain data.
struct DecodedImage {
    std::string path;
    int width = 0, height = 0;
    std::vector<unsigned char> bgr; ///< height * width * 3
    std::string note;               ///< e.g. "16-bit scaled to 8-bit", "alpha dropped"
};

/// The network's input: float CHW planes in the preset's channel order, plus geometry.
struct PreparedImage {
    std::string path;
    int originalWidth = 0, originalHeight = 0;
    int width = 0, height = 0;
    std::vector<float> chw; ///< 3 * height * width
    std::string note;
};

/// Largest image a file may declare before decoding is refused (decompression-bomb guard).
inline constexpr std::int64_t kMaxDecodePixels = 100'000'000;
/// Largest decoded size a file may declare (pixels times the bytes per pixel its header gives:
/// channels kept times bytes per sample): 100 megapixels of 8-bit RGBA. A 10000x10000 float32
/// TIFF or a 16-bit RGBA PNG of that size is refused before decoding.
inline constexpr std::int64_t kMaxDecodeBytes = 400'000'000;

/// Reads JPEG/PNG/BMP/TIFF/WebP (grayscale, alpha, 16-bit, EXIF orientation). Throws Error
/// naming the file and the problem (missing, empty, not an image, truncated, too large).
DecodedImage decodeImage(const std::string& path);

/// decodeImage on bytes already in memory (same checks and messages; name is used in them).
/// Lets the fuzz targets and callers holding a buffer skip the file system.
DecodedImage decodeImageBytes(const std::string& name, const std::vector<unsigned char>& bytes);
/// Wraps caller-owned BGR pixels.
DecodedImage decodedFromBgr(const std::string& name, const unsigned char* bgr, int width, int height);

/// The network input size for an image under a SizeSpec.
struct TargetSize {
    int width = 0, height = 0;
    std::string note; ///< set when a pixel cap or the 32-pixel minimum changed the size
};
/// short:N follows torchvision's Resize(N): shorter side N, longer side int(N * long / short)
/// (rounded down).
TargetSize targetSize(const SizeSpec& spec, int width, int height);

/// The preset's resize of 8-bit BGR pixels to width x height (a copy when the size is unchanged):
///  - Torchvision: PIL's bilinear resampling, what transforms.Resize does to a PIL image (triangle
///    filter widened by the scale factor when shrinking, so it antialiases; 8-bit rounding after
///    the horizontal and after the vertical pass), so the input equals a torchvision user's;
///  - Caffe, CaffeRgb: OpenCV INTER_LINEAR (two nearest pixels, no antialiasing), what Caffe SSD's
///    and ssd.pytorch's data layers do.
std::vector<unsigned char> resizeForPreset(const DecodedImage& image, Preset preset, int width, int height);

/// Resize (resizeForPreset) and normalise for a preset.
///  - Caffe:       BGR order, value = pixel - (104, 117, 123)
///  - CaffeRgb:    RGB order, value = pixel - (123, 117, 104)
///  - Torchvision: RGB order, value = (pixel / 255 - (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)
PreparedImage prepare(const DecodedImage& image, Preset preset, const SizeSpec& size);

/// A preset's normalisation: value = (pixel / divisor - mean[c]) / stdev[c], channels in the
/// network's order.
struct PresetConstants {
    std::array<float, 3> mean{};
    std::array<float, 3> stdev{}; ///< 1 for the caffe presets
    float divisor = 1;            ///< applied to 0-255 pixels first: 255 for torchvision, 1 for caffe
    bool rgb = false;             ///< network channel c is BGR byte 2 - c (else c)
};
PresetConstants presetConstants(Preset preset);

} // namespace featscale::analysis
