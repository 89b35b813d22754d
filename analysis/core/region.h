// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace featscale::analysis {

/// The cells a statistic is taken over: all of a map, or (annotated images) the cells on objects,
/// on background, or on objects of one of COCO's size classes.
enum class Region { All, Object, Background, Small, Medium, Large };

/// COCO's size classes, by box area in original pixels: small < 32², medium < 96², large otherwise.
inline constexpr double kSmallArea = 32.0 * 32.0;
inline constexpr double kMediumArea = 96.0 * 96.0;

std::string toString(Region region);
/// "all", "object", "background", "small", "medium", "large"; throws Error otherwise.
Region parseRegion(const std::string& text);

} // namespace featscale::analysis
