// SPDX-License-Identifier: GPL-3.0-or-later
// Gamma fitting: autograd gradient vs ParseNet's closed form, the uniform-gamma identity, and a fit
// that reaches its target. References are computed here in plain loops, not by the code under test.
#include "analysis/core/types.h"
#include "analysis/engine/analyzer.h"
#include "analysis/stats/gamma_fit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace featscale::analysis;

namespace {

/// Random features x (rows x cols) with per-channel scales, normalized by hand over channels.
std::vector<double> randomUnitRows(int rows, int cols, std::uint32_t seed, bool skewedChannels = false)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(static_cast<size_t>(rows) * cols);
    for (int i = 0; i < rows; ++i) {
        double ss = 0;
        for (int c = 0; c < cols; ++c) {
            // ReLU-like: some exact zeros, heavy differences between channels when skewed.
            double v = u(rng) < 0.3 ? 0.0 : u(rng);
            if (skewedChannels)
                v *= std::pow(10.0, 2.0 * c / cols);
            x[i * cols + c] = v;
            ss += v * v;
        }
        if (ss == 0) { // keep every row non-zero so ||x̂|| = 1 holds everywhere
            x[i * cols] = 1.0;
            ss = 1.0;
        }
        const double n = std::sqrt(ss);
        for (int c = 0; c < cols; ++c)
            x[i * cols + c] /= n;
    }
    return x;
}

NormalizedSquares squaresOf(const std::vector<double>& xhat, int rows, int cols)
{
    NormalizedSquares s;
    s.rows = rows;
    s.cols = cols;
    for (double v : xhat)
        s.values.push_back(static_cast<float>(v * v));
    return s;
}

/// numpy.median of the after-norms ||γ ⊙ x̂_i|| in double precision.
double handMedian(const std::vector<double>& xhat, int rows, int cols, const std::vector<float>& gamma)
{
    std::vector<double> n(rows);
    for (int i = 0; i < rows; ++i) {
        double ss = 0;
        for (int c = 0; c < cols; ++c) {
            const double y = gamma[c] * xhat[i * cols + c];
            ss += y * y;
        }
        n[i] = std::sqrt(ss);
    }
    std::sort(n.begin(), n.end());
    return rows % 2 ? n[rows / 2] : 0.5 * (n[rows / 2 - 1] + n[rows / 2]);
}

/// ParseNet's closed form: ∂l/∂γ_c = Σ_i ∂l/∂y_ic · x̂_ic with y = γ ⊙ x̂ and
/// l = (log median_i ||y_i|| − log t)². ∂l/∂y_ic = 2(log m − log t)/m · w_i · y_ic/||y_i||,
/// where w_i is the median's interpolation weight of location i (1, or ½ and ½ for even counts).
std::vector<double> closedFormGradient(const std::vector<double>& xhat, int rows, int cols,
                                       const std::vector<float>& gamma, double target)
{
    std::vector<double> n(rows);
    for (int i = 0; i < rows; ++i) {
        double ss = 0;
        for (int c = 0; c < cols; ++c)
            ss += std::pow(gamma[c] * xhat[i * cols + c], 2);
        n[i] = std::sqrt(ss);
    }
    std::vector<int> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return n[a] < n[b]; });
    std::vector<double> w(rows, 0.0);
    double m;
    if (rows % 2) {
        w[order[rows / 2]] = 1.0;
        m = n[order[rows / 2]];
    } else {
        w[order[rows / 2 - 1]] = 0.5;
        w[order[rows / 2]] = 0.5;
        m = 0.5 * (n[order[rows / 2 - 1]] + n[order[rows / 2]]);
    }
    const double dldm = 2.0 * (std::log(m) - std::log(target)) / m;
    std::vector<double> grad(cols, 0.0);
    for (int i = 0; i < rows; ++i) {
        if (w[i] == 0)
            continue;
        for (int c = 0; c < cols; ++c) {
            const double y = gamma[c] * xhat[i * cols + c];
            const double dldy = dldm * w[i] * y / n[i];
            grad[c] += dldy * xhat[i * cols + c];
        }
    }
    return grad;
}

std::vector<float> randomGamma(int cols, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(5.0f, 25.0f);
    std::vector<float> g(cols);
    for (auto& v : g)
        v = u(rng);
    return g;
}

} // namespace

TEST(GammaFit, AutogradGradientEqualsParseNetClosedForm)
{
    for (int rows : {37, 40}) { // odd: one median location; even: two, weighted ½ each
        const int cols = 9;
        const auto xhat = randomUnitRows(rows, cols, /*seed=*/rows);
        const auto gamma = randomGamma(cols, /*seed=*/100 + rows);
        const double target = 3.0;
        const GammaLossEval eval = evaluateGammaLoss(squaresOf(xhat, rows, cols), gamma, target);
        const double m = handMedian(xhat, rows, cols, gamma);
        EXPECT_NEAR(eval.median, m, 1e-5 * m);
        EXPECT_NEAR(eval.loss, std::pow(std::log(m) - std::log(target), 2), 1e-5);
        const auto expected = closedFormGradient(xhat, rows, cols, gamma, target);
        ASSERT_EQ(eval.gradient.size(), expected.size());
        double maxAbs = 0;
        for (double v : expected)
            maxAbs = std::max(maxAbs, std::abs(v));
        ASSERT_GT(maxAbs, 1e-4) << "degenerate case: gradient is zero";
        for (int c = 0; c < cols; ++c)
            EXPECT_NEAR(eval.gradient[c], expected[c], 1e-4 * maxAbs) << "rows " << rows << " channel " << c;
    }
}

TEST(GammaFit, UniformGammaGivesMedianEqualToGamma)
{
    // ||x̂|| = 1 at every location, so ||g·x̂|| = g everywhere and the median is g.
    const int rows = 50, cols = 16;
    const auto xhat = randomUnitRows(rows, cols, /*seed=*/7, /*skewedChannels=*/true);
    for (float g : {0.5f, 7.5f, 20.0f}) {
        const GammaLossEval eval = evaluateGammaLoss(squaresOf(xhat, rows, cols), std::vector<float>(cols, g), g);
        EXPECT_NEAR(eval.median, g, 1e-5 * g);
        EXPECT_NEAR(eval.loss, 0.0, 1e-10);
    }
}

TEST(GammaFit, FitReachesTargetMedianWithinOnePercent)
{
    const int rows = 1444, cols = 128; // conv4_3's 38x38 cells at 300x300
    const auto xhat = randomUnitRows(rows, cols, /*seed=*/3, /*skewedChannels=*/true);
    const auto squares = squaresOf(xhat, rows, cols);
    GammaFitOptions everyStep;
    everyStep.patience = 0;
    everyStep.lossTolerance = 0;
    for (double target : {1.7, 150.0}) { // below and above the initial gamma of 20
        int calls = 0;
        const GammaFitResult r = fitGamma(squares, target, everyStep, [&](int step, int steps, double loss) {
            ++calls;
            EXPECT_EQ(step, calls);
            EXPECT_EQ(steps, GammaFitOptions{}.steps);
            EXPECT_TRUE(std::isfinite(loss));
            return true;
        });
        EXPECT_EQ(calls, GammaFitOptions{}.steps);
        ASSERT_EQ(r.gamma.size(), static_cast<size_t>(cols));
        EXPECT_NEAR(r.initialMedian, kDefaultGamma, 1e-4 * kDefaultGamma);
        const double achieved = handMedian(xhat, rows, cols, r.gamma);
        EXPECT_NEAR(achieved / target, 1.0, 0.01) << "target " << target;
        EXPECT_NEAR(r.achievedMedian, achieved, 1e-4 * achieved);
        EXPECT_LT(r.loss[r.bestStep], 1e-3 * r.loss.front());
        EXPECT_EQ(r.loss.size(), static_cast<size_t>(GammaFitOptions{}.steps + 1));
        EXPECT_GE(*std::min_element(r.gamma.begin(), r.gamma.end()), 0.0f) << "fit leaves γ >= 0";
    }
}

TEST(GammaFit, UniformClosedFormMeetsTheTargetExactly)
{
    // Rows of norm below 1 (eps-clamped small vectors) and a few all-zero rows: the median of
    // ||x̂_i|| is not 1, so γ = target / median ||x̂_i|| differs from the target.
    const int rows = 41, cols = 6;
    auto xhat = randomUnitRows(rows, cols, /*seed=*/11);
    for (int i = 0; i < rows; ++i)
        for (int c = 0; c < cols; ++c)
            xhat[i * cols + c] *= (i < 5) ? 0.0 : 0.3 + 0.7 * i / rows;
    // by hand: median over the 41 row norms, sorted; the 21st (index 20)
    std::vector<double> norms(rows);
    for (int i = 0; i < rows; ++i) {
        double ss = 0;
        for (int c = 0; c < cols; ++c)
            ss += xhat[i * cols + c] * xhat[i * cols + c];
        norms[i] = std::sqrt(ss);
    }
    std::sort(norms.begin(), norms.end());
    const double unitMedian = norms[20];
    ASSERT_NEAR(unitMedian, 0.3 + 0.7 * 20 / 41.0, 1e-6); // row 20 has ||x̂|| = 1 before scaling
    const double target = 37.5;
    const UniformGammaResult u = fitUniformGamma(squaresOf(xhat, rows, cols), target);
    EXPECT_NEAR(u.unitMedian, unitMedian, 1e-6);
    EXPECT_NEAR(u.gamma, target / unitMedian, 1e-5 * target / unitMedian);
    EXPECT_EQ(u.locations, rows);
    // and it does what it says: the after-norm median with that uniform γ is the target
    EXPECT_NEAR(handMedian(xhat, rows, cols, std::vector<float>(cols, u.gamma)), target, 1e-5 * target);
    // even count: numpy's mean of the two middle values
    const auto even = randomUnitRows(4, 2, /*seed=*/5);
    std::vector<double> scaled = even;
    for (int c = 0; c < 2; ++c) {
        scaled[0 * 2 + c] *= 0.2;
        scaled[1 * 2 + c] *= 0.4;
        scaled[2 * 2 + c] *= 0.8;
    }
    EXPECT_NEAR(fitUniformGamma(squaresOf(scaled, 4, 2), 3.0).gamma, 3.0 / 0.6, 1e-5);

    NormalizedSquares dead = squaresOf(xhat, rows, cols);
    std::fill(dead.values.begin(), dead.values.begin() + 21 * cols, 0.0f);
    EXPECT_THROW(fitUniformGamma(dead, target), Error);
    EXPECT_THROW(fitUniformGamma(squaresOf(xhat, rows, cols), 0.0), Error);
    EXPECT_THROW(fitUniformGamma(NormalizedSquares{}, target), Error);
}

TEST(GammaFit, EarlyStopEndsARunThatStoppedImproving)
{
    const int rows = 1444, cols = 128;
    const auto xhat = randomUnitRows(rows, cols, /*seed=*/3, /*skewedChannels=*/true);
    const auto squares = squaresOf(xhat, rows, cols);
    GammaFitOptions o;
    o.steps = 20000;
    o.patience = 25;
    o.lossTolerance = 0; // only the patience rule
    int calls = 0;
    const GammaFitResult r = fitGamma(squares, 150.0, o, [&](int, int, double) { return ++calls > 0; });
    EXPECT_EQ(r.stop, GammaFitStop::NoImprovement);
    EXPECT_LT(r.stepsRun, o.steps);
    EXPECT_EQ(calls, r.stepsRun);
    ASSERT_EQ(r.loss.size(), static_cast<size_t>(r.stepsRun + 1));
    // exactly `patience` steps after the best one, none of them better
    EXPECT_EQ(r.bestStep, r.stepsRun - o.patience);
    for (int s = r.bestStep + 1; s <= r.stepsRun; ++s)
        EXPECT_GE(r.loss[s], r.loss[r.bestStep]);
    EXPECT_NEAR(handMedian(xhat, rows, cols, r.gamma) / 150.0, 1.0, 0.01);

    // starting at the uniform solution: the target is met before the first step
    GammaFitOptions atTarget;
    atTarget.initGamma.assign(cols, fitUniformGamma(squares, 150.0).gamma);
    const GammaFitResult t = fitGamma(squares, 150.0, atTarget);
    EXPECT_EQ(t.stop, GammaFitStop::TargetReached);
    EXPECT_EQ(t.stepsRun, 0);
    EXPECT_EQ(t.gamma, atTarget.initGamma);
}

TEST(GammaFit, CancelThrowsCancelled)
{
    const auto xhat = randomUnitRows(20, 4, /*seed=*/1);
    int calls = 0;
    EXPECT_THROW(fitGamma(squaresOf(xhat, 20, 4), 2.0, {}, [&](int, int, double) { return ++calls < 3; }), Cancelled);
    EXPECT_EQ(calls, 3);
}

TEST(GammaFit, BadInputThrowsError)
{
    const auto s = squaresOf(randomUnitRows(10, 4, /*seed=*/2), 10, 4);
    EXPECT_THROW(evaluateGammaLoss(s, std::vector<float>(3, 20.0f), 1.0), Error);
    EXPECT_THROW(evaluateGammaLoss(s, std::vector<float>(4, 20.0f), 0.0), Error);
    EXPECT_THROW(fitGamma(NormalizedSquares{}, 1.0), Error);
    NormalizedSquares dead = s;
    std::fill(dead.values.begin(), dead.values.begin() + 6 * 4, 0.0f); // 6 of 10 rows all-zero
    EXPECT_THROW(evaluateGammaLoss(dead, std::vector<float>(4, 20.0f), 1.0), Error);
    GammaFitOptions bad;
    bad.steps = -1;
    EXPECT_THROW(fitGamma(s, 1.0, bad), Error);
}

TEST(GammaFit, PooledMedianMatchesNumpyMedian)
{
    NormMap a, b;
    a.values = {4.0f, 1.0f, NAN};
    b.values = {3.0f, 2.0f};
    EXPECT_DOUBLE_EQ(pooledMedian({&a, &b}), 2.5);
    b.values.push_back(10.0f);
    EXPECT_DOUBLE_EQ(pooledMedian({&a, &b}), 3.0);
    NormMap empty;
    EXPECT_THROW(pooledMedian({&empty}), Error);
}

namespace {
/// A cache that only serves normalizedSquares, for testing the pooling across images.
class SquaresOnlyCache : public FeatureCache {
public:
    SquaresOnlyCache(int rows, int cols, float fill) : m_rows(rows), m_cols(cols), m_fill(fill) { }
    AfterResult after(const std::string&, const std::vector<float>&, const BinScheme&) const override { return {}; }
    std::vector<std::string> normalizedLayers() const override { return {"conv4_3"}; }
    std::vector<float> normalizedAt(const std::string&, int, int) const override { return {}; }
    std::vector<float> activationAt(const std::string&, int, int) const override { return {}; }
    NormalizedSquares normalizedSquares(const std::string& layer) const override
    {
        if (layer != "conv4_3")
            return {};
        NormalizedSquares out;
        out.rows = m_rows;
        out.cols = m_cols;
        out.values.assign(static_cast<size_t>(m_rows) * m_cols, m_fill);
        return out;
    }
    std::size_t bytes() const override { return 0; }

private:
    int m_rows, m_cols;
    float m_fill;
};
} // namespace

TEST(GammaFit, PoolStacksImagesAndRejectsMismatches)
{
    auto a = std::make_shared<SquaresOnlyCache>(3, 2, 0.5f);
    auto b = std::make_shared<SquaresOnlyCache>(2, 2, 0.25f);
    const NormalizedSquares s = NormalizedSquares::pool({a, nullptr, b}, "conv4_3");
    EXPECT_EQ(s.rows, 5);
    EXPECT_EQ(s.cols, 2);
    ASSERT_EQ(s.values.size(), 10u);
    EXPECT_EQ(s.values[5], 0.5f);
    EXPECT_EQ(s.values[6], 0.25f);
    EXPECT_THROW(NormalizedSquares::pool({a}, "fc7"), Error);
    EXPECT_THROW(NormalizedSquares::pool({a, std::make_shared<SquaresOnlyCache>(2, 3, 0.1f)}, "conv4_3"), Error);
}
