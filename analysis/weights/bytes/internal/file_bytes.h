// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// A weight file read whole into memory, with the SHA-256 of exactly the bytes read. Read, not
/// memory-mapped: a mapping faults (SIGBUS, killing the process) on pages that another process
/// truncates away while the file loads (`cp new.pth w.pth` during a load); a read sees the file
/// end early, and that is reported as an Error. The hash is computed over the very bytes the
/// readers parse, so a file replaced during a load can never be recorded under another's hash.
/// Costs one copy of the file in memory while its tensors are converted.
/// Throws Error naming the path (missing, not a regular file, empty, too large, changed while read).
class FileBytes {
public:
    explicit FileBytes(const std::string& path, std::uint64_t maxBytes = kMaxWeightFileBytes);

    ByteView bytes() const { return {m_bytes.data(), m_bytes.size()}; }
    const std::vector<std::uint8_t>& data() const { return m_bytes; }
    const std::string& sha256() const { return m_sha256; }
    /// Hands the bytes over (this object is left empty).
    std::vector<std::uint8_t> release() { return std::move(m_bytes); }

    /// Largest weight file featscale reads (VGG16 with its classifier is 553 MB; an SSD512 or
    /// RefineDet checkpoint with optimiser state is a few times that).
    static constexpr std::uint64_t kMaxWeightFileBytes = 4ull << 30;

private:
    std::vector<std::uint8_t> m_bytes;
    std::string m_sha256;
};

} // namespace featscale::analysis::weights
