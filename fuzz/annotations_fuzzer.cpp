// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the annotation readers behind `analyze --annotations` (Pascal VOC XML, COCO
// instances JSON, WIDER FACE ground truth). The first byte picks the format, the rest is the file.
// Every input must either parse or throw analysis::Error; what parses must be consistent: no image
// over the box cap, every box of non-negative size, and the region mask of each image computable.
#include "analysis/regions/annotations.h"
#include "analysis/regions/region_mask.h"

#include <cstdint>
#include <cstdlib>
#include <string>

// The one member of the engine's ImageResult the region mask calls (analyzer.cpp, which defines it,
// needs LibTorch).
const featscale::analysis::LayerResult* featscale::analysis::ImageResult::find(const std::string& layer) const
{
    for (const LayerResult& l : layers)
        if (l.layer == layer)
            return &l;
    return nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    if (size == 0)
        return 0;
    const Annotations::Format formats[] = {Annotations::Format::Voc, Annotations::Format::Coco,
                                           Annotations::Format::WiderFace};
    const Annotations::Format format = formats[data[0] % 3];
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const Annotations a = Annotations::parse(format, text, "fuzz-annotations");
        for (const std::string& name : a.names()) {
            const ImageAnnotation* img = a.find(format == Annotations::Format::Voc ? name + ".xml" : name);
            if (!img || img->boxes.size() > Annotations::kMaxBoxesPerImage)
                std::abort();
            for (const Box& b : img->boxes)
                if (!(b.x1 >= b.x0 && b.y1 >= b.y0))
                    std::abort();
            (void)Annotations::check(*img, 64, 48);
            (void)regionMask(6, 8, 64, 48, img->boxes);
        }
    } catch (const Error&) {
        // refused with a message naming the file
    }
    return 0;
}
