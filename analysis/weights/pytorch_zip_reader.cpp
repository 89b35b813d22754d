// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/internal/mapped_file.h"
#include "analysis/weights/internal/pytorch_formats.h"
#include "analysis/weights/internal/pytorch_tensors.h"

namespace featscale::analysis::weights {

// Parsing never executes anything from the file (see unpickler.h); tensors are copied out of the
// mapping before it is released.
RawTensors readPytorchZip(const std::string& path)
{
    MappedFile file(path);
    return toRawTensors(parsePytorchZip(file.bytes(), path), "pytorch-zip");
}

} // namespace featscale::analysis::weights
