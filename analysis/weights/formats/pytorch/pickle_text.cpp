// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/pickle_text.h"

#include "analysis/core/file_names.h"

#include <charconv>
#include <limits>

namespace featscale::analysis::weights::pickle {
namespace {

bool readHex(std::string_view s, std::size_t& i, int digits, std::uint32_t& value)
{
    if (i + static_cast<std::size_t>(digits) > s.size())
        return false;
    value = 0;
    for (int k = 0; k < digits; ++k) {
        const int d = hexDigitValue(s[i++]);
        if (d < 0)
            return false;
        value = value * 16 + static_cast<std::uint32_t>(d);
    }
    return true;
}

bool appendUtf8(std::uint32_t cp, std::string& out)
{
    if (cp > 0x10ffff)
        return false;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
    return true;
}

} // namespace

bool decodeQuotedString(std::string_view repr, std::string& out)
{
    out.clear();
    if (repr.size() < 2 || (repr.front() != '\'' && repr.front() != '"') || repr.back() != repr.front())
        return false;
    const std::string_view body = repr.substr(1, repr.size() - 2);
    for (std::size_t i = 0; i < body.size();) {
        const char c = body[i++];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= body.size())
            return false;
        const char e = body[i++];
        switch (e) {
        case '\\':
            out += '\\';
            break;
        case '\'':
            out += '\'';
            break;
        case '"':
            out += '"';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'v':
            out += '\v';
            break;
        case 'x': {
            std::uint32_t v = 0;
            if (!readHex(body, i, 2, v))
                return false;
            out += static_cast<char>(v);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                std::uint32_t v = static_cast<std::uint32_t>(e - '0');
                for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k)
                    v = v * 8 + static_cast<std::uint32_t>(body[i++] - '0');
                out += static_cast<char>(v & 0xff);
            } else {
                return false;
            }
        }
    }
    return true;
}

bool decodeRawUnicodeEscape(std::string_view text, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
            const int digits = text[i + 1] == 'u' ? 4 : 8;
            i += 2;
            std::uint32_t cp = 0;
            if (!readHex(text, i, digits, cp) || !appendUtf8(cp, out))
                return false;
            continue;
        }
        appendUtf8(c, out); // latin-1 byte
        ++i;
    }
    return true;
}

bool parseDecimal(std::string_view text, std::int64_t& out)
{
    if (!text.empty() && text.back() == 'L')
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return false;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool decimalToLittleEndian(std::string_view text, std::string& out)
{
    if (!text.empty() && text.back() == 'L')
        text.remove_suffix(1);
    if (text.empty() || text.size() > 1000)
        return false;
    std::string digits;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        digits += static_cast<char>(c - '0');
    }
    // Schoolbook division of the decimal digit string by 256, collecting remainders.
    out.clear();
    while (!(digits.size() == 1 && digits[0] == 0)) {
        std::string quotient;
        int rem = 0;
        for (char d : digits) {
            const int cur = rem * 10 + d;
            if (!quotient.empty() || cur / 256)
                quotient += static_cast<char>(cur / 256);
            rem = cur % 256;
        }
        out += static_cast<char>(rem);
        if (quotient.empty())
            break;
        digits = quotient;
    }
    if (out.empty() || (static_cast<unsigned char>(out.back()) & 0x80))
        out += '\0'; // keep it positive in two's complement
    return true;
}

std::string printableName(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 80))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

bool parseFloat(std::string_view text, double& out)
{
    if (text.empty())
        return false;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

} // namespace featscale::analysis::weights::pickle
