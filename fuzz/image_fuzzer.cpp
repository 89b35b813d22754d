// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the image loader wrapper on arbitrary bytes. decodeImageBytes sniffs the
// header (format, declared size, JPEG completeness), refuses bombs, then hands the bytes to
// OpenCV. Every input must either decode to a consistent image or throw analysis::Error.
#include "analysis/images/internal/image_header.h"
#include "analysis/images/preprocess.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    // the sniffer alone must stay inside the buffer on every prefix length it is given
    const ImageHeader h = sniffImageHeader(data, size);
    if (h.width > 0 && h.height > 0 && h.format.empty())
        std::abort(); // dimensions without a recognised format
    try {
        const DecodedImage img = decodeImageBytes("fuzz-input", std::vector<unsigned char>(data, data + size));
        if (img.width <= 0 || img.height <= 0 ||
            img.bgr.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 3)
            std::abort(); // a decoded image whose buffer disagrees with its size
        if (static_cast<std::int64_t>(img.width) * img.height > kMaxDecodePixels)
            std::abort(); // the pixel limit was bypassed
    } catch (const Error&) {
        // refused with a message: the expected outcome for most inputs
    }
    return 0;
}
