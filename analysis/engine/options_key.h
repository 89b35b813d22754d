// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <string>

namespace featscale::analysis {

/// Every field of `options` (AnalyzerOptions, analyzer.h) in one string: equal keys mean options
/// that build the same Analyzer (the GUI reuses a loaded engine while the key is unchanged). A
/// weight file's contents are not part of the key.
std::string key(const AnalyzerOptions& options);

} // namespace featscale::analysis
