// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/state_dict.h"

#include <torch/script.h>

namespace featscale::analysis::weights {

// Only the module's parameters and buffers are read; no method of the module is ever called.
RawTensors readTorchScript(const std::string& path)
{
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU);
    } catch (const std::exception& e) {
        std::string what = e.what();
        throw Error(path + ": not a readable TorchScript archive (" + what.substr(0, what.find('\n')) + ")");
    }
    RawTensors raw;
    raw.format = "torchscript";
    for (const auto& p : module.named_parameters(/*recurse=*/true))
        raw.tensors.emplace_back(p.name, p.value.detach().to(torch::kFloat32).contiguous().clone());
    for (const auto& b : module.named_buffers(/*recurse=*/true)) {
        if (!b.value.is_floating_point())
            continue; // e.g. BatchNorm's num_batches_tracked
        raw.tensors.emplace_back(b.name, b.value.detach().to(torch::kFloat32).contiguous().clone());
    }
    return raw;
}

} // namespace featscale::analysis::weights
