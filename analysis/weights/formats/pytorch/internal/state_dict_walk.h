// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/tensor_source.h"
#include "analysis/weights/formats/pytorch/internal/pickle_value.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// A named tensor found in an unpickled object.
struct FoundTensor {
    std::string name;
    const pickle::TensorInfo* tensor = nullptr;
};

/// Finds the state dict in an unpickled object and returns its tensors in file order:
///  - a dict whose values include tensors is the state dict (non-tensor values such as an epoch
///    counter are skipped, with a warning);
///  - a checkpoint that wraps it ({'state_dict': ...}, {'model_state_dict': ...}, {'model': ...},
///    {'net': ...}, {'weight': ...}) is unwrapped, a few levels deep; its other entries (optimizer state, epoch,
///    metadata) are ignored with a warning;
///  - a lone tensor is returned under the name "tensor" (a gamma saved with torch.save(t, f)).
/// Throws Error naming the path and listing the top-level keys when there is no state dict.
std::vector<FoundTensor> findStateDict(const pickle::Value* root, const std::string& path,
                                       std::vector<std::string>& warnings);

/// The tensors of an unpickled TorchScript module (Kind::Object), named by attribute path as
/// named_parameters()/named_buffers() name them ("features.0.weight"), in pickle order (which is
/// state_dict() order); shared tensors and submodules are listed once. Modules whose state was a
/// custom __getstate__ are reported in warnings (their tensors cannot be named). Throws Error if
/// no tensor is found.
std::vector<FoundTensor> findModuleTensors(const pickle::Value* root, const std::string& path,
                                           std::vector<std::string>& warnings);

/// Bytes of one storage (the whole root storage for legacy views), located by the format.
using StorageLookup = std::function<ByteView(const pickle::StorageInfo&)>;

/// Turns found tensors into sources over their storages' bytes. `lookup` must return at least
/// rootNumel * elementSize bytes or throw; views are bounds-checked against it.
ParsedTensors resolveTensors(const std::vector<FoundTensor>& found, const StorageLookup& lookup,
                             const std::string& path);

} // namespace featscale::analysis::weights
