// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/feature_cache.h"
#include "analysis/stats/norm_map.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace featscale::analysis {

/// Knobs of a fit. The defaults reach a 1% match from gamma 20 for targets from 0.05 to 3000
/// (tests/analysis/stats/gamma_fit_test.cpp checks 1.7 and 150).
struct GammaFitOptions {
    int steps = 400;
    /// Adam's step size in gamma units; <= 0 picks it from the distance to travel (autoLearningRate).
    double lr = 0;
    /// Cosine-anneal the step size to lr * kFinalLrFraction over the run: large steps to travel,
    /// small ones to settle on the target instead of oscillating around it.
    bool anneal = true;
    std::vector<float> initGamma; ///< empty: kDefaultGamma for every channel
    /// Early stop: end the run once this many steps in a row found no lower loss than the best so
    /// far (0: run every step). Per-channel fits oscillate around the target long before the last
    /// step; the extra steps only shuffle the channels the median happens to touch.
    int patience = 60;
    /// Early stop: end the run once the loss is at or below this ((log m − log t)² = 1e-12 means
    /// the medians agree to one part in a million).
    double lossTolerance = 1e-12;
};

/// Why a fit ended.
enum class GammaFitStop {
    AllSteps,      ///< ran GammaFitOptions::steps
    TargetReached, ///< loss <= lossTolerance
    NoImprovement, ///< patience steps without a new best loss
};

/// Per-step progress: (step done, total steps, loss at that step) -> keep going?
using GammaFitProgressFn = std::function<bool(int step, int steps, double loss)>;

struct GammaFitResult {
    std::vector<float> gamma;   ///< best gamma seen (lowest loss), one per channel
    std::vector<double> loss;   ///< loss before each Adam step
    std::vector<double> median; ///< median after-norm before each Adam step
    double targetMedian = 0;
    double initialMedian = 0;  ///< with the initial gamma
    double achievedMedian = 0; ///< with the returned gamma
    int bestStep = 0;          ///< index into loss/median of the returned gamma
    int locations = 0;         ///< pooled spatial locations the median runs over
    int stepsRun = 0;          ///< Adam steps taken (< options.steps after an early stop)
    GammaFitStop stop = GammaFitStop::AllSteps;
};

/// The uniform-γ solution: every channel gets the same γ. The after-norm is then γ·‖x̂_i‖, so the
/// median is 1-homogeneous in γ and the target is met exactly by
///
///     γ = target / median_i ‖x̂_i‖
///
/// (median as numpy.median). One unknown for one equation: unlike the per-channel fit (C unknowns
/// for one median, under-determined), the answer is unique and takes no iterations.
struct UniformGammaResult {
    float gamma = 0;       ///< the uniform value
    double unitMedian = 0; ///< median_i ‖x̂_i‖ (after-norm median with γ = 1)
    double targetMedian = 0;
    int locations = 0; ///< pooled spatial locations the median runs over
};

/// Throws Error on an empty matrix, a bad target, or when the median of ‖x̂_i‖ is 0 (more than half
/// of the locations are all-zero: no γ moves the median).
UniformGammaResult fitUniformGamma(const NormalizedSquares& squares, double targetMedian);

/// Loss, median and autograd gradient of the fit objective at one gamma (exposed for tests and
/// for showing the objective in the UI).
struct GammaLossEval {
    double loss = 0;
    double median = 0;
    std::vector<float> gradient; ///< ∂loss/∂γ_c from LibTorch autograd
};

/// The objective. With n_i = ||γ ⊙ x̂_i|| the after-norm at location i and m = median_i n_i
/// (linear interpolation between the two middle order statistics, as numpy.median):
///
///     loss(γ) = (log m − log target)²
///
/// Why this form: the task is "make the normalized layer's median norm equal the target layer's
/// median norm"; the median is what the layer-scale view shows, and it is robust to the few
/// huge or dead locations a mean would chase. Logarithms make the loss a function of the ratio
/// m / target, so it treats "10× too large" and "10× too small" alike and its scale does not
/// depend on the layer's units. The gradient reaches only the (one or two) locations at the
/// median; which ones those are changes as γ moves, so over a run every channel takes part.
/// Throws Error when target <= 0 or the median after-norm is 0 for every γ (more than half of
/// the locations are all-zero).
GammaLossEval evaluateGammaLoss(const NormalizedSquares& squares, const std::vector<float>& gamma, double targetMedian);

/// Fits the per-channel gamma with Adam on cached features (no network re-run). After each step
/// γ is projected onto γ >= 0: the objective sees γ² only, and a negative γ_c would just flip a
/// channel of the normalized features.
/// Throws Error on bad input, Cancelled when progress returns false.
GammaFitResult fitGamma(const NormalizedSquares& squares, double targetMedian, const GammaFitOptions& options = {},
                        const GammaFitProgressFn& progress = {});

/// Exact median of the pooled values of several norm maps (the fit's usual target: the target
/// layer's before-norms over the same images). NaNs are ignored; throws Error when nothing is left.
double pooledMedian(const std::vector<const NormMap*>& maps);

/// The step size used when GammaFitOptions::lr <= 0. Adam moves each channel by about lr per step
/// while its gradient sign is steady, so the rate is sized for the uniform rescale γ0·target/m0
/// (exact when every channel scales alike, since the median is 1-homogeneous in γ) to be covered
/// with ample margin (Adam's effective step shrinks while the median location keeps switching);
/// annealing then settles on the target.
double autoLearningRate(const std::vector<float>& initGamma, double initialMedian, double targetMedian, int steps);

/// Fraction of the annealed learning rate left at the last step.
inline constexpr double kFinalLrFraction = 0.01;

} // namespace featscale::analysis
