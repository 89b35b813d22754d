// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

/// featscale-cli subcommands. Each takes its arguments (after the subcommand name) and returns the
/// process exit code (see README "Exit codes": 0 ok, 1 some inputs failed, 2 usage error,
/// 3 fatal error such as unreadable weights, 128 + signal when stopped by SIGINT/SIGTERM/SIGHUP).
namespace featscale::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitFatal = 3;

int runCli(int argc, char** argv); ///< dispatches to the commands below

int cmdAnalyze(const std::vector<std::string>& args);
int cmdMerge(const std::vector<std::string>& args);
int cmdCompare(const std::vector<std::string>& args);
int cmdWeights(const std::vector<std::string>& args);
int cmdFitGamma(const std::vector<std::string>& args);
int cmdProbe(const std::vector<std::string>& args);
int cmdTrajectory(const std::vector<std::string>& args);
int cmdPlot(const std::vector<std::string>& args); ///< only in builds with the GUI library

} // namespace featscale::cli
