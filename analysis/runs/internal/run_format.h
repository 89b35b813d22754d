// SPDX-License-Identifier: GPL-3.0-or-later
// Constants of the run-directory format shared by its writer
// (run_writer.cpp) and reader (run_io.cpp).
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/file_names.h"

#include <string>

namespace featscale::analysis {

/// The image column's value for rows aggregated over all images. No image's column can equal it:
/// see imageField.
inline constexpr const char* kAllImages = "*";
/// The histograms of the region records of annotated runs (histograms.csv's columns, with the
/// region after the stage); absent when no image had regions.
inline constexpr const char* kRegionHistogramsFile = "region_histograms.csv";
/// Bumped when a change would make older featscale misread a run directory. Version 2: names and
/// messages are written with escapeFileName (version 1 wrote them raw, and failed on non-UTF-8).
inline constexpr int kFormatVersion = 2;
/// The first version whose names and messages are escaped.
inline constexpr int kFirstEscapedVersion = 2;

/// How an image's name appears in the image column and in the JSON files: escaped (lossless and
/// valid UTF-8), and an image named "*" written as \x2a so that it can never be read as the
/// aggregate marker.
inline std::string imageField(const std::string& name)
{
    const std::string escaped = escapeFileName(name);
    return escaped == kAllImages ? std::string("\\x2a") : escaped;
}

} // namespace featscale::analysis
