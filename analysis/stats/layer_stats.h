// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace featscale::analysis {

/// Summary of a set of per-location norms.
///
/// count/min/max/zeros/nans combine exactly across images (mergeExact()); sum and sumSquares are
/// added, and the spread is kept as m2 = sum of squared deviations from the mean, computed per
/// image in two passes and combined with Chan et al.'s pairwise update, so std does not come from
/// sumSquares/n - mean^2 (which cancels to rounding noise when all values are nearly equal). The
/// percentiles of a single image are exact (linear interpolation between order statistics, as
/// numpy.percentile's default); those of an aggregate over several images come from its histogram.
struct LayerStats {
    std::uint64_t count = 0; ///< finite values
    std::uint64_t zeros = 0; ///< values exactly 0 (counted in count too)
    std::uint64_t nans = 0;  ///< NaN values: excluded from everything else, reported here
    double sum = 0.0;
    double sumSquares = 0.0;
    double m2 = 0.0; ///< sum of (value - mean)^2 over the finite values
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    double p1 = 0, p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0, p99 = 0;
    bool percentilesFromHistogram = false;
    /// Caffe's magnitude (what its debug_info log prints per blob): the sum of |x| over every element
    /// of the layer's activation, all channels and locations, and how many elements that is. Not a
    /// statistic of the norms, so of() leaves both 0; the engine fills them. elements == 0 with
    /// values present means "not recorded" (runs written before mean_abs).
    double sumAbs = 0.0;
    std::uint64_t elements = 0;

    double mean() const;
    double stddev() const;  ///< population standard deviation
    double meanAbs() const; ///< sumAbs / elements; NaN when not recorded

    /// Exact summary of values (NaNs counted and excluded).
    static LayerStats of(const std::vector<float>& values);
    /// Combines a and b: counts, min and max exactly, sums added (a first), m2 by the pairwise
    /// update m2 = m2a + m2b + (mean_b - mean_a)^2 * na * nb / n. sumAbs and elements add like sum,
    /// unless either side holds values without them (then the merge has none). Percentiles are left
    /// for the caller.
    static LayerStats mergeExact(const LayerStats& a, const LayerStats& b);

    static constexpr double kPercentiles[7] = {1, 5, 25, 50, 75, 95, 99};
};

/// Linear-interpolated percentile q in [0,100] of sorted finite data (numpy's default method).
double percentileSorted(const std::vector<float>& sorted, double q);

} // namespace featscale::analysis
