// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/window_layout.h"

#include <algorithm>

namespace featscale::ui::window_layout {

namespace {
constexpr int kHandles = 12; ///< splitter handle and dock separators, roughly
}

Plan plan(int width)
{
    Plan p;
    // Half the width plus the splitter handle, so the plot tabs themselves get half.
    p.plots = std::max(kPlotMinimumWidth, (width + 1) / 2 + 8);
    p.oneDockColumn = width < kThreeColumnWidth;
    if (p.oneDockColumn) {
        p.leftDock = std::clamp(width * 24 / 100, kDockMinimumWidth + 40, 440);
    } else {
        p.leftDock = std::clamp(width / 8, kDockMinimumWidth, 320);
        p.rightDock = std::clamp(width / 6, 380, 460);
    }
    p.image = std::max(kImageMinimumWidth, width - p.leftDock - p.rightDock - p.plots - kHandles);
    // Too narrow for everything at its preferred width: the docks yield first, then the photo.
    const int excess = p.leftDock + p.rightDock + p.image + p.plots + kHandles - width;
    if (excess > 0)
        p.leftDock = std::max(kDockMinimumWidth, p.leftDock - excess);
    return p;
}

bool savedLayoutFits(const QSize& savedScreen, const QRect& savedGeometry, const QRect& available)
{
    if (!savedScreen.isValid() || savedScreen != available.size())
        return false;
    return savedGeometry.isValid() && savedGeometry.width() <= available.width() &&
           savedGeometry.height() <= available.height();
}

} // namespace featscale::ui::window_layout
