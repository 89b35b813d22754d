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

/// escapeFileName that also escapes what a terminal or a text file would obey rather than show:
/// C0 controls (ESC, BEL, CR, LF, TAB …), DEL, the C1 controls U+0080–U+009F and the bidirectional
/// overrides U+202A–U+202E and U+2066–U+2069 become `\xNN` per byte. For every name or text taken
/// from a file that is printed to a terminal or into a one-line message: such a text can neither
/// retitle or clear the terminal nor forge a line. Lossless too (unescapeFileName inverts it).
std::string printable(std::string_view bytes);

/// A text from a file as a one-line message may quote it: printable() of at most its first `shown`
/// bytes, then "... (N bytes)" when there are more. A name or key in a file can be as long as the file;
/// a message about it stays a few dozen bytes whatever the file holds.
std::string excerpt(std::string_view bytes, std::size_t shown = 60);

/// The inverse of escapeFileName (and of printable): `\\` becomes a backslash and `\xNN` the byte NN. Throws Error
/// (naming `source`) on any other backslash sequence.
std::string unescapeFileName(std::string_view text, const std::string& source);

/// The value of one hexadecimal digit (either case), or -1.
int hexDigitValue(char c);

/// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool isUtf8(std::string_view bytes);

} // namespace featscale::analysis
