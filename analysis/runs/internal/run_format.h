// SPDX-License-Identifier: GPL-3.0-or-later
// Constants of the run-directory format shared by its writer
// (run_writer.cpp) and reader (run_io.cpp).
#pragma once

#include "analysis/core/internal/boundary.h"

namespace featscale::analysis {

/// The image column's value for rows aggregated over all images.
inline constexpr const char* kAllImages = "*";
/// Bumped when a change would make older featscale misread a run directory.
inline constexpr int kFormatVersion = 1;

} // namespace featscale::analysis
