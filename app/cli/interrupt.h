// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace featscale::cli {

/// Stop requests for long commands: while an InterruptScope lives, SIGINT (Ctrl-C), SIGTERM (what
/// Slurm sends at the time limit and Kubernetes on stop) and SIGHUP (a closed terminal or ssh
/// session) set a flag instead of killing the process, so a command can stop between images and
/// still write what it has. Exit with exitCode(): 128 + the signal, as a shell reports it.
class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    static bool requested(); ///< a stop signal arrived since the scope began
    static int signal();     ///< the first one (0 if none)
    static int exitCode();   ///< 128 + signal(): 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP
};

} // namespace featscale::cli
