// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <string>
#include <vector>

namespace featscale::analysis {

/// Reads a per-channel gamma from any of the forms the tools write or users bring:
///  - featscale's gamma CSV: optional "# ..." comment lines, a "channel,gamma" header, one row
///    per channel (rows may come in any order; every channel 0..n-1 exactly once);
///  - plain text: numbers separated by commas, spaces or newlines ("#" comments allowed);
///  - a weight file (any format the weight loader reads) carrying a learned L2Norm gamma, or
///    holding a single 1-D tensor (a gamma saved on its own).
/// Throws Error naming the file and the problem (unreadable, not a number at line N, missing or
/// duplicate channel, NaN/Inf, weight file without gamma, not a regular file: a FIFO or a terminal
/// would block). Never executes file content.
std::vector<float> readGammaFile(const std::string& path);

/// The learned L2Norm gammas of a weight file, by normalized layer ("conv4_3" -> 512 values; RefineDet
/// and S3FD checkpoints carry several). Empty when the file has none. Throws Error like the loader.
std::map<std::string, std::vector<float>> readLearnedGammas(const std::string& path);

/// The one check every gamma passes before use, wherever it comes from (a gamma file, a checkpoint
/// given as one, --gamma, a weight file's learned gamma, the GUI): at least one channel and every
/// value finite. Throws Error "<source>: ..." naming the first bad channel, its value and how many.
void checkGamma(const std::vector<float>& gamma, const std::string& source);

/// Writes "channel,gamma" rows preceded by one "# line" per comment, atomically (temp + rename).
/// Values are written with 9 significant digits so a float survives the round trip exactly.
void writeGammaCsv(const std::string& path, const std::vector<float>& gamma,
                   const std::vector<std::string>& comments = {});

/// Largest text gamma file read (a gamma has at most a few thousand channels).
inline constexpr long long kMaxGammaTextBytes = 16LL << 20;

} // namespace featscale::analysis
