// SPDX-License-Identifier: GPL-3.0-or-later
// LayerStats, histograms, densities per decade, bin schemes and ratios of medians against
// hand-computed values; exact merging.
#include "analysis/core/types.h"
#include "analysis/runs/run_data.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/histogram_density.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/stats/median_ratio.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace featscale::analysis;

TEST(LayerStats, HandComputedSummary)
{
    // sorted: 0 1 2 3 4 ; numpy.percentile linear: p25 = 1, p50 = 2, p1 = 0.04, p99 = 3.96
    const LayerStats s = LayerStats::of({3.f, 0.f, 4.f, 1.f, 2.f});
    EXPECT_EQ(s.count, 5u);
    EXPECT_EQ(s.zeros, 1u);
    EXPECT_EQ(s.nans, 0u);
    EXPECT_DOUBLE_EQ(s.min, 0.0);
    EXPECT_DOUBLE_EQ(s.max, 4.0);
    EXPECT_DOUBLE_EQ(s.mean(), 2.0);
    EXPECT_DOUBLE_EQ(s.stddev(), std::sqrt(2.0)); // population: mean of squares 6 - 4
    EXPECT_DOUBLE_EQ(s.p25, 1.0);
    EXPECT_DOUBLE_EQ(s.p50, 2.0);
    EXPECT_NEAR(s.p1, 0.04, 1e-12);
    EXPECT_NEAR(s.p99, 3.96, 1e-12);
    EXPECT_NEAR(s.p95, 3.8, 1e-12);
}

TEST(LayerStats, NansAreCountedAndExcluded)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const LayerStats s = LayerStats::of({nan, 1.f, nan, 3.f});
    EXPECT_EQ(s.nans, 2u);
    EXPECT_EQ(s.count, 2u);
    EXPECT_DOUBLE_EQ(s.mean(), 2.0);
    EXPECT_DOUBLE_EQ(s.p50, 2.0);
    const LayerStats all = LayerStats::of({nan});
    EXPECT_EQ(all.count, 0u);
    EXPECT_TRUE(std::isnan(all.mean()));
}

TEST(LayerStats, SelectedPercentilesEqualThoseOfAFullSort)
{
    std::mt19937 rng(23);
    std::lognormal_distribution<float> dist(0.f, 2.f);
    for (const std::size_t n : {1u, 2u, 3u, 7u, 100u, 10001u, 262144u}) {
        std::vector<float> v(n);
        for (auto& x : v)
            x = dist(rng);
        for (std::size_t i = 0; i < n; i += 5)
            v[i] = std::floor(v[i]); // ties and zeros
        if (n > 10)
            v[3] = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> sorted;
        for (float x : v)
            if (!std::isnan(x))
                sorted.push_back(x);
        std::sort(sorted.begin(), sorted.end());
        const LayerStats s = LayerStats::of(v);
        const double got[7] = {s.p1, s.p5, s.p25, s.p50, s.p75, s.p95, s.p99};
        for (int i = 0; i < 7; ++i)
            EXPECT_EQ(got[i], percentileSorted(sorted, LayerStats::kPercentiles[i]))
                << n << " p" << LayerStats::kPercentiles[i];
        EXPECT_EQ(s.min, sorted.front());
        EXPECT_EQ(s.max, sorted.back());
    }
}

TEST(BinScheme, DefaultLogEdges)
{
    const BinScheme b;
    EXPECT_EQ(b.binCount(), 180); // 9 decades x 20
    const auto e = b.edges();
    ASSERT_EQ(e.size(), 181u);
    EXPECT_EQ(e.front(), 1e-3);
    EXPECT_EQ(e.back(), 1e6);
    EXPECT_NEAR(e[20], 1e-2, 1e-17);
    EXPECT_NEAR(e[100], 1e2, 1e-12);
    for (std::size_t i = 1; i < e.size(); ++i)
        EXPECT_NEAR(e[i] / e[i - 1], std::pow(10.0, 0.05), 1e-12);
}

TEST(BinScheme, ParseRoundTripAndErrors)
{
    const BinScheme lin = BinScheme::parse("linear:0:50:25");
    EXPECT_EQ(lin.kind, BinScheme::Kind::Linear);
    EXPECT_EQ(lin.binCount(), 25);
    EXPECT_EQ(lin.edges()[1], 2.0);
    EXPECT_EQ(BinScheme::parse(lin.toSpec()), lin);
    const BinScheme lg = BinScheme::parse("log:0.01:100:10");
    EXPECT_EQ(lg.binCount(), 40);
    EXPECT_EQ(BinScheme::parse(lg.toSpec()), lg);
    EXPECT_THROW(BinScheme::parse("log:0:10:10"), Error);
    EXPECT_THROW(BinScheme::parse("log:10:1:10"), Error);
    EXPECT_THROW(BinScheme::parse("cubic"), Error);
    EXPECT_THROW(BinScheme::parse("linear:0:1:x"), Error);
}

TEST(Histogram, SpecialBinsAndEdges)
{
    Histogram h(BinScheme::parse("linear:1:5:4")); // bins [1,2) [2,3) [3,4) [4,5)
    const float nan = std::numeric_limits<float>::quiet_NaN();
    h.addAll({0.f, 0.5f, 1.f, 1.999f, 2.f, 4.999f, 5.f, 100.f, nan});
    EXPECT_EQ(h.zero, 1u);
    EXPECT_EQ(h.underflow, 1u);
    EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{2, 1, 0, 1}));
    EXPECT_EQ(h.overflow, 2u);
    EXPECT_EQ(h.nan, 1u);
    EXPECT_EQ(h.total(), 9u);
}

TEST(Histogram, MergingHalvesEqualsWholeBitForBit)
{
    std::mt19937 rng(7);
    std::lognormal_distribution<float> dist(2.0f, 3.0f);
    std::vector<float> all(100000);
    for (auto& v : all)
        v = dist(rng);
    for (int i = 0; i < 1000; ++i)
        all[static_cast<std::size_t>(i) * 97] = 0.f;
    const BinScheme scheme;
    Histogram whole(scheme), a(scheme), b(scheme);
    whole.addAll(all);
    a.addAll(std::vector<float>(all.begin(), all.begin() + 37000));
    b.addAll(std::vector<float>(all.begin() + 37000, all.end()));
    a.merge(b);
    EXPECT_TRUE(a == whole);
    EXPECT_EQ(a.total(), all.size());

    // exact fields of the stats merge exactly too (sum order: a then b, as in a run)
    const LayerStats sa = LayerStats::of(std::vector<float>(all.begin(), all.begin() + 37000));
    const LayerStats sb = LayerStats::of(std::vector<float>(all.begin() + 37000, all.end()));
    const LayerStats sw = LayerStats::of(all);
    const LayerStats m = LayerStats::mergeExact(sa, sb);
    EXPECT_EQ(m.count, sw.count);
    EXPECT_EQ(m.zeros, sw.zeros);
    EXPECT_EQ(m.min, sw.min);
    EXPECT_EQ(m.max, sw.max);
    EXPECT_NEAR(m.sum, sw.sum, 1e-9 * sw.sum);

    Histogram other(BinScheme::parse("log:0.001:1000000:10"));
    EXPECT_THROW(a.merge(other), Error);
}

TEST(Histogram, PercentileWithinOneBinOfExact)
{
    std::mt19937 rng(11);
    std::lognormal_distribution<float> dist(1.0f, 1.5f);
    std::vector<float> v(50000);
    for (auto& x : v)
        x = dist(rng);
    Histogram h{BinScheme{}};
    h.addAll(v);
    LayerStats s = LayerStats::of(v);
    const double binRatio = std::pow(10.0, 1.0 / 20);
    for (double q : {5.0, 25.0, 50.0, 75.0, 95.0}) {
        const double est = h.percentile(q);
        const double exact = percentileSorted(
            [&] {
                auto c = v;
                std::sort(c.begin(), c.end());
                return c;
            }(),
            q);
        EXPECT_LE(est / exact, binRatio) << q;
        EXPECT_GE(est / exact, 1.0 / binRatio) << q;
    }
    h.fillPercentiles(s);
    EXPECT_TRUE(s.percentilesFromHistogram);
}

namespace {

// One image's statistics and histogram, as the analyzer makes them.
void addImage(StageAggregator& agg, const std::vector<float>& values, const BinScheme& scheme = {})
{
    Histogram h(scheme);
    h.addAll(values);
    agg.add(LayerStats::of(values), h);
}

std::vector<double> percentilesOf(const LayerStats& s) { return {s.p1, s.p5, s.p25, s.p50, s.p75, s.p95, s.p99}; }

} // namespace

TEST(StageAggregator, PercentilesStayInsideTheDataAndAreMonotone)
{
    // conv4_3 after L2Norm with gamma = 20: every norm is 20 up to float rounding. The bin holding
    // 20 is [19.95, 22.39); interpolating across it reported a median of 21.13 and p99 22.36.
    const float below = std::nextafter(20.f, 0.f), above = std::nextafter(20.f, 100.f);
    StageAggregator agg;
    addImage(agg, {20.f, below, 20.f, above, 20.f});
    addImage(agg, {20.f, 20.f, above});
    addImage(agg, {below, 20.f});
    const LayerStats s = agg.stats();
    EXPECT_TRUE(s.percentilesFromHistogram);
    EXPECT_EQ(s.min, static_cast<double>(below));
    EXPECT_EQ(s.max, static_cast<double>(above));
    double previous = s.min;
    for (double p : percentilesOf(s)) {
        EXPECT_GE(p, s.min);
        EXPECT_LE(p, s.max);
        EXPECT_GE(p, previous);
        previous = p;
    }

    // a spread-out aggregate: every percentile inside [min, max], non-decreasing, within a bin
    std::mt19937 rng(5);
    std::lognormal_distribution<float> dist(0.5f, 2.0f);
    StageAggregator wide;
    std::vector<float> all;
    for (int image = 0; image < 4; ++image) {
        std::vector<float> v(3000);
        for (auto& x : v)
            x = dist(rng);
        all.insert(all.end(), v.begin(), v.end());
        addImage(wide, v);
    }
    std::sort(all.begin(), all.end());
    const LayerStats w = wide.stats();
    const std::vector<double> got = percentilesOf(w);
    for (int i = 0; i < 7; ++i) {
        EXPECT_GE(got[i], w.min);
        EXPECT_LE(got[i], w.max);
        if (i) {
            EXPECT_GE(got[i], got[i - 1]);
        }
        const double exact = percentileSorted(all, LayerStats::kPercentiles[i]);
        EXPECT_LE(std::fabs(std::log(got[i] / exact)), std::log(std::pow(10.0, 1.0 / 20)) + 1e-12) << i;
    }
}

TEST(StageAggregator, OneImageAggregateHasThatImagesExactPercentiles)
{
    std::mt19937 rng(9);
    std::lognormal_distribution<float> dist(1.f, 1.f);
    std::vector<float> v(777);
    for (auto& x : v)
        x = dist(rng);
    StageAggregator agg;
    addImage(agg, v);
    const LayerStats s = agg.stats();
    EXPECT_FALSE(s.percentilesFromHistogram);
    // numpy.percentile(v, [1, 5, 25, 50, 75, 95, 99]) by hand: sort and interpolate ranks
    std::sort(v.begin(), v.end());
    for (int i = 0; i < 7; ++i) {
        const double rank = LayerStats::kPercentiles[i] / 100.0 * 776;
        const auto k = static_cast<std::size_t>(rank);
        const double expected = v[k] + (rank - k) * (static_cast<double>(v[k + 1]) - v[k]);
        EXPECT_DOUBLE_EQ(percentilesOf(s)[static_cast<std::size_t>(i)], expected) << i;
    }
}

TEST(StageAggregator, NormsBelowTheFirstEdgeAreReportedBelowIt)
{
    // near-zero features after L2Norm: 1.7e-8 is below the default first edge 1e-3 and was
    // printed as 0.001
    StageAggregator agg;
    addImage(agg, {1.7e-8f, 2.0e-8f, 1.9e-8f});
    addImage(agg, {1.8e-8f, 1.7e-8f});
    const LayerStats s = agg.stats();
    EXPECT_TRUE(s.percentilesFromHistogram);
    for (double p : percentilesOf(s)) {
        EXPECT_GE(p, static_cast<double>(1.7e-8f));
        EXPECT_LE(p, static_cast<double>(2.0e-8f));
    }
    // with exact zeros beside them the lower bound is 0, and still nothing reaches the edge
    StageAggregator withZeros;
    addImage(withZeros, {0.f, 1.7e-8f, 1e-6f});
    addImage(withZeros, {0.f, 5e-7f});
    const LayerStats z = withZeros.stats();
    EXPECT_EQ(z.p1, 0.0);
    EXPECT_LE(z.p99, 1e-6);
    // and above the last edge, the estimate stays at or below the maximum
    StageAggregator high;
    addImage(high, {2e6f, 3e6f});
    addImage(high, {2.5e6f});
    EXPECT_LE(high.stats().p99, 3e6);
    EXPECT_GE(high.stats().p1, 2e6);
}

TEST(StageAggregator, StdOfNearlyEqualValuesIsTheirTrueSpread)
{
    // 20 and the next float above it, 2^-19 apart, in equal numbers: population std = 2^-20
    // exactly. sqrt(sum_sq / n - mean^2) returned rounding noise here instead.
    const float above = std::nextafter(20.f, 100.f);
    ASSERT_EQ(static_cast<double>(above) - 20.0, std::ldexp(1.0, -19));
    std::vector<float> a(20000, 20.f), b(20000, above);
    std::vector<float> mixed;
    for (int i = 0; i < 20000; ++i) {
        mixed.push_back(20.f);
        mixed.push_back(above);
    }
    const double expected = std::ldexp(1.0, -20);
    EXPECT_NEAR(LayerStats::of(mixed).stddev(), expected, 1e-6 * expected);
    // merged from (n, mean, m2) of images that are each constant: the spread is between images
    StageAggregator agg;
    addImage(agg, a);
    addImage(agg, b);
    EXPECT_NEAR(agg.stats().stddev(), expected, 1e-6 * expected);
    EXPECT_EQ(LayerStats::of(a).stddev(), 0.0);
    // unequal groups: {1 x3, 4 x1} -> mean 1.75, variance (3*0.5625 + 5.0625)/4 = 1.6875
    StageAggregator uneven;
    addImage(uneven, {1.f, 1.f});
    addImage(uneven, {1.f, 4.f});
    EXPECT_DOUBLE_EQ(uneven.stats().mean(), 1.75);
    EXPECT_DOUBLE_EQ(uneven.stats().stddev(), std::sqrt(1.6875));
}

TEST(StageAggregator, DifferentBinsAreRefusedAndLeaveTheAggregateUnchanged)
{
    StageAggregator agg;
    addImage(agg, {1.f, 2.f});
    Histogram other(BinScheme::parse("linear:0:10:10"));
    other.addAll({3.f});
    EXPECT_THROW(agg.add(LayerStats::of({3.f}), other), Error);
    EXPECT_EQ(agg.images(), 1);
    EXPECT_EQ(agg.stats().count, 2u);
}

TEST(Types, ParsersRejectWithValidNames)
{
    EXPECT_EQ(parseArch("vgg16-reduced"), Arch::Vgg16Reduced);
    EXPECT_EQ(parseEpsMode("ssd-pytorch"), EpsMode::SsdPytorch);
    try {
        parseEpsMode("l1");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("torchvision"), std::string::npos);
    }
    const SizeSpec s = parseSizeSpec("short:256");
    EXPECT_EQ(s.mode, SizeSpec::Mode::ShorterSide);
    EXPECT_EQ(s.value, 256);
    EXPECT_EQ(parseSizeSpec("512").value, 512);
    EXPECT_EQ(parseSizeSpec("original:max=1000000").maxPixels, 1000000);
    EXPECT_THROW(parseSizeSpec("5"), Error);
    EXPECT_THROW(parseSizeSpec("original:max=99999999999"), Error);
}

TEST(MedianRatio, HandComputedRatios)
{
    EXPECT_DOUBLE_EQ(medianRatio(37.5, 2.5), 15.0); // conv4_3 ~15x fc7
    EXPECT_DOUBLE_EQ(medianRatio(0.52, 1.04), 0.5);
    EXPECT_DOUBLE_EQ(medianRatio(0.0, 4.0), 0.0); // a dead numerator is a ratio of 0
    EXPECT_DOUBLE_EQ(medianRatio(3.0, 1e-300), 3e300);
}

TEST(MedianRatio, NaNWhenTheRatioSaysNothing)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(std::isnan(medianRatio(2.0, 0.0)));  // all-zero denominator layer
    EXPECT_TRUE(std::isnan(medianRatio(2.0, -1.0))); // no norm is negative
    EXPECT_TRUE(std::isnan(medianRatio(2.0, nan)));  // missing denominator median
    EXPECT_TRUE(std::isnan(medianRatio(nan, 2.0)));  // missing numerator median
    EXPECT_TRUE(std::isnan(medianRatio(inf, 2.0)));
    EXPECT_DOUBLE_EQ(medianRatio(2.0, inf), 0.0);
}

TEST(Histogram, DensityPerDecadeHandComputed)
{
    // 30 of 120 locations in [1, 10): a quarter of them over one decade
    EXPECT_DOUBLE_EQ(densityPerDecade(30, 120, 1.0, 10.0), 0.25);
    // the same quarter over a twentieth of a decade (the default scheme's bins) is 20 times denser
    EXPECT_NEAR(densityPerDecade(30, 120, 1.0, std::pow(10.0, 0.05)), 5.0, 1e-12);
    // over two decades, [0.01, 1): half as dense
    EXPECT_NEAR(densityPerDecade(30, 120, 0.01, 1.0), 0.125, 1e-15);
    EXPECT_DOUBLE_EQ(densityPerDecade(0, 120, 1.0, 10.0), 0.0);
    EXPECT_DOUBLE_EQ(densityPerDecade(0, 0, 1.0, 10.0), 0.0); // an empty histogram has no density
}
