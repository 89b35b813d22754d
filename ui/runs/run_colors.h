// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>

namespace featscale::ui {

/// The colour a new run gets: the index-th of a palette that stays distinguishable in print.
QColor runPaletteColor(int index);

} // namespace featscale::ui
