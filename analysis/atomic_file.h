// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace featscale::analysis {

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
