// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the benchmark figures: timing with warm-up and min/median, JSON result lines.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace featscale::bench {

/// Wall-clock timings of repeated runs. Ratios are taken between medians of interleaved runs of
/// both sides (bench/run.sh), so a burst of load from other processes moves neither side alone.
struct Timing {
    double minMs = 0;
    double medianMs = 0;
    std::vector<double> runsMs;
};

/// Runs fn once untimed (first-call allocations, primitive creation), then `repeat` timed runs.
Timing timeRuns(int repeat, const std::function<void()>& fn);

/// Median of a non-empty sample (the upper middle value for even sizes).
double median(std::vector<double> values);

/// Prints one result as a JSON line on stdout (run.sh collects them; report.py builds the table).
void emit(const nlohmann::json& line);

/// Command-line options of a figure: --key value pairs, with defaults.
class Options {
public:
    Options(int argc, char** argv); ///< argv[0] is the figure name
    std::string str(const std::string& key, const std::string& fallback = {}) const;
    int integer(const std::string& key, int fallback) const;
    std::vector<int> integers(const std::string& key, const std::string& fallback) const; ///< "224,300"
    std::vector<std::string> list(const std::string& key, const std::string& fallback) const;

private:
    std::map<std::string, std::string> m_values;
};

/// Hardware threads, the thread count both sides of every comparison use.
int cores();

// Figures, one per file.
int runEngineFigure(const Options& o); ///< forward + all statistics (vs torch_reference.py)
int runGammaFigure(const Options& o);  ///< new gamma -> after-stats + histogram
int runSgemmFigure(const Options& o);  ///< BLAS sgemm GFLOP/s and which BLAS is loaded
int runOpenCvFigure(const Options& o); ///< the same VGG16 in cv::dnn vs featscale
int runImageFolder(const Options& o);  ///< writes a folder of generated images

} // namespace featscale::bench
