// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/run_colors.h"

#include <array>

namespace featscale::ui {

QColor runPaletteColor(int index)
{
    // Okabe–Ito colours (distinct under the common colour-vision deficiencies), black last.
    static const std::array<QRgb, 8> palette = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7,
                                                0xE69F00, 0x56B4E9, 0xF0E442, 0x000000};
    return QColor(palette[static_cast<std::size_t>(index) % palette.size()]);
}

} // namespace featscale::ui
