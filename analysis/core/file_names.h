// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace featscale::analysis {

/// File names on Linux are bytes, not text: `caf\xe9.jpg` (Latin-1) is a valid name that is not
/// UTF-8, and JSON and CSV readers expect UTF-8. escapeFileName writes any byte string as valid
/// UTF-8 without losing anything: well-formed UTF-8 sequences are kept as they are, every other
/// byte becomes `\xNN` (two lowercase hex digits) and a backslash becomes `\\`. Names that are
/// already UTF-8 and hold no backslash -- nearly all -- are unchanged. Used for every name and
/// message written into run files, so that no name can fail a run.
std::string escapeFileName(std::string_view bytes);

/// The inverse of escapeFileName: `\\` becomes a backslash and `\xNN` the byte NN. Throws Error
/// (naming `source`) on any other backslash sequence.
std::string unescapeFileName(std::string_view text, const std::string& source);

/// The value of one hexadecimal digit (either case), or -1.
int hexDigitValue(char c);

/// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool isUtf8(std::string_view bytes);

} // namespace featscale::analysis
