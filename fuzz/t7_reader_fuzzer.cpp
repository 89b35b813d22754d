// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the Lua Torch .t7 reader (weights/internal/t7_reader.h) without LibTorch --
// object graph with references, cycles and self-reference, tensor views over shared storages, both
// long sizes, the walk that names arrays and their float32 conversion under the output budget.
// Every input must parse or throw analysis::Error. The arrays are read back as a gamma loader
// would, so the converted values are touched too.
#include "analysis/weights/formats/torch7/internal/t7_reader.h"

#include <cmath>

using namespace featscale::analysis;
using namespace featscale::analysis::weights;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto arrays = t7::readArrays(ByteView{data, size}, "fuzz.t7");
        volatile std::size_t finite = 0;
        for (const auto& a : arrays) {
            std::int64_t n = 1;
            for (auto s : a.sizes)
                n *= s;
            if (static_cast<std::size_t>(n) != a.values.size())
                __builtin_trap(); // shape and values must agree
            for (float v : a.values)
                finite = finite + (std::isfinite(v) ? 1 : 0);
        }
    } catch (const Error&) {
        // Refusing bad input with a message is the expected outcome.
    }
    return 0;
}
