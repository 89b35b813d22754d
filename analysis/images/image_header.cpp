// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/images/internal/image_header.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace featscale::analysis {
namespace {

std::uint32_t be32(const unsigned char* p) { return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
std::uint32_t be16(const unsigned char* p) { return (std::uint32_t(p[0]) << 8) | p[1]; }
std::uint32_t le16(const unsigned char* p) { return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8); }
std::uint32_t le24(const unsigned char* p) { return le16(p) | (std::uint32_t(p[2]) << 16); }
std::int32_t le32s(const unsigned char* p) { return static_cast<std::int32_t>(le16(p) | (le16(p + 2) << 16)); }

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
            h.bytesPerPixel = i + 10 <= n ? std::max(3, static_cast<int>(d[i + 9])) : 4; // gray is made RGB
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

// TIFF and BigTIFF: the first image file directory (IFD), which may sit anywhere in the file,
// holds ImageWidth (tag 256), ImageLength (257), BitsPerSample (258) and SamplesPerPixel (277).
// libtiff reads these from any integer type (BYTE, SHORT, LONG, LONG8 and their signed forms),
// so the sniffer does too; a size of any other type or count, or a negative one, is refused. A
// tag given twice keeps its largest value: whichever one the decoder believes has been checked.
// OpenCV decodes the first directory only, so that is the one whose size counts.
void sniffTiff(const unsigned char* d, std::size_t n, ImageHeader& h)
{
    const bool little = d[0] == 'I';
    auto u16 = [&](std::size_t at) -> std::uint64_t { return little ? le16(d + at) : be16(d + at); };
    auto u32 = [&](std::size_t at) -> std::uint64_t {
        return little ? (u16(at) | (u16(at + 2) << 16)) : ((u16(at) << 16) | u16(at + 2));
    };
    auto u64 = [&](std::size_t at) -> std::uint64_t {
        return little ? (u32(at) | (u32(at + 4) << 32)) : ((u32(at) << 32) | u32(at + 4));
    };
    const bool big = u16(2) == 43;
    if (big && (n < 16 || u16(4) != 8))
        return;
    const std::uint64_t ifd = big ? u64(8) : u32(4);
    const std::size_t countBytes = big ? 8 : 2, entryBytes = big ? 20 : 12;
    if (ifd < 8 || ifd > n || n - ifd < countBytes)
        return;
    constexpr std::int64_t kCap = std::int64_t{1} << 40; // no overflow in the pixel check
    // One integer of the given TIFF type at `at`; nullopt for a non-integer type, -1 if negative.
    auto integer = [&](std::uint64_t type, std::size_t at) -> std::optional<std::int64_t> {
        switch (type) {
        case 1:
            return static_cast<std::int64_t>(d[at]); // BYTE
        case 6:
            return static_cast<std::int8_t>(d[at]) < 0 ? -1 : static_cast<std::int64_t>(d[at]); // SBYTE
        case 3:
            return static_cast<std::int64_t>(u16(at)); // SHORT
        case 8:
            return static_cast<std::int16_t>(u16(at)) < 0 ? -1 : static_cast<std::int64_t>(u16(at));
        case 4:
        case 13:
            return static_cast<std::int64_t>(u32(at)); // LONG, IFD
        case 9:
            return static_cast<std::int32_t>(u32(at)) < 0 ? -1 : static_cast<std::int64_t>(u32(at));
        case 16:
        case 17:
        case 18: // LONG8, SLONG8, IFD8
            if (!big)
                return std::nullopt;
            if (type == 17 && static_cast<std::int64_t>(u64(at)) < 0)
                return -1;
            return static_cast<std::int64_t>(std::min<std::uint64_t>(u64(at), kCap));
        default:
            return std::nullopt;
        }
    };
    auto typeSize = [](std::uint64_t type) -> std::uint64_t {
        switch (type) {
        case 1:
        case 6:
            return 1;
        case 3:
        case 8:
            return 2;
        case 4:
        case 9:
        case 13:
            return 4;
        case 16:
        case 17:
        case 18:
            return 8;
        default:
            return 0;
        }
    };
    std::int64_t bits = 1, samples = 1;
    const std::uint64_t entries = big ? u64(ifd) : u16(ifd);
    for (std::uint64_t k = 0; k < entries; ++k) {
        const std::uint64_t at = ifd + countBytes + k * entryBytes;
        if (at > n || n - at < entryBytes)
            return;
        const std::uint64_t tag = u16(at), type = u16(at + 2);
        const std::uint64_t count = big ? u64(at + 4) : u32(at + 4);
        const std::size_t value = at + (big ? 12 : 8);
        if (tag != 256 && tag != 257 && tag != 258 && tag != 277)
            continue;
        const char* name = tag == 256   ? "ImageWidth"
                           : tag == 257 ? "ImageLength"
                           : tag == 258 ? "BitsPerSample"
                                        : "SamplesPerPixel";
        if (tag == 258) {
            // one value per sample, inline when they fit in the value field, else at an offset:
            // the largest is what the decoder's buffers are sized by
            const std::uint64_t size = typeSize(type);
            if (size == 0 || count == 0 || count > 64) {
                h.refusal = std::string("TIFF ") + name + " of type " + std::to_string(type) + " and count " +
                            std::to_string(count) + " cannot be read";
                return;
            }
            const std::uint64_t inlineBytes = big ? 8 : 4;
            std::uint64_t where = value;
            if (count * size > inlineBytes) {
                where = big ? u64(value) : u32(value);
                if (where > n || n - where < count * size) {
                    h.refusal = "TIFF BitsPerSample values lie outside the file";
                    return;
                }
            }
            for (std::uint64_t c = 0; c < count; ++c)
                bits = std::max(bits, integer(type, static_cast<std::size_t>(where + c * size)).value_or(-1));
            continue;
        }
        const auto v = integer(type, value);
        if (!v || count != 1 || *v < 0) {
            h.refusal = std::string("TIFF ") + name + " of type " + std::to_string(type) + " and count " +
                        std::to_string(count) +
                        (v && *v < 0 ? " is negative" : " cannot be read as the decoder reads it");
            return;
        }
        if (tag == 256)
            h.width = std::max(h.width, *v);
        else if (tag == 257)
            h.height = std::max(h.height, *v);
        else
            samples = std::max(samples, *v);
    }
    if (bits < 1 || bits > 64 || samples < 1 || samples > 64) {
        h.refusal = "TIFF declares " + std::to_string(samples) + " samples of " + std::to_string(bits) + " bits";
        return;
    }
    // OpenCV keeps at most 4 channels, of 1, 2, 4 or 8 bytes
    const int bytesPerSample = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
    h.bytesPerPixel = static_cast<int>(std::max<std::int64_t>(3, std::min<std::int64_t>(samples, 4))) * bytesPerSample;
}

// Netpbm P1-P6, read the way OpenCV's decoder reads it (so both see the same size): before a
// number, white space and '#' comments are skipped and any other byte ends the header; the
// digits are followed by exactly one byte of any value, which is consumed.
void sniffPnm(const unsigned char* d, std::size_t n, ImageHeader& h)
{
    std::size_t i = 2;
    auto isSpace = [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
    };
    auto number = [&]() -> std::int64_t {
        for (;;) {
            if (i >= n)
                return -1;
            if (d[i] == '#') {
                while (i < n && d[i] != '\n' && d[i] != '\r')
                    ++i;
                ++i;
            } else if (isSpace(d[i])) {
                ++i;
            } else {
                break;
            }
        }
        if (d[i] < '0' || d[i] > '9')
            return -1;
        std::int64_t v = 0;
        for (; i < n && d[i] >= '0' && d[i] <= '9'; ++i)
            v = std::min<std::int64_t>(v * 10 + (d[i] - '0'), std::int64_t{1} << 40); // no overflow
        ++i; // the byte after the digits, whatever it is
        return v;
    };
    const std::int64_t w = number();
    const std::int64_t hh = w < 0 ? -1 : number();
    if (w >= 0 && hh >= 0) {
        h.width = w;
        h.height = hh;
    }
    const char kind = static_cast<char>(d[1]);
    if (kind == '1' || kind == '4') { // bitmaps decode to 0 and 255
        h.fullScale = 255;
        h.bytesPerPixel = 3;
        return;
    }
    const std::int64_t maxval = hh < 0 ? -1 : number();
    if (maxval < 1 || maxval > 65535) {
        h.refusal = "PNM maxval " + std::to_string(maxval) + " is not between 1 and 65535";
        return;
    }
    // OpenCV scales ASCII samples of maxval < 256 to 0-255 itself; all others it leaves as stored
    const bool ascii = kind == '2' || kind == '3';
    h.fullScale = ascii && maxval < 256 ? 255 : maxval;
    h.bytesPerPixel = 3 * (maxval > 255 ? 2 : 1); // gray is made RGB
}

// PAM (P7): "WIDTH n", "HEIGHT n", "DEPTH n" and "MAXVAL n" lines before ENDHDR, which may come
// after any number of comment lines: the whole header is read, and a file without ENDHDR is
// refused. A field given twice keeps its largest value, so whichever one a decoder believes has
// been checked; a missing field leaves -1.
void sniffPam(const unsigned char* d, std::size_t n, ImageHeader& h)
{
    const std::string_view all(reinterpret_cast<const char*>(d), n);
    const std::size_t end = all.find("ENDHDR");
    if (end == std::string_view::npos) {
        h.refusal = "PAM header has no ENDHDR line";
        return;
    }
    const std::string_view head = all.substr(0, end);
    auto field = [&](std::string_view name) -> std::int64_t {
        std::int64_t best = -1;
        for (auto at = head.find(name); at != std::string_view::npos; at = head.find(name, at + 1)) {
            if (at > 0 && !std::isspace(static_cast<unsigned char>(head[at - 1])))
                continue;
            std::size_t i = at + name.size();
            if (i >= head.size() || !std::isspace(static_cast<unsigned char>(head[i])))
                continue;
            while (i < head.size() && (head[i] == ' ' || head[i] == '\t'))
                ++i;
            if (i >= head.size() || head[i] < '0' || head[i] > '9')
                continue;
            std::int64_t v = 0;
            for (; i < head.size() && head[i] >= '0' && head[i] <= '9'; ++i)
                v = std::min<std::int64_t>(v * 10 + (head[i] - '0'), std::int64_t{1} << 40);
            best = std::max(best, v);
        }
        return best;
    };
    h.width = field("WIDTH");
    h.height = field("HEIGHT");
    const std::int64_t depth = field("DEPTH"), maxval = field("MAXVAL");
    if (depth < 1 || depth > 4 || maxval < 1 || maxval > 65535) {
        h.refusal = "PAM declares depth " + std::to_string(depth) + " and maxval " + std::to_string(maxval) +
                    " (depth 1-4 and maxval 1-65535 are readable)";
        return;
    }
    h.fullScale = maxval;
    h.bytesPerPixel = static_cast<int>(std::max<std::int64_t>(3, depth)) * (maxval > 255 ? 2 : 1);
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
            // decoded: 3 or 4 channels (gray is made RGB), of 2 bytes at bit depth 16
            h.bytesPerPixel = n >= 26 ? ((d[25] == 0 || d[25] == 2) ? 3 : 4) * (d[24] == 16 ? 2 : 1) : 8;
        }
    } else if (n >= 2 && d[0] == 'B' && d[1] == 'M') {
        h.format = "bmp";
        h.bytesPerPixel = 4;
        if (n >= 22 && le16(d + 14) == 12 && le16(d + 16) == 0) { // OS/2 BITMAPCOREHEADER: 16-bit sides
            h.width = le16(d + 18);
            h.height = le16(d + 20);
        } else if (n >= 26) {
            h.width = std::abs(static_cast<std::int64_t>(le32s(d + 18)));
            h.height = std::abs(static_cast<std::int64_t>(le32s(d + 22)));
            h.alpha = n >= 30 && le16(d + 28) == 32;
        }
    } else if (n >= 8 && (std::memcmp(d, "II*\0", 4) == 0 || std::memcmp(d, "MM\0*", 4) == 0 ||
                          std::memcmp(d, "II+\0", 4) == 0 || std::memcmp(d, "MM\0+", 4) == 0)) {
        h.format = "tiff";
        sniffTiff(d, n, h);
    } else if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
        h.format = "webp";
        h.bytesPerPixel = 4;
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
        sniffPnm(d, n, h);
    } else if (n >= 3 && d[0] == 'P' && d[1] == '7' && (d[2] == '\n' || d[2] == '\r' || d[2] == ' ')) {
        h.format = "pam";
        sniffPam(d, n, h);
    }
    return h;
}

} // namespace featscale::analysis
