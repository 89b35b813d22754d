// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/gamma_fit.h"

#include "analysis/core/types.h"
#include "analysis/stats/feature_cache.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace featscale::analysis {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Adam's default second-moment memory (0.999) remembers the large early gradients of a far target,
// so steps shrink long before the median arrives; a short memory keeps steps near lr until the
// annealing shrinks them on purpose.
constexpr double kAdamBeta2 = 0.9;

void checkShape(const NormalizedSquares& squares, const std::vector<float>& gamma)
{
    if (squares.rows <= 0 || squares.cols <= 0 ||
        squares.values.size() != static_cast<size_t>(squares.rows) * squares.cols)
        throw Error("gamma fit: no cached normalized features (empty or inconsistent matrix)");
    if (gamma.size() != static_cast<size_t>(squares.cols)) {
        std::ostringstream os;
        os << "gamma fit: gamma has " << gamma.size() << " values but the layer has " << squares.cols << " channels";
        throw Error(os.str());
    }
    for (float g : gamma)
        if (!std::isfinite(g))
            throw Error("gamma fit: gamma contains NaN or Inf");
}

void checkTarget(double target)
{
    if (!(target > 0) || !std::isfinite(target))
        throw Error("gamma fit: target median must be a positive finite number (the target layer's "
                    "median norm is " +
                    std::to_string(target) + ")");
}

/// The fit objective as a LibTorch graph. `S` is the (rows x cols) x̂² matrix, `g` the gamma
/// leaf. Returns {loss, median}. Only the two middle order statistics are square-rooted: the
/// median of n equals the interpolation of sqrt of the middle squared norms (sqrt is monotone),
/// and keeping sqrt away from the all-zero locations avoids 0 * inf = NaN in its backward.
std::pair<torch::Tensor, torch::Tensor> objective(const torch::Tensor& S, const torch::Tensor& g, double target)
{
    const auto rows = S.size(0);
    torch::Tensor sq = S.matmul(g * g); // squared after-norm per location
    const double pos = 0.5 * static_cast<double>(rows - 1);
    const auto lo = static_cast<int64_t>(std::floor(pos));
    const auto hi = static_cast<int64_t>(std::ceil(pos));
    const double frac = pos - static_cast<double>(lo);
    // kthvalue is 1-based and O(rows); autograd routes the gradient to the selected element.
    torch::Tensor sqLo = std::get<0>(torch::kthvalue(sq, lo + 1));
    torch::Tensor sqHi = hi == lo ? sqLo : std::get<0>(torch::kthvalue(sq, hi + 1));
    auto root = [](const torch::Tensor& t) { return t.to(torch::kDouble).clamp_min(1e-30).sqrt(); };
    torch::Tensor median = root(sqLo) * (1.0 - frac) + root(sqHi) * frac;
    if (sqHi.item<float>() <= 0.0f)
        throw Error("gamma fit: more than half of the locations have an all-zero normalized vector, "
                    "so the median after-norm is 0 for every gamma");
    torch::Tensor loss = (median.log() - std::log(target)).pow(2);
    return {loss, median};
}

torch::Tensor squaresTensor(const NormalizedSquares& squares)
{
    // from_blob does not copy; the tensor is only read, so the const_cast is safe.
    return torch::from_blob(const_cast<float*>(squares.values.data()), {squares.rows, squares.cols}, torch::kFloat);
}

} // namespace

GammaLossEval evaluateGammaLoss(const NormalizedSquares& squares, const std::vector<float>& gamma, double targetMedian)
{
    checkShape(squares, gamma);
    checkTarget(targetMedian);
    // The caller may sit inside inference mode (e.g. an analysis worker); the fit needs autograd.
    c10::InferenceMode noInference(/*enabled=*/false);
    torch::AutoGradMode withGrad(/*enabled=*/true);
    torch::Tensor S = squaresTensor(squares);
    torch::Tensor g = torch::tensor(gamma, torch::kFloat).requires_grad_(true);
    auto [loss, median] = objective(S, g, targetMedian);
    loss.backward();
    GammaLossEval out;
    out.loss = loss.item<double>();
    out.median = median.item<double>();
    torch::Tensor grad = g.grad().contiguous();
    out.gradient.assign(grad.data_ptr<float>(), grad.data_ptr<float>() + grad.numel());
    return out;
}

GammaFitResult fitGamma(const NormalizedSquares& squares, double targetMedian, const GammaFitOptions& options,
                        const GammaFitProgressFn& progress)
{
    std::vector<float> init = options.initGamma;
    if (init.empty())
        init.assign(static_cast<size_t>(std::max(squares.cols, 0)), kDefaultGamma);
    checkShape(squares, init);
    checkTarget(targetMedian);
    if (options.steps < 0 || !std::isfinite(options.lr))
        throw Error("gamma fit: steps must be >= 0 and the learning rate finite");

    c10::InferenceMode noInference(/*enabled=*/false);
    torch::AutoGradMode withGrad(/*enabled=*/true);
    torch::Tensor S = squaresTensor(squares);
    torch::Tensor g = torch::tensor(init, torch::kFloat).requires_grad_(true);
    double baseLr = options.lr;
    if (baseLr <= 0) {
        torch::NoGradGuard probe;
        baseLr = autoLearningRate(init, objective(S, g, targetMedian).second.item<double>(), targetMedian,
                                  options.steps);
    }
    torch::optim::Adam adam({g}, torch::optim::AdamOptions(baseLr).betas({0.9, kAdamBeta2}));

    GammaFitResult result;
    result.targetMedian = targetMedian;
    result.locations = squares.rows;
    double bestLoss = std::numeric_limits<double>::infinity();
    int sinceBest = 0;
    for (int step = 0; step <= options.steps; ++step) {
        adam.zero_grad();
        auto [loss, median] = objective(S, g, targetMedian);
        const double l = loss.item<double>();
        const double m = median.item<double>();
        if (!std::isfinite(l))
            throw Error("gamma fit: the loss became non-finite at step " + std::to_string(step));
        result.loss.push_back(l);
        result.median.push_back(m);
        if (step == 0)
            result.initialMedian = m;
        if (l < bestLoss) {
            bestLoss = l;
            result.bestStep = step;
            torch::Tensor gc = g.detach().contiguous();
            result.gamma.assign(gc.data_ptr<float>(), gc.data_ptr<float>() + gc.numel());
            result.achievedMedian = m;
            sinceBest = 0;
        } else {
            ++sinceBest;
        }
        result.stepsRun = step;
        if (step > 0 && progress && !progress(step, options.steps, l))
            throw Cancelled();
        if (step == options.steps)
            break;
        if (l <= options.lossTolerance) {
            result.stop = GammaFitStop::TargetReached;
            break;
        }
        if (options.patience > 0 && sinceBest >= options.patience) {
            result.stop = GammaFitStop::NoImprovement;
            break;
        }
        if (options.anneal && options.steps > 1) {
            const double t = static_cast<double>(step) / (options.steps - 1);
            const double lr = baseLr * (kFinalLrFraction + (1.0 - kFinalLrFraction) * 0.5 * (1.0 + std::cos(kPi * t)));
            static_cast<torch::optim::AdamOptions&>(adam.param_groups()[0].options()).lr(lr);
        }
        loss.backward();
        adam.step();
        // The norm depends on γ² only; a negative γ_c would flip channel c in the features the
        // next layer sees for no gain in the objective, so the fit stays in γ >= 0.
        torch::NoGradGuard noGrad;
        g.clamp_min_(0.0f);
    }
    return result;
}

UniformGammaResult fitUniformGamma(const NormalizedSquares& squares, double targetMedian)
{
    if (squares.rows <= 0 || squares.cols <= 0 ||
        squares.values.size() != static_cast<size_t>(squares.rows) * squares.cols)
        throw Error("gamma fit: no cached normalized features (empty or inconsistent matrix)");
    checkTarget(targetMedian);
    std::vector<double> unit(static_cast<size_t>(squares.rows));
    for (int i = 0; i < squares.rows; ++i) {
        const float* row = squares.values.data() + static_cast<size_t>(i) * squares.cols;
        double ss = 0;
        for (int c = 0; c < squares.cols; ++c)
            ss += row[c];
        unit[static_cast<size_t>(i)] = std::sqrt(ss);
    }
    const size_t n = unit.size();
    const size_t hi = n / 2;
    std::nth_element(unit.begin(), unit.begin() + static_cast<std::ptrdiff_t>(hi), unit.end());
    double median = unit[hi];
    if (n % 2 == 0)
        median = 0.5 * (median + *std::max_element(unit.begin(), unit.begin() + static_cast<std::ptrdiff_t>(hi)));
    if (!(median > 0))
        throw Error("gamma fit: more than half of the locations have an all-zero normalized vector, "
                    "so the median after-norm is 0 for every gamma");
    UniformGammaResult out;
    out.unitMedian = median;
    out.targetMedian = targetMedian;
    out.gamma = static_cast<float>(targetMedian / median);
    out.locations = squares.rows;
    return out;
}

double autoLearningRate(const std::vector<float>& initGamma, double initialMedian, double targetMedian, int steps)
{
    double meanAbs = 0;
    for (float g : initGamma)
        meanAbs += std::abs(g);
    meanAbs = initGamma.empty() ? kDefaultGamma : meanAbs / static_cast<double>(initGamma.size());
    if (meanAbs == 0)
        meanAbs = kDefaultGamma;
    const double travel = meanAbs * std::abs(targetMedian / std::max(initialMedian, 1e-30) - 1.0);
    // A floor keeps some motion when the start is already close to the target.
    return std::max(0.01 * meanAbs, 20.0 * travel / std::max(steps, 1));
}

double pooledMedian(const std::vector<const NormMap*>& maps)
{
    std::vector<float> all;
    for (const NormMap* map : maps) {
        if (!map)
            continue;
        for (float v : map->values)
            if (!std::isnan(v))
                all.push_back(v);
    }
    if (all.empty())
        throw Error("median: no finite norm values to take the median of");
    // numpy.median: mean of the two middle order statistics for an even count.
    const size_t n = all.size();
    const size_t hi = n / 2;
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(hi), all.end());
    const double upper = all[hi];
    if (n % 2 == 1)
        return upper;
    const double lower = *std::max_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(hi));
    return 0.5 * (lower + upper);
}

} // namespace featscale::analysis
