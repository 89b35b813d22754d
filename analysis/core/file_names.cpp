// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/file_names.h"

#include "analysis/core/types.h"

#include <algorithm>

namespace featscale::analysis {
namespace {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when the byte there does not
// start one (the table of well-formed byte sequences in the Unicode standard, chapter 3).
std::size_t sequenceLength(std::string_view s, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf; // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf)
        n = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 3;
        if (b0 == 0xe0)
            lo = 0xa0; // no overlong forms
        if (b0 == 0xed)
            hi = 0x9f; // no surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 4;
        if (b0 == 0xf0)
            lo = 0x90;
        if (b0 == 0xf4)
            hi = 0x8f; // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf)
            return 0;
    return n;
}

} // namespace

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isUtf8(std::string_view bytes)
{
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = sequenceLength(bytes, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

namespace {

// A sequence a terminal obeys or a reader cannot see: C0 controls, DEL, C1 controls, bidi overrides.
bool isControlSequence(std::string_view s)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (s.size() == 1)
        return b(0) < 0x20 || b(0) == 0x7f;
    if (s.size() == 2)
        return b(0) == 0xc2 && b(1) < 0xa0;
    if (s.size() == 3 && b(0) == 0xe2)
        return (b(1) == 0x80 && b(2) >= 0xaa && b(2) <= 0xae) || (b(1) == 0x81 && b(2) >= 0xa6 && b(2) <= 0xa9);
    return false;
}

std::string escaped(std::string_view bytes, bool controls)
{
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        if (bytes[i] == '\\') {
            out += "\\\\";
            ++i;
            continue;
        }
        std::size_t n = sequenceLength(bytes, i);
        const bool escape = n == 0 || (controls && isControlSequence(bytes.substr(i, n)));
        if (!escape) {
            out.append(bytes.substr(i, n));
            i += n;
            continue;
        }
        for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k) {
            const auto b = static_cast<unsigned char>(bytes[i + k]);
            out += "\\x";
            out += kHex[b >> 4];
            out += kHex[b & 15];
        }
        i += std::max<std::size_t>(n, 1);
    }
    return out;
}

} // namespace

std::string escapeFileName(std::string_view bytes) { return escaped(bytes, /*controls=*/false); }

std::string printable(std::string_view bytes) { return escaped(bytes, /*controls=*/true); }

std::string excerpt(std::string_view bytes, std::size_t shown)
{
    if (bytes.size() <= shown)
        return printable(bytes);
    return printable(bytes.substr(0, shown)) + "... (" + std::to_string(bytes.size()) + " bytes)";
}

std::string unescapeFileName(std::string_view text, const std::string& source)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '\\') {
            out += '\\';
            ++i;
            continue;
        }
        if (i + 3 < text.size() && text[i + 1] == 'x') {
            const int a = hexDigitValue(text[i + 2]), b = hexDigitValue(text[i + 3]);
            if (a >= 0 && b >= 0) {
                out += static_cast<char>(a * 16 + b);
                i += 3;
                continue;
            }
        }
        throw Error(source + ": malformed escape in name '" + std::string(text) +
                    "' (a backslash must start \\\\ or \\xNN)");
    }
    return out;
}

} // namespace featscale::analysis
