// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// RFC 4180 quoting: fields with comma, quote or newline are quoted, quotes doubled.
std::string csvField(const std::string& s);
/// A text cell (a name) as every CSV featscale writes holds it: csvField, and a text that a
/// spreadsheet would run as a formula (starting with = + - @ TAB or CR, after any single quotes)
/// gets one more single quote in front, which spreadsheets show as text. Numbers are written with
/// csvNumber, never through here, so a negative number stays a number. csvTextValue inverts it.
std::string csvText(const std::string& s);
/// The text a csvText cell was made from (the parsed field with its added single quote removed).
std::string csvTextValue(const std::string& field);
/// A number as run files write it: shortest round-trip form (%.17g), and nan, inf, -inf.
std::string csvNumber(double v);
/// The number a whole field holds (what csvNumber writes, nan and inf included); nullopt for an
/// empty field, trailing text or anything else. std::stod alone throws (no file named) or stops
/// at the first byte it cannot read.
std::optional<double> csvNumberValue(const std::string& field);
/// Parses RFC 4180 text into rows of fields; throws Error naming source on an unterminated quote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& source);

} // namespace featscale::analysis
