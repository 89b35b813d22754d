// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace featscale::analysis {

/// Writes content to path atomically: a temporary file in the same folder, flushed and fsync'ed,
/// then renamed over path. On any failure (full disk, read-only folder, permission) the temporary
/// file is removed, an earlier file at path is left intact, and Error names the path and the cause.
void writeFileAtomically(const std::string& path, const std::string& content);

/// Creates a directory (and parents) or throws Error naming it.
void ensureDirectory(const std::string& path);

} // namespace featscale::analysis
