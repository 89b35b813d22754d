// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/image_header.h"

#include <cstring>

namespace featscale::analysis {
namespace {

std::uint32_t be32(const unsigned char* p) { return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
std::uint32_t be16(const unsigned char* p) { return (std::uint32_t(p[0]) << 8) | p[1]; }
std::uint32_t le16(const unsigned char* p) { return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8); }
std::uint32_t le24(const unsigned char* p) { return le16(p) | (std::uint32_t(p[2]) << 16); }
std::int32_t le32s(const unsigned char* p)
{
    return static_cast<std::int32_t>(le16(p) | (le16(p + 2) << 16));
}

void sniffJpeg(const unsigned char* d, std::size_t n, ImageHeader& h)
{
    std::size_t i = 2;
    while (i + 4 <= n) {
        if (d[i] != 0xFF) {
            ++i; // tolerate fill bytes / garbage between segments
            continue;
        }
        const unsigned char marker = d[i + 1];
        if (marker == 0xFF) {
            ++i;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2;
            continue;
        }
        const std::size_t len = be16(d + i + 2);
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof && i + 9 <= n) {
            h.height = be16(d + i + 5);
            h.width = be16(d + i + 7);
            return;
        }
        if (marker == 0xDA || len < 2)
            return; // start of scan before any SOF: let the decoder judge
        i += 2 + len;
    }
}

// Walks the segments to the first start-of-scan, then looks for EOI (FF D9) after it. Inside
// entropy-coded data 0xFF is always stuffed (FF 00) or a restart marker, so FF D9 there can only
// be the real end; EOIs of thumbnails live in APP segments before the scan and are skipped.
bool jpegHasEnd(const unsigned char* d, std::size_t n)
{
    std::size_t i = 2;
    while (i + 4 <= n) {
        if (d[i] != 0xFF) {
            ++i;
            continue;
        }
        const unsigned char marker = d[i + 1];
        if (marker == 0xFF || marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += marker == 0xFF ? 1 : 2;
            continue;
        }
        if (marker == 0xD9)
            return true; // EOI before any scan: nothing to pad, the decoder reports it
        const std::size_t len = be16(d + i + 2);
        if (len < 2)
            return true; // malformed: let the decoder judge
        if (marker == 0xDA) {
            for (std::size_t k = i + 2 + len; k + 1 < n; ++k)
                if (d[k] == 0xFF && d[k + 1] == 0xD9)
                    return true;
            return false;
        }
        i += 2 + len;
    }
    return false; // ended before any scan
}

} // namespace

ImageHeader sniffImageHeader(const unsigned char* d, std::size_t n)
{
    ImageHeader h;
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        h.format = "jpeg";
        sniffJpeg(d, n, h);
        h.complete = jpegHasEnd(d, n);
    } else if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        h.format = "png";
        if (n >= 24 && std::memcmp(d + 12, "IHDR", 4) == 0) {
            h.width = be32(d + 16);
            h.height = be32(d + 20);
            h.alpha = n >= 26 && (d[25] == 4 || d[25] == 6); // gray+alpha, RGBA
        }
    } else if (n >= 2 && d[0] == 'B' && d[1] == 'M') {
        h.format = "bmp";
        if (n >= 26) {
            h.width = std::abs(static_cast<std::int64_t>(le32s(d + 18)));
            h.height = std::abs(static_cast<std::int64_t>(le32s(d + 22)));
            h.alpha = n >= 30 && le16(d + 28) == 32;
        }
    } else if (n >= 4 && (std::memcmp(d, "II*\0", 4) == 0 || std::memcmp(d, "MM\0*", 4) == 0)) {
        h.format = "tiff"; // dimensions live in an IFD anywhere in the file: OpenCV's pixel limit guards it
    } else if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
        h.format = "webp";
        if (n >= 30 && std::memcmp(d + 12, "VP8 ", 4) == 0) {
            h.width = le16(d + 26) & 0x3FFF;
            h.height = le16(d + 28) & 0x3FFF;
        } else if (n >= 25 && std::memcmp(d + 12, "VP8L", 4) == 0) {
            const std::uint32_t bits = le16(d + 21) | (le16(d + 23) << 16);
            h.width = (bits & 0x3FFF) + 1;
            h.height = ((bits >> 14) & 0x3FFF) + 1;
            h.alpha = (bits >> 28) & 1;
        } else if (n >= 30 && std::memcmp(d + 12, "VP8X", 4) == 0) {
            h.width = le24(d + 24) + 1;
            h.height = le24(d + 27) + 1;
            h.alpha = (d[20] & 0x10) != 0;
        }
    } else if (n >= 6 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0)) {
        h.format = "gif";
        if (n >= 10) {
            h.width = le16(d + 6);
            h.height = le16(d + 8);
        }
    } else if (n >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '6') {
        h.format = "pnm";
    }
    return h;
}

} // namespace featscale::analysis
