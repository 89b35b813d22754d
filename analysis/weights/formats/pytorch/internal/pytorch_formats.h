// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch: these parsers are what the fuzzer runs
// (fuzz/pytorch_reader_fuzzer.cpp); pytorch_readers.cpp wraps them.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/tensor_source.h"

#include <string>

namespace featscale::analysis::weights {

/// torch.save archives (PyTorch >= 1.6): a zip with <folder>/data.pkl and <folder>/data/<key>
/// storage records; the folder name varies. `path` names the file in errors.
/// verifyCrc = false only for fuzzing (see ZipArchive).
ParsedTensors parsePytorchZip(ByteView file, const std::string& path, bool verifyCrc = true);

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
