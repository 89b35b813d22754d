// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace featscale::analysis::weights {

/// Read-only view of a zip archive held in memory (a mapped file), as torch.save writes them:
/// entries STORED (uncompressed), optionally zip64. Reads the central directory only and validates
/// every offset and size against the archive's length, so a damaged or hostile archive produces an
/// Error, never an out-of-range read. Compressed or encrypted entries are refused when their data
/// is asked for: PyTorch never writes them, and inflating would let a small file expand. Entry data
/// is checked against its CRC-32 (once per entry), so a damaged file is refused rather than read
/// as wrong weights.
class ZipArchive {
public:
    struct Entry {
        std::string name;
        std::uint64_t localHeaderOffset = 0;
        std::uint64_t compressedSize = 0;
        std::uint64_t uncompressedSize = 0;
        std::uint16_t method = 0;
        std::uint16_t flags = 0;
        std::uint32_t crc32 = 0;
    };

    /// Called with a byte range [offset, offset + size) of the archive before the archive reads
    /// it, for an archive image whose bytes are read from the file on demand (SparseFile): the
    /// reader of one record then costs that record's bytes, not the file's. Ranges may reach past
    /// the end; the callee clips them.
    using Prefetch = std::function<void(std::uint64_t offset, std::uint64_t size)>;

    /// `path` prefixes errors. Throws Error if the central directory is missing or inconsistent.
    /// verifyCrc = false only for fuzzing, where checksums would stop most mutated inputs early.
    ZipArchive(ByteView archive, std::string path, bool verifyCrc = true, Prefetch prefetch = {});

    const std::vector<Entry>& entries() const { return m_entries; }
    const Entry* find(const std::string& name) const;

    /// The bytes of a stored entry and their offset in the archive; throws Error on a CRC mismatch.
    ByteView data(const Entry& e, std::uint64_t* fileOffset = nullptr) const;

private:
    void readCentralDirectory();
    [[noreturn]] void fail(const std::string& problem) const;

    ByteView m_archive;
    std::string m_path;
    std::vector<Entry> m_entries;
    std::unordered_map<std::string, std::size_t> m_index; ///< name -> first entry with it
    bool m_verifyCrc = true;
    mutable std::vector<bool> m_crcChecked;
    Prefetch m_prefetch;
    void need(std::uint64_t offset, std::uint64_t size) const
    {
        if (m_prefetch)
            m_prefetch(offset, size);
    }
};

} // namespace featscale::analysis::weights
