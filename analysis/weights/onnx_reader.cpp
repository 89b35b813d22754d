// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder until the weight-import work lands (issue #3): reports the format as unsupported.
#include "analysis/weights/state_dict.h"

namespace featscale::analysis::weights {

RawTensors readOnnx(const std::string& path)
{
    throw Error(path + ": onnx weight files are not supported yet");
}

} // namespace featscale::analysis::weights
