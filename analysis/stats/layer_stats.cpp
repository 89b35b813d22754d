// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/layer_stats.h"
#include "analysis/core/types.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {

double LayerStats::mean() const
{
    return count ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

double LayerStats::stddev() const
{
    if (!count)
        return std::numeric_limits<double>::quiet_NaN();
    return std::sqrt(std::max(0.0, m2 / static_cast<double>(count)));
}

double LayerStats::meanAbs() const
{
    return elements ? sumAbs / static_cast<double>(elements) : std::numeric_limits<double>::quiet_NaN();
}

double percentileSorted(const std::vector<float>& sorted, double q)
{
    if (sorted.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const double rank = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = rank - static_cast<double>(lo);
    return static_cast<double>(sorted[lo]) + frac * (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo]));
}

LayerStats LayerStats::of(const std::vector<float>& values)
{
    LayerStats s;
    std::vector<float> finite;
    finite.reserve(values.size());
    for (float v : values) {
        if (std::isnan(v)) {
            ++s.nans;
            continue;
        }
        finite.push_back(v);
        const double d = v;
        s.sum += d;
        s.sumSquares += d * d;
        if (v == 0.0f)
            ++s.zeros;
    }
    s.count = finite.size();
    if (finite.empty())
        return s;
    // second pass: deviations from the mean (plus the pass's own rounding correction, which
    // makes it exact for data whose mean is representable)
    const double m = s.sum / static_cast<double>(s.count);
    double dev = 0, dev2 = 0;
    for (float v : finite) {
        const double d = static_cast<double>(v) - m;
        dev += d;
        dev2 += d * d;
    }
    s.m2 = std::max(0.0, dev2 - dev * dev / static_cast<double>(s.count));
    // Order statistics by selection instead of a full sort (the largest maps have 260k cells):
    // the ranks are visited in increasing order, so each nth_element only partitions what lies
    // above the previous one, and the upper neighbour of a rank is the minimum of the rest.
    const auto [lo, hi] = std::minmax_element(finite.begin(), finite.end());
    s.min = *lo;
    s.max = *hi;
    double* fields[7] = {&s.p1, &s.p5, &s.p25, &s.p50, &s.p75, &s.p95, &s.p99};
    auto from = finite.begin();
    for (int i = 0; i < 7; ++i) {
        const double rank = kPercentiles[i] / 100.0 * static_cast<double>(finite.size() - 1);
        const auto k = static_cast<std::size_t>(std::floor(rank));
        const auto nth = finite.begin() + static_cast<std::ptrdiff_t>(k);
        std::nth_element(from, nth, finite.end());
        const double a = *nth;
        const double frac = rank - static_cast<double>(k);
        const double b = frac > 0 && k + 1 < finite.size() ? *std::min_element(nth + 1, finite.end()) : a;
        *fields[i] = a + frac * (b - a);
        from = nth;
    }
    return s;
}

LayerStats LayerStats::mergeExact(const LayerStats& a, const LayerStats& b)
{
    LayerStats s;
    if (__builtin_add_overflow(a.count, b.count, &s.count) || __builtin_add_overflow(a.zeros, b.zeros, &s.zeros) ||
        __builtin_add_overflow(a.nans, b.nans, &s.nans))
        throw Error("value counts exceed 2^64 - 1 when merged");
    s.sum = a.sum + b.sum;
    s.sumSquares = a.sumSquares + b.sumSquares;
    // A side with values but no element count comes from a run that did not record mean_abs: a
    // sum over only the other side's images would pass for the whole aggregate's.
    const bool aLacks = a.elements == 0 && a.count + a.nans > 0, bLacks = b.elements == 0 && b.count + b.nans > 0;
    if (!aLacks && !bLacks) {
        if (__builtin_add_overflow(a.elements, b.elements, &s.elements))
            throw Error("element counts exceed 2^64 - 1 when merged");
        s.sumAbs = a.sumAbs + b.sumAbs;
    }
    if (a.count == 0 || b.count == 0) {
        s.m2 = a.m2 + b.m2;
    } else {
        const double na = static_cast<double>(a.count), nb = static_cast<double>(b.count);
        const double delta = b.sum / nb - a.sum / na;
        s.m2 = a.m2 + b.m2 + delta * delta * (na * nb / (na + nb));
    }
    auto pick = [](double x, double y, bool wantMin) {
        if (std::isnan(x))
            return y;
        if (std::isnan(y))
            return x;
        return wantMin ? std::min(x, y) : std::max(x, y);
    };
    s.min = pick(a.min, b.min, true);
    s.max = pick(a.max, b.max, false);
    return s;
}

} // namespace featscale::analysis
