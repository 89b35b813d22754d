// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cmath>
#include <limits>

namespace featscale::analysis {

/// How many times larger one layer's median norm is than another's (ParseNet's conv4_3 / fc7
/// question), as every view and report states it. NaN when the ratio says nothing: a denominator
/// that is not positive (a median of all-zero maps, or NaN for a missing one) or a numerator that
/// is not finite.
inline double medianRatio(double numerator, double denominator)
{
    return denominator > 0 && std::isfinite(numerator) ? numerator / denominator
                                                       : std::numeric_limits<double>::quiet_NaN();
}

} // namespace featscale::analysis
