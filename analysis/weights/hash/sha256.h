// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/hash/block_hash.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace featscale::analysis::weights {

/// SHA-256 (FIPS 180-4), incremental. Identifies weight files in exports and sessions.
class Sha256 : public BlockHash<Sha256, /*kBigEndianLength=*/true> {
public:
    Sha256();
    std::string hexDigest(); ///< finalises; call once

private:
    friend class BlockHash<Sha256, true>;
    void block(const unsigned char* p);
    std::array<std::uint32_t, 8> m_state{};
};

/// Hex sha256 of a file's bytes. Throws Error naming the file when it cannot be read.
std::string sha256File(const std::string& path);

} // namespace featscale::analysis::weights
