// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace featscale::cli {

/// Ctrl-C handling for long commands: while an InterruptScope lives, SIGINT sets a flag instead
/// of killing the process, so a command can stop between images and still write what it has.
class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    static bool requested(); ///< Ctrl-C was pressed since the scope began
};

} // namespace featscale::cli
