// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace featscale::analysis::weights {

/// What MD5 (RFC 1321) and SHA-256 (FIPS 180-4) share: the message cut into 64-byte blocks,
/// then padded with 0x80, zeros and the message length in bits as a 64-bit number — little-endian
/// for MD5, big-endian for SHA-256. Hash provides block(const unsigned char*), its compression.
template <typename Hash, bool kBigEndianLength> class BlockHash {
public:
    void update(const unsigned char* data, std::size_t size)
    {
        m_length += size;
        while (size > 0) {
            const std::size_t take = std::min(size, m_buffer.size() - m_buffered);
            std::memcpy(m_buffer.data() + m_buffered, data, take);
            m_buffered += take;
            data += take;
            size -= take;
            if (m_buffered == m_buffer.size()) {
                static_cast<Hash*>(this)->block(m_buffer.data());
                m_buffered = 0;
            }
        }
    }

protected:
    /// Feeds the padding; the last block has gone through block() when it returns.
    void pad()
    {
        const std::uint64_t bits = m_length * 8;
        const unsigned char marker = 0x80;
        update(&marker, 1);
        const unsigned char zero = 0;
        while (m_buffered != 56)
            update(&zero, 1);
        unsigned char len[8];
        for (int i = 0; i < 8; ++i)
            len[i] = static_cast<unsigned char>(bits >> (kBigEndianLength ? 56 - 8 * i : 8 * i));
        update(len, 8);
    }

private:
    std::array<unsigned char, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

} // namespace featscale::analysis::weights
