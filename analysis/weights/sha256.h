// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace featscale::analysis::weights {

/// SHA-256 (FIPS 180-4), incremental. Identifies weight files in exports and sessions.
class Sha256 {
public:
    Sha256();
    void update(const unsigned char* data, std::size_t size);
    std::string hexDigest(); ///< finalises; call once

private:
    void block(const unsigned char* p);
    std::array<std::uint32_t, 8> m_state{};
    std::array<unsigned char, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

/// Hex sha256 of a file's bytes. Throws Error naming the file when it cannot be read.
std::string sha256File(const std::string& path);

} // namespace featscale::analysis::weights
