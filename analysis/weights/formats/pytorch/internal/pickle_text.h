// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch. Decoders for the text arguments of protocol-0 opcodes
// (Python 2 era pickles): each returns false on malformed input instead of guessing.
#pragma once

#include "analysis/core/internal/boundary.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace featscale::analysis::weights::pickle {

/// STRING: a Python repr such as 'conv1\x00' or "it's" -> raw bytes.
bool decodeQuotedString(std::string_view repr, std::string& out);

/// UNICODE: raw-unicode-escape (latin-1 bytes, \uXXXX, \UXXXXXXXX) -> UTF-8.
bool decodeRawUnicodeEscape(std::string_view text, std::string& out);

/// INT / LONG / GET / PUT arguments: optional sign, decimal digits, optional trailing 'L'.
bool parseDecimal(std::string_view text, std::int64_t& out);

/// LONG literals beyond int64 (protocol 0/1 pickles of the legacy magic number): non-negative
/// decimal (optional trailing 'L', at most 1000 digits) -> little-endian two's complement bytes.
bool decimalToLittleEndian(std::string_view text, std::string& out);

/// A name from a file, safe to print in an error: at most 80 characters, non-printables as '?'.
std::string printableName(const std::string& s);

/// FLOAT: repr of a double, locale-independent.
bool parseFloat(std::string_view text, double& out);

} // namespace featscale::analysis::weights::pickle
