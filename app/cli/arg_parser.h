// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace featscale::cli {

/// Thrown for command-line mistakes; the message is printed with the command's usage hint.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A small argv parser: `--name value`, `--name=value`, boolean `--flag`, and positionals.
/// Every option must be declared, so typos are reported instead of ignored.
class ArgParser {
public:
    ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags);
    void parse(const std::vector<std::string>& args); ///< throws UsageError

    bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
    std::optional<std::string> value(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback) const;
    int intValue(const std::string& name, int fallback, int lo, int hi) const; ///< throws UsageError
    double doubleValue(const std::string& name, double fallback) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

private:
    std::set<std::string> m_valueOptions, m_flagNames;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positionals;
};

/// Options every analysing command shares (--arch, --weights, --preset, --size, --layers,
/// --l2norm, --gamma, --gamma-file, --eps, --bins, --threads, --seed).
std::set<std::string> engineValueOptions();
/// Help text for those options.
std::string engineOptionsHelp();
/// Builds AnalyzerOptions from parsed engine options; throws analysis::Error or UsageError.
analysis::AnalyzerOptions engineOptions(const ArgParser& args);

/// Parses the arguments of an analysing command: the engine options, `values` and `flags` of its
/// own, and --help. Returns std::nullopt when --help was given (the help is printed to stdout).
std::optional<ArgParser> parseEngineCommand(const std::vector<std::string>& argv, std::set<std::string> values,
                                            std::set<std::string> flags, const char* help);

/// Prints the weights' summary and their warnings (shape fixes, NaN/Inf parameters) to stderr,
/// and for featscale's default weights a warning that they are UNTRAINED, followed by `consequence`
/// (what that means for this command's output).
void reportWeights(const analysis::WeightInfo& weights, const std::string& consequence);

/// Prints the topology (its name, title and the definition it follows), every normalized layer with
/// where its gamma came from (learned, given, the topology's init) and the eps mode to stderr.
void reportModel(const analysis::Analyzer& analyzer);

/// expandInputs() for an analysing command: prints each problem to stderr after `problemPrefix`
/// ("FAILED", "warning:"), hands them to the caller through `problems` when given, and throws
/// UsageError when no image is left.
std::vector<std::string> imageInputs(const std::vector<std::string>& positionals, const std::string& problemPrefix,
                                     std::vector<std::string>* problems = nullptr);

/// Expands files and directories (recursively; image extensions only; symlinked directories are
/// not followed, so loops cannot occur) into a sorted, de-duplicated list. Unreadable directories
/// are reported in `problems` and skipped.
std::vector<std::string> expandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& problems);

} // namespace featscale::cli
