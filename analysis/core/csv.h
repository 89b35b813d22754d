// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace featscale::analysis {

/// RFC 4180 quoting: fields with comma, quote or newline are quoted, quotes doubled.
std::string csvField(const std::string& s);
/// A number as run files write it: shortest round-trip form (%.17g), and nan, inf, -inf.
std::string csvNumber(double v);
/// Parses RFC 4180 text into rows of fields; throws Error naming source on an unterminated quote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& source);

} // namespace featscale::analysis
