// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/stats/internal/tensor_feature_cache.h"

#include "analysis/core/types.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace featscale::analysis {
namespace {

std::vector<float> toVector(const torch::Tensor& t)
{
    const auto c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

} // namespace

NormMap normMapOf(const std::string& layer, const torch::Tensor& activation)
{
    NormMap m;
    m.layer = layer;
    m.height = static_cast<int>(activation.size(2));
    m.width = static_cast<int>(activation.size(3));
    const auto a = activation[0].contiguous();
    const std::int64_t channels = a.size(0), cells = a.size(1) * a.size(2);
    const float* src = a.data_ptr<float>();
    m.values.assign(static_cast<std::size_t>(cells), 0.0f);
    float* sums = m.values.data();
    // One pass over the activation, channel planes streamed in order, into a block of sums small
    // enough to stay in L1; no [C,H,W] temporary as square().sum(0) would allocate.
    at::parallel_for(0, cells, 2048, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t c = 0; c < channels; ++c) {
            const float* plane = src + c * cells;
            for (std::int64_t i = begin; i < end; ++i)
                sums[i] += plane[i] * plane[i];
        }
        for (std::int64_t i = begin; i < end; ++i)
            sums[i] = std::sqrt(sums[i]);
    });
    return m;
}

void summarise(const NormMap& map, const BinScheme& bins, LayerStats& stats, Histogram& hist)
{
    stats = LayerStats::of(map.values);
    hist = Histogram(bins);
    hist.addAll(map.values);
}

AfterResult TensorFeatureCache::after(const std::string& layer, const std::vector<float>& gamma,
                                      const BinScheme& bins) const
{
    const auto it = normalized.find(layer);
    if (it == normalized.end())
        throw Error("layer " + layer + " has no L2Norm in this result");
    const auto& n = it->second;
    if (static_cast<std::int64_t>(gamma.size()) != n.xhatSq.size(1))
        throw Error("gamma for " + layer + " has " + std::to_string(gamma.size()) + " values, expected " +
                    std::to_string(n.xhatSq.size(1)));
    torch::InferenceMode guard;
    AfterResult r;
    r.after.layer = layer;
    r.after.height = n.height;
    r.after.width = n.width;
    // ‖γ⊙x̂‖ at every cell: one pass over x̂² on this thread. A BLAS gemv here would wake the
    // BLAS thread pool for a sub-millisecond job, which under load costs more than the job.
    const auto sq = n.xhatSq.contiguous();
    const float* rows = sq.data_ptr<float>();
    const std::size_t cells = static_cast<std::size_t>(sq.size(0)), channels = gamma.size();
    // ‖γ⊙x̂‖ ≤ max|γ| since ‖x̂‖ ≤ 1: every finite γ has a finite result, but γ² overflows
    // float32 above 1.8e19 (and loses its digits below 1e-19). Such a γ is scaled by its largest
    // magnitude first, ‖γ⊙x̂‖ = m·‖(γ/m)⊙x̂‖; any other γ is used as it is, bit for bit.
    float m = 0;
    for (float g : gamma)
        m = std::max(m, std::abs(g));
    const float scale = (m > 1e18f || (m > 0 && m < 1e-18f)) ? m : 1.0f;
    std::vector<float> g2(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        const float g = scale == 1.0f ? gamma[c] : gamma[c] / scale;
        g2[c] = g * g;
    }
    r.after.values.resize(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        const float* row = rows + i * channels;
        float acc[8] = {};
        std::size_t c = 0;
        for (; c + 8 <= channels; c += 8)
            for (int l = 0; l < 8; ++l)
                acc[l] += row[c + l] * g2[c + l];
        float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (; c < channels; ++c)
            sum += row[c] * g2[c];
        r.after.values[i] = scale == 1.0f ? std::sqrt(sum) : scale * std::sqrt(sum);
    }
    summarise(r.after, bins, r.stats, r.hist);
    if (n.absSums.defined()) {
        const auto sums = n.absSums.contiguous();
        const double* s = sums.data_ptr<double>();
        double total = 0.0;
        for (std::size_t c = 0; c < channels; ++c)
            total += std::fabs(static_cast<double>(gamma[c])) * s[c];
        r.stats.sumAbs = total;
        r.stats.elements = static_cast<std::uint64_t>(cells) * channels;
    }
    return r;
}

std::vector<std::string> TensorFeatureCache::normalizedLayers() const
{
    std::vector<std::string> out;
    for (const auto& [name, n] : normalized)
        out.push_back(name);
    return out;
}

std::vector<float> TensorFeatureCache::normalizedAt(const std::string& layer, int y, int x) const
{
    const auto it = normalized.find(layer);
    if (it == normalized.end() || y < 0 || x < 0 || y >= it->second.height || x >= it->second.width)
        return {};
    return toVector(it->second.xhat[static_cast<std::int64_t>(y) * it->second.width + x]);
}

std::vector<float> TensorFeatureCache::activationAt(const std::string& layer, int y, int x) const
{
    const auto it = activations.find(layer);
    if (it == activations.end() || y < 0 || x < 0 || y >= it->second.size(1) || x >= it->second.size(2))
        return {};
    return toVector(it->second.index({torch::indexing::Slice(), y, x}));
}

NormalizedSquares TensorFeatureCache::normalizedSquares(const std::string& layer) const
{
    const auto it = normalized.find(layer);
    if (it == normalized.end())
        return {};
    NormalizedSquares out;
    out.rows = static_cast<int>(it->second.xhatSq.size(0));
    out.cols = static_cast<int>(it->second.xhatSq.size(1));
    out.values = toVector(it->second.xhatSq);
    return out;
}

std::size_t TensorFeatureCache::bytes() const
{
    std::size_t b = 0;
    for (const auto& [name, n] : normalized)
        b += (n.xhat.numel() + n.xhatSq.numel()) * sizeof(float);
    for (const auto& [name, t] : activations)
        b += t.numel() * sizeof(float);
    return b;
}

} // namespace featscale::analysis
