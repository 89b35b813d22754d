// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/hash/block_hash.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace featscale::analysis::weights {

/// MD5 (RFC 1321), incremental. Only to check files whose publisher states an MD5 (Keras'
/// VGG16 .h5 files); never used where collision resistance matters — the catalogue's own
/// entries are checked by sha256 wherever the publisher gives one.
class Md5 : public BlockHash<Md5, /*kBigEndianLength=*/false> {
public:
    Md5();
    std::string hexDigest(); ///< finalises; call once

private:
    friend class BlockHash<Md5, false>;
    void block(const unsigned char* p);
    std::array<std::uint32_t, 4> m_state{};
};

} // namespace featscale::analysis::weights
