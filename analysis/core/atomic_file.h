// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace featscale::analysis {

/// A file written in pieces (a run that streams rows as images finish) and replaced atomically:
/// everything goes to a temporary file next to path; nothing at path changes until publish().
/// Destroying an unpublished StagedFile removes the temporary, leaving any earlier file intact.
/// Every failure throws Error naming path and the cause ("...; any earlier file is unchanged").
///
/// What path names decides how it is written; a rename never replaces anything but a regular file:
///  - absent, or a regular file: replaced atomically as above;
///  - a symbolic link (or a chain of them) to a regular file: the file the link names is replaced
///    atomically in its own folder and the link stays; a link to a missing file is refused;
///  - a FIFO or a character device (/dev/null, a terminal, a pipe), directly or through links:
///    written into as a stream, opened without truncation or creation and never renamed over
///    (a FIFO without a reader is refused rather than waited on);
///  - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N, directly or through links: written
///    into the process's descriptor N as it is (offset and append mode kept);
///  - anything else (a directory, a socket, a block device): refused, naming what it is.
/// A streamed file cannot be taken back: a failure midway leaves what was written.
class StagedFile {
public:
    explicit StagedFile(std::string path);
    ~StagedFile();
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;

    void append(std::string_view data); ///< buffered; written out in large blocks
    void finish();                      ///< writes the rest, fsync, close
    void publish();                     ///< finish() if needed, then renames over path
    const std::string& path() const { return m_path; }
    /// True when the output is written into path as a stream (a device, FIFO or descriptor).
    bool streamed() const { return m_streamed; }

private:
    void flushBuffer();
    [[noreturn]] void fail(const char* what, int err);

    std::string m_path;
    std::string m_target; ///< the regular file renamed over (path, or what its links name)
    std::string m_tmp;
    std::string m_buffer;
    int m_fd = -1;
    bool m_streamed = false;
    bool m_finished = false;
    bool m_published = false;
};

/// finish() on every file, then publish() on every file: a failure while writing any of them
/// changes none of their targets.
void publishAll(const std::vector<StagedFile*>& files);

/// Writes content to path atomically: a temporary file in the same folder, flushed and fsync'ed,
/// then renamed over path. On any failure (full disk, read-only folder, permission) the temporary
/// file is removed, an earlier file at path is left intact, and Error names the path and the cause.
void writeFileAtomically(const std::string& path, const std::string& content);

/// Writes several files so that a failure changes none of them: every file goes to a flushed
/// temporary first, and only when all are written are they renamed over their targets (a run
/// directory is never left mixing new and old files when the disk fills up mid-export).
/// Throws Error naming the file that failed; all temporaries are removed.
void writeFilesAtomically(const std::vector<std::pair<std::string, std::string>>& files);

/// Creates a directory (and parents) or throws Error naming it.
void ensureDirectory(const std::string& path);

} // namespace featscale::analysis
