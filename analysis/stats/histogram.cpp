// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/histogram.h"
#include "analysis/core/types.h"
#include "analysis/stats/histogram_density.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace featscale::analysis {

int BinScheme::binCount() const
{
    if (kind == Kind::Linear)
        return bins;
    return static_cast<int>(std::lround((std::log10(hi) - std::log10(lo)) * binsPerDecade));
}

std::vector<double> BinScheme::edges() const
{
    const int n = binCount();
    std::vector<double> e(static_cast<std::size_t>(n) + 1);
    if (kind == Kind::Linear) {
        const double step = (hi - lo) / n;
        for (int i = 0; i <= n; ++i)
            e[static_cast<std::size_t>(i)] = lo + step * i;
    } else {
        const double e0 = std::log10(lo);
        for (int i = 0; i <= n; ++i)
            e[static_cast<std::size_t>(i)] = std::pow(10.0, e0 + static_cast<double>(i) / binsPerDecade);
    }
    e.front() = lo;
    e.back() = hi;
    return e;
}

std::string BinScheme::toSpec() const
{
    char buf[128];
    if (kind == Kind::Log)
        std::snprintf(buf, sizeof buf, "log:%.17g:%.17g:%d", lo, hi, binsPerDecade);
    else
        std::snprintf(buf, sizeof buf, "linear:%.17g:%.17g:%d", lo, hi, bins);
    return buf;
}

std::string BinScheme::describe() const
{
    char buf[128];
    if (kind == Kind::Log)
        std::snprintf(buf, sizeof buf, "log %g..%g, %d bins/decade (%d bins, each x%.4f wide)", lo, hi, binsPerDecade,
                      binCount(), std::pow(10.0, 1.0 / binsPerDecade));
    else
        std::snprintf(buf, sizeof buf, "linear %g..%g, %d bins of %g", lo, hi, bins, (hi - lo) / bins);
    return buf;
}

bool BinScheme::operator==(const BinScheme& o) const
{
    return kind == o.kind && lo == o.lo && hi == o.hi &&
           (kind == Kind::Log ? binsPerDecade == o.binsPerDecade : bins == o.bins);
}

BinScheme BinScheme::parse(const std::string& s)
{
    std::vector<std::string> parts;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ':'))
        parts.push_back(item);
    auto number = [&](const std::string& p) {
        char* end = nullptr;
        const double v = std::strtod(p.c_str(), &end);
        if (p.empty() || *end != '\0' || !std::isfinite(v))
            throw Error("invalid bin spec '" + s + "': '" + p + "' is not a number");
        return v;
    };
    BinScheme b;
    if (parts.empty() || (parts[0] != "log" && parts[0] != "linear"))
        throw Error("invalid bin spec '" + s + "' (valid: log, log:LO:HI:BINS_PER_DECADE, linear:LO:HI:BINS)");
    if (parts[0] == "linear") {
        b.kind = Kind::Linear;
        b.lo = 0;
        b.hi = 1000;
        b.bins = 100;
    }
    if (parts.size() == 1)
        return b;
    if (parts.size() != 4)
        throw Error("invalid bin spec '" + s + "': expected " + parts[0] +
                    ":LO:HI:" + (b.kind == Kind::Log ? "BINS_PER_DECADE" : "BINS"));
    b.lo = number(parts[1]);
    b.hi = number(parts[2]);
    const double n = number(parts[3]);
    if (n < 1 || n > 10000 || n != std::floor(n))
        throw Error("invalid bin spec '" + s + "': bin count must be a whole number from 1 to 10000");
    if (!(b.hi > b.lo) || (b.kind == Kind::Log && b.lo <= 0))
        throw Error("invalid bin spec '" + s + "': need 0 < LO < HI for log bins, LO < HI for linear");
    (b.kind == Kind::Log ? b.binsPerDecade : b.bins) = static_cast<int>(n);
    if (b.binCount() < 1 || b.binCount() > 100000)
        throw Error("invalid bin spec '" + s + "': results in " + std::to_string(b.binCount()) + " bins");
    return b;
}

Histogram::Histogram(const BinScheme& s)
    : scheme(s), edges(s.edges()), counts(static_cast<std::size_t>(s.binCount()), 0)
{ }

void Histogram::add(float value)
{
    if (std::isnan(value)) {
        ++nan;
        return;
    }
    if (value == 0.0f) {
        ++zero;
        return;
    }
    const double v = value;
    if (v < edges.front()) {
        ++underflow;
        return;
    }
    if (v >= edges.back()) {
        ++overflow;
        return;
    }
    // edges[i] <= v < edges[i+1]
    const auto it = std::upper_bound(edges.begin(), edges.end(), v);
    ++counts[static_cast<std::size_t>(it - edges.begin() - 1)];
}

void Histogram::addAll(const std::vector<float>& values)
{
    for (float v : values)
        add(v);
}

void Histogram::merge(const Histogram& other)
{
    if (other.scheme != scheme || other.edges != edges)
        throw Error("cannot merge histograms with different bins (" + scheme.describe() + " vs " +
                    other.scheme.describe() + ")");
    // Counts that would wrap past 2^64 - 1 (only a forged run can hold them) are refused before
    // anything changed: a wrapped count would pass every later check.
    Histogram sum = *this;
    bool wrapped = false;
    for (std::size_t i = 0; i < counts.size(); ++i)
        wrapped |= __builtin_add_overflow(sum.counts[i], other.counts[i], &sum.counts[i]);
    wrapped |= __builtin_add_overflow(sum.zero, other.zero, &sum.zero);
    wrapped |= __builtin_add_overflow(sum.underflow, other.underflow, &sum.underflow);
    wrapped |= __builtin_add_overflow(sum.overflow, other.overflow, &sum.overflow);
    wrapped |= __builtin_add_overflow(sum.nan, other.nan, &sum.nan);
    if (wrapped)
        throw Error("histogram counts exceed 2^64 - 1 when merged");
    sum.total(); // throws when the bins together exceed it
    *this = std::move(sum);
}

std::uint64_t Histogram::total() const
{
    std::uint64_t t = 0;
    bool wrapped = __builtin_add_overflow(zero, underflow, &t);
    wrapped |= __builtin_add_overflow(t, overflow, &t);
    wrapped |= __builtin_add_overflow(t, nan, &t);
    for (auto c : counts)
        wrapped |= __builtin_add_overflow(t, c, &t);
    if (wrapped)
        throw Error("histogram counts exceed 2^64 - 1 in total");
    return t;
}

double Histogram::percentile(double q, double dataMin, double dataMax) const
{
    const std::uint64_t finite = total() - nan;
    if (finite == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const bool log = scheme.kind == BinScheme::Kind::Log;
    // Interpolates rank fraction f across [a, b], the part of a bin the data can occupy.
    auto inside = [&](double a, double b, double f) {
        if (!std::isnan(dataMin))
            a = std::max(a, dataMin);
        if (!std::isnan(dataMax))
            b = std::min(b, dataMax);
        if (!(b > a))
            return std::isnan(dataMax) ? a : std::min(a, dataMax);
        if (log && a > 0)
            return a * std::pow(b / a, f);
        return a + (b - a) * f;
    };
    const double target = q / 100.0 * static_cast<double>(finite);
    double cum = static_cast<double>(zero);
    if (target <= cum && zero > 0)
        return 0.0;
    if (underflow > 0) {
        const double c = static_cast<double>(underflow);
        if (target <= cum + c) {
            // below the first edge: between the smallest value (when it is not one of the zeros,
            // which have their own bin) and the edge or the largest value, whichever is lower
            const double lo = std::isnan(dataMin) || dataMin <= 0 ? 0.0 : dataMin;
            return inside(std::min(lo, edges.front()), edges.front(), std::clamp((target - cum) / c, 0.0, 1.0));
        }
        cum += c;
    }
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0)
            continue;
        const double c = static_cast<double>(counts[i]);
        if (target <= cum + c)
            return inside(edges[i], edges[i + 1], std::clamp((target - cum) / c, 0.0, 1.0));
        cum += c;
    }
    if (overflow > 0 && !std::isnan(dataMax)) {
        const double c = static_cast<double>(overflow);
        return inside(edges.back(), std::max(dataMax, edges.back()), std::clamp((target - cum) / c, 0.0, 1.0));
    }
    return std::isnan(dataMin) ? edges.back() : std::max(edges.back(), dataMin);
}

void Histogram::fillPercentiles(LayerStats& stats) const
{
    double* fields[7] = {&stats.p1, &stats.p5, &stats.p25, &stats.p50, &stats.p75, &stats.p95, &stats.p99};
    double previous = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < 7; ++i) {
        double v = percentile(LayerStats::kPercentiles[i], stats.min, stats.max);
        if (!std::isnan(stats.min))
            v = std::clamp(v, stats.min, std::max(stats.min, stats.max));
        v = std::max(v, previous); // rounding in pow() must not make p(q) decrease
        *fields[i] = previous = v;
    }
    stats.percentilesFromHistogram = true;
}

bool Histogram::operator==(const Histogram& o) const
{
    return scheme == o.scheme && edges == o.edges && counts == o.counts && zero == o.zero && underflow == o.underflow &&
           overflow == o.overflow && nan == o.nan;
}

double densityPerDecade(std::uint64_t count, std::uint64_t total, double lo, double hi)
{
    if (total == 0)
        return 0;
    return static_cast<double>(count) / static_cast<double>(total) / std::log10(hi / lo);
}

} // namespace featscale::analysis
