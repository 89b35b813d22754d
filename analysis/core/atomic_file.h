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

private:
    void flushBuffer();
    [[noreturn]] void fail(const char* what, int err);

    std::string m_path;
    std::string m_tmp;
    std::string m_buffer;
    int m_fd = -1;
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
