// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace featscale::analysis {

/// Density per decade of a log-axis histogram bin [lo, hi) (0 < lo < hi) holding `count` of
/// `total` locations: the fraction of all locations per decade of norm, count / total /
/// log10(hi / lo), so that equal areas under the curve mean equal fractions as the eye reads them.
/// 0 when total is 0. Every view that draws a Histogram on a log axis uses it.
double densityPerDecade(std::uint64_t count, std::uint64_t total, double lo, double hi);

} // namespace featscale::analysis
