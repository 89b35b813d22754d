// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::ui::plot_style {

/// Where a box plot on a log axis draws values <= 0 (dead ReLU locations, which have no place on
/// it): at a floor a third below the smallest positive value drawn, 1e-3 when none is positive.
/// Feed it every value of the boxes with add(), then draw each value as clamp(value). The Layer
/// scales panel and the feature-scale figure both draw their boxes so.
struct LogBoxFloor {
    double minPositive = std::numeric_limits<double>::infinity(); ///< of the values added

    void add(double v)
    {
        if (v > 0)
            minPositive = std::min(minPositive, v);
    }
    double value() const { return std::isfinite(minPositive) ? minPositive / 3 : 1e-3; }
    double clamp(double v) const { return v > 0 ? v : value(); }
};

} // namespace featscale::ui::plot_style
