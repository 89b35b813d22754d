// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// A file's image in memory of which only the ranges asked for are read: the image spans the whole
/// file (an anonymous, never-committed mapping), so parsers written for a file held whole (ZipArchive)
/// work on it unchanged, while memory and I/O are only what fetch() read. Reading just the γ records
/// of a 100 MB checkpoint costs a few hundred kB. Pages never fetched read as zeros, so a caller
/// must fetch every range before it is parsed (ZipArchive::Prefetch does).
/// A file that shrinks below a fetched range while it is read is an Error naming it (never a
/// SIGBUS, since the file itself is not mapped). Not thread-safe.
class SparseFile {
public:
    /// Opens path (a regular file, not empty, at most maxBytes). Throws Error naming the path.
    explicit SparseFile(const std::string& path, std::uint64_t maxBytes = 4ull << 30);
    ~SparseFile();
    SparseFile(const SparseFile&) = delete;
    SparseFile& operator=(const SparseFile&) = delete;

    /// Reads [offset, offset + size) clipped to the file into the image, in whole 64 kB blocks,
    /// each at most once.
    void fetch(std::uint64_t offset, std::uint64_t size);
    ByteView bytes() const { return {m_data, m_size}; }
    std::uint64_t size() const { return m_size; }
    std::uint64_t bytesRead() const { return m_read; }
    const std::string& path() const { return m_path; }

    static constexpr std::uint64_t kBlock = 64 * 1024;

private:
    std::string m_path;
    int m_fd = -1;
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
    std::uint64_t m_read = 0;
    std::vector<bool> m_fetched; ///< one per block
};

} // namespace featscale::analysis::weights
