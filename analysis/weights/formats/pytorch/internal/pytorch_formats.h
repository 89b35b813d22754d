// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch: these parsers are what the fuzzer runs
// (fuzz/pytorch_reader_fuzzer.cpp); pytorch_readers.cpp wraps them.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/tensor_source.h"
#include "analysis/weights/formats/pytorch/internal/pickle_value.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// torch.save archives (PyTorch >= 1.6): a zip with <folder>/data.pkl and <folder>/data/<key>
/// storage records; the folder name varies. `path` names the file in errors.
/// verifyCrc = false only for fuzzing (see ZipArchive).
ParsedTensors parsePytorchZip(ByteView file, const std::string& path, bool verifyCrc = true);

/// Picks, from an archive's unpickled root object and the names of its state dict's tensors (in
/// file order), the names of the tensors to read.
using TensorChooser =
    std::function<std::set<std::string>(const pickle::Value* root, const std::vector<std::string>& names)>;

/// parsePytorchZip reading only the tensors `choose` picks: their storage records are the only
/// ones whose bytes are asked for (and CRC-checked). With `prefetch` (ZipArchive::Prefetch) the
/// archive may be an image of the file filled on demand (SparseFile), so reading a checkpoint's γ
/// costs the pickle and γ's records, not the file.
ParsedTensors parsePytorchZipSelected(ByteView file, const std::string& path,
                                      const std::function<void(std::uint64_t, std::uint64_t)>& prefetch,
                                      const TensorChooser& choose);

/// torch.jit.save archives (TorchScript): the same zip layout, whose data.pkl is a module object.
/// Read as data only: the archive's code (including any __setstate__) is never compiled or run,
/// unlike torch::jit::load. Tensors are named by attribute path, in state_dict() order.
ParsedTensors parseTorchScript(ByteView file, const std::string& path, bool verifyCrc = true);

/// Legacy torch.save files (before 1.6): magic-number pickle, protocol 1001, sys_info, the object
/// pickle, the storage key list, then each storage as an int64 element count and raw bytes.
ParsedTensors parsePytorchLegacy(ByteView file, const std::string& path);

/// First bytes of a legacy file: the magic number 0x1950a86a20f9469cfc6c pickled with protocol 2.
bool looksLikePytorchLegacy(ByteView head);

} // namespace featscale::analysis::weights
