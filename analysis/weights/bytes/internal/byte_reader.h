// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch: the weight-file parsers built on this are fuzzed alone.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace featscale::analysis::weights {

/// A borrowed range of bytes (a mapped file or a part of it). Never owns.
struct ByteView {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

/// What a ByteReader throws when a read needs bytes beyond the end: an Error like any other, which
/// a reader trying several interpretations of a file can tell from the others (the reading that
/// ran out of bytes got to the end of the file).
class Truncated : public Error {
public:
    using Error::Error;
};

/// Cursor over a ByteView whose every read is bounds-checked. Weight files are untrusted input, so
/// running out of bytes is an ordinary outcome: it throws Truncated("<what>: truncated at byte N ...")
/// with N counted in the file's own coordinates (fileOffset is where the view starts in the file).
class ByteReader {
public:
    ByteReader(ByteView bytes, std::string what, std::uint64_t fileOffset = 0)
        : m_bytes(bytes), m_what(std::move(what)), m_base(fileOffset)
    { }

    std::size_t position() const { return m_pos; }
    std::size_t remaining() const { return m_bytes.size - m_pos; }
    bool atEnd() const { return m_pos == m_bytes.size; }
    std::uint64_t fileOffset() const { return m_base + m_pos; }
    const std::string& what() const { return m_what; }

    /// Returns a pointer to the next n bytes and advances past them.
    const std::uint8_t* take(std::uint64_t n, const char* purpose)
    {
        if (n > remaining())
            throw Truncated(m_what + ": truncated at byte " + std::to_string(m_base + m_bytes.size) + " (" + purpose +
                            " needs " + std::to_string(n) + " bytes at byte " + std::to_string(fileOffset()) +
                            ", only " + std::to_string(remaining()) + " left)");
        const std::uint8_t* p = m_bytes.data + m_pos;
        m_pos += static_cast<std::size_t>(n);
        return p;
    }

    std::uint8_t u8(const char* purpose) { return *take(1, purpose); }
    std::uint16_t u16le(const char* purpose) { return static_cast<std::uint16_t>(le(take(2, purpose), 2)); }
    std::uint32_t u32le(const char* purpose) { return static_cast<std::uint32_t>(le(take(4, purpose), 4)); }
    std::uint64_t u64le(const char* purpose) { return le(take(8, purpose), 8); }
    std::int32_t i32le(const char* purpose) { return static_cast<std::int32_t>(u32le(purpose)); }
    std::int64_t i64le(const char* purpose) { return static_cast<std::int64_t>(u64le(purpose)); }

    double f64be(const char* purpose)
    {
        const std::uint8_t* p = take(8, purpose);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | p[i];
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }

    /// Bytes up to (not including) the next '\n', which is consumed. Text opcodes of old pickles.
    std::string_view line(const char* purpose)
    {
        const void* nl = std::memchr(m_bytes.data + m_pos, '\n', remaining());
        if (!nl)
            take(remaining() + 1, purpose); // throws "truncated"
        const auto* end = static_cast<const std::uint8_t*>(nl);
        std::string_view s(reinterpret_cast<const char*>(m_bytes.data + m_pos),
                           static_cast<std::size_t>(end - (m_bytes.data + m_pos)));
        m_pos += s.size() + 1;
        return s;
    }

    /// Little-endian unsigned integer of n <= 8 bytes.
    static std::uint64_t le(const std::uint8_t* p, int n)
    {
        std::uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }

private:
    ByteView m_bytes;
    std::string m_what;
    std::uint64_t m_base = 0;
    std::size_t m_pos = 0;
};

} // namespace featscale::analysis::weights
