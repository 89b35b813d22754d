// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace featscale::analysis {

/// The bytes of a regular file of at most maxBytes. The file is opened non-blocking and judged by
/// fstat of what was opened, so a FIFO or a device never hangs the reader; a directory, FIFO,
/// device or socket, a file over the limit, or one that grows past it while read throws Error
/// naming `what` (the path, or how the caller calls it) and the problem.
std::string readBoundedFile(const std::string& path, std::uint64_t maxBytes, const std::string& what);

} // namespace featscale::analysis
