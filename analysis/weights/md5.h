// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace featscale::analysis::weights {

/// MD5 (RFC 1321), incremental. Only to check files whose publisher states an MD5 (Keras'
/// VGG16 .h5 files); never used where collision resistance matters — the catalogue's own
/// entries are checked by sha256 wherever the publisher gives one.
class Md5 {
public:
    Md5();
    void update(const unsigned char* data, std::size_t size);
    std::string hexDigest(); ///< finalises; call once

private:
    void block(const unsigned char* p);
    std::array<std::uint32_t, 4> m_state{};
    std::array<unsigned char, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

} // namespace featscale::analysis::weights
