// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace featscale::analysis {

/// A file opened for reading only when it is a regular file (through symbolic links). Opening is
/// non-blocking, so a FIFO returns at once instead of waiting for a writer, and fstat judges what
/// was opened, not a name that may change in between: a FIFO, a device such as /dev/zero, a
/// terminal, a socket or a folder is refused by its kind before a byte is read. Owns the
/// descriptor; not copyable; any thread.
class RegularFile {
public:
    /// `what` names the file in messages ("lab catalogue x.json", or the path); `hint` follows the
    /// refusal of a file that is not regular ("give a JSON file"). Throws Error
    /// "<what>: cannot open (<errno text>)" or "<what>: a FIFO, not a regular file[; hint]".
    explicit RegularFile(const std::string& path, std::string what = {}, const std::string& hint = {});
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    int fd() const { return m_fd; }
    /// The size fstat gave when the file was opened (a /proc file reads 0 and still has bytes).
    std::uint64_t size() const { return m_size; }
    const std::string& what() const { return m_what; }

    /// The whole file, as large as fstat said when it was opened (read with pread, whatever the
    /// position; a file that grew since is read to that size only). Throws Error if it shrank.
    std::string text() const;

    /// Reads the file from its current position to its end, refusing it as soon as more than
    /// `maxBytes` have really been read: the bound holds whatever size fstat gave and for a
    /// file that grows while it is read. Throws Error "<what>: more than N bytes (<limitText>)".
    std::string readAll(std::uint64_t maxBytes, const std::string& limitText);

private:
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::string m_what;
};

/// The bytes of the regular file `path`, at most maxBytes (by its size and by the bytes read);
/// errors name `what` (the path, or how the caller calls it): RegularFile's, or
/// "<what>: N bytes, over the limit of M bytes".
std::string readRegularFile(const std::string& path, std::uint64_t maxBytes, const std::string& what);

/// "a FIFO", "a character device", "a folder", ... for a stat mode that is not a regular file.
const char* fileKindText(unsigned mode);

} // namespace featscale::analysis
