// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/inspect.h"
#include "analysis/weights/internal/state_dict.h"

namespace featscale::analysis::weights {

WeightInfo inspect(const std::string& path, std::optional<Arch> archHint) { return loadWeights(path, archHint).second; }

CanonicalWeights readCanonical(const std::string& path, std::optional<Arch> archHint)
{
    auto [mapped, info] = loadWeights(path, archHint);
    CanonicalWeights out;
    out.info = std::move(info);
    for (const auto& [name, tensor] : mapped.params) {
        const torch::Tensor t = tensor.to(torch::kFloat32).contiguous();
        PlainTensor p;
        p.shape.assign(t.sizes().begin(), t.sizes().end());
        p.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        out.params.emplace(name, std::move(p));
    }
    return out;
}

} // namespace featscale::analysis::weights
