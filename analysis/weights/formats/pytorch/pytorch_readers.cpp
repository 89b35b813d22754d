// SPDX-License-Identifier: GPL-3.0-or-later
// The three PyTorch file kinds: read the file, parse it as data (pytorch_formats.h; nothing from
// the file is executed, see unpickler.h), copy the tensors out.
#include "analysis/weights/bytes/internal/file_bytes.h"
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"
#include "analysis/weights/formats/pytorch/internal/pytorch_tensors.h"

namespace featscale::analysis::weights {

RawTensors readPytorchZip(const std::string& path)
{
    const FileBytes file(path);
    RawTensors raw = toRawTensors(parsePytorchZip(file.bytes(), path), "pytorch-zip");
    raw.sha256 = file.sha256();
    return raw;
}

RawTensors readPytorchLegacy(const std::string& path)
{
    const FileBytes file(path);
    RawTensors raw = toRawTensors(parsePytorchLegacy(file.bytes(), path), "pytorch-legacy");
    raw.sha256 = file.sha256();
    return raw;
}

// torch::jit::load would compile the archive's code and run any __setstate__ it defines (a loop
// or a huge allocation there would hang or kill featscale), so the archive is read as data with
// the restricted unpickler instead: module attributes and their tensors only, nothing executed.
RawTensors readTorchScript(const std::string& path)
{
    const FileBytes file(path);
    RawTensors raw = toRawTensors(parseTorchScript(file.bytes(), path), "torchscript");
    raw.sha256 = file.sha256();
    return raw;
}

} // namespace featscale::analysis::weights
