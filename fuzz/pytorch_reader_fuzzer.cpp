// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the PyTorch weight readers without LibTorch -- zip archive, legacy layout,
// restricted unpickler (both dialects), state-dict and module walks, view bounds and float32
// conversion. Inputs are routed as readWeightFile routes files: "PK\3\4" -> zip, read both as a
// torch.save archive and as TorchScript (CRC checks off, or mutations would rarely get past them);
// the legacy magic pickle -> legacy; anything else goes straight to the unpickler, whose tensors
// are resolved against a fixed dummy storage so that the conversion code runs too. Every input
// must parse or throw analysis::Error; conversions are bounded by checkOutputBudget, as in the app.
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"
#include "analysis/weights/formats/pytorch/internal/state_dict_walk.h"
#include "analysis/weights/formats/pytorch/internal/unpickler.h"

#include <cstring>
#include <vector>

namespace {

using namespace featscale::analysis;
using namespace featscale::analysis::weights;

void convertAll(const ParsedTensors& parsed)
{
    std::vector<float> out;
    for (const TensorSource& t : parsed.tensors) {
        out.resize(static_cast<std::size_t>(t.numel()));
        copyAsFloat32(t, out.data());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const ByteView bytes{data, size};
    try {
        if (size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0) {
            try {
                convertAll(parsePytorchZip(bytes, "fuzz.pth", /*verifyCrc=*/false));
            } catch (const Error&) { }
            convertAll(parseTorchScript(bytes, "fuzz.pt", /*verifyCrc=*/false));
        } else if (looksLikePytorchLegacy(bytes)) {
            convertAll(parsePytorchLegacy(bytes, "fuzz.pth"));
        } else {
            static const std::vector<std::uint8_t> storage(1 << 16, 0x3c);
            pickle::Unpickler unpickler(bytes, "fuzz.pkl");
            std::vector<std::string> warnings;
            const auto found = findStateDict(unpickler.load(), "fuzz.pkl", warnings);
            ParsedTensors parsed = resolveTensors(
                found,
                [](const pickle::StorageInfo&) {
                    return ByteView{storage.data(), storage.size()};
                },
                "fuzz.pkl");
            checkOutputBudget(parsed, size, "fuzz.pkl");
            convertAll(parsed);
        }
    } catch (const Error&) {
        // Refusing bad input with a message is the expected outcome.
    }
    return 0;
}
