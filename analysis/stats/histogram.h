// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/layer_stats.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace featscale::analysis {

/// Fixed bin edges shared by every histogram of a run, so histograms from different images, runs
/// and machines merge exactly by adding counts. The edges are computed once, deterministically,
/// and written with every export; assignment is by binary search over those edges, never by
/// re-deriving a logarithm per value.
struct BinScheme {
    enum class Kind { Log, Linear };
    Kind kind = Kind::Log;
    double lo = 1e-3;
    double hi = 1e6;
    int binsPerDecade = 20; ///< Log only
    int bins = 100;         ///< Linear only

    std::vector<double> edges() const; ///< regular bins: edges.size() == binCount() + 1
    int binCount() const;
    std::string describe() const; ///< e.g. "log 1e-3..1e6, 20 bins/decade"
    bool operator==(const BinScheme& o) const;
    bool operator!=(const BinScheme& o) const { return !(*this == o); }

    /// "log", "log:1e-3:1e6:20", "linear:0:500:100"; throws Error.
    static BinScheme parse(const std::string& s);
    std::string toSpec() const; ///< inverse of parse()
};

/// Counts over a BinScheme plus explicit special bins:
///  - zero: values exactly 0 (common after ReLU; cannot sit on a log axis);
///  - underflow: 0 < v < lo (or v < lo for linear schemes, zero excluded);
///  - overflow: v >= hi;
///  - nan: NaN values, excluded from all other bins and reported.
/// A bin i holds edges[i] <= v < edges[i+1].
struct Histogram {
    BinScheme scheme;
    std::vector<double> edges;
    std::vector<std::uint64_t> counts;
    std::uint64_t zero = 0, underflow = 0, overflow = 0, nan = 0;

    Histogram() = default;
    explicit Histogram(const BinScheme& s);

    void add(float v);
    void addAll(const std::vector<float>& values);
    /// Exact merge; throws Error if the schemes differ.
    void merge(const Histogram& other);
    std::uint64_t total() const; ///< all values including special bins

    /// Percentile estimate from the bins: interpolation (logarithmic for log bins) inside the bin
    /// holding rank q, over the part of the bin that lies inside the data's [dataMin, dataMax]
    /// when those are given (not NaN), so the estimate never leaves the data. Special bins: zero
    /// -> 0; underflow -> inside [dataMin, lo) (below lo; [0, lo) when dataMin is unknown or 0);
    /// overflow -> inside [hi, dataMax] (hi when dataMax is unknown). Returns NaN when empty.
    double percentile(double q, double dataMin = std::numeric_limits<double>::quiet_NaN(),
                      double dataMax = std::numeric_limits<double>::quiet_NaN()) const;
    /// Fills the percentile fields of stats from this histogram, bounded by stats.min/max and
    /// non-decreasing in q, and sets percentilesFromHistogram.
    void fillPercentiles(LayerStats& stats) const;

    bool operator==(const Histogram& o) const;
};

} // namespace featscale::analysis
