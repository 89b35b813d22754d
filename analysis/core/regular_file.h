// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace featscale::analysis {

/// A file opened for reading that must be a regular file (through links), its size known before a
/// byte is read: what every reader of featscale's own output directories (runs, trajectories)
/// opens. O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer, and
/// fstat judges what was opened, not a name that may change in between. /dev/zero (endless) and a
/// FIFO (never ending, or waiting forever) are refused by name, followed by `hint` (what the
/// directory should hold). Any thread; one object per thread.
class RegularFile {
public:
    RegularFile(std::string path, const std::string& hint); ///< throws Error naming path
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    std::uint64_t size() const { return m_size; }
    /// The whole file, as large as fstat said (a file that grew since is read to that size only).
    std::string text() const;

private:
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

} // namespace featscale::analysis
