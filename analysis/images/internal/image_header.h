// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/internal/boundary.h"

#include <cstdint>
#include <string>

namespace featscale::analysis {

/// What a file's first bytes say it is, read before any decoder runs: lets the engine refuse a
/// text file named .jpg or a decompression bomb (tiny file declaring 50000x50000) with a clear
/// message instead of handing it to a codec.
struct ImageHeader {
    std::string format;                   ///< "jpeg", "png", "bmp", "tiff", "webp", "gif", "pnm", "pam" or "" (unknown)
    std::int64_t width = -1, height = -1; ///< -1 when the header does not say (or was not parsed)
    bool alpha = false;                   ///< the header declares an alpha channel (PNG, WebP, 32-bit BMP)
    /// False when a JPEG has no end-of-image marker after its first scan: libjpeg would decode a
    /// file cut inside its scan data without error, padding the missing rows with grey.
    bool complete = true;
    /// Bytes one pixel takes once decoded (channels the decoder keeps times bytes per sample):
    /// with width and height, what decoding will allocate. 0 when the header does not say.
    int bytesPerPixel = 0;
    /// PNM and PAM: the decoded value of full intensity (OpenCV leaves binary samples as stored,
    /// so a white pixel of maxval 15 decodes to 15); -1 for other formats.
    std::int64_t fullScale = -1;
    /// Non-empty when the header cannot be read the way the decoder would read it (an image size
    /// of a type the sniffer does not know, an unterminated PAM header): the file is refused.
    std::string refusal;
};

/// Parses the header from the first bytes of a file (a few KiB are enough for PNG/BMP/WebP/GIF;
/// JPEG's SOF marker may come later: pass as much as is available).
ImageHeader sniffImageHeader(const unsigned char* data, std::size_t size);

} // namespace featscale::analysis
