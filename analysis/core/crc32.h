// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace featscale::analysis {

/// CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320) as zip stores it. Pass the previous
/// result as `crc` to continue over more bytes.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

} // namespace featscale::analysis
