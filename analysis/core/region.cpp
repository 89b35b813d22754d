// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/region.h"

#include "analysis/core/types.h"

namespace featscale::analysis {

std::string toString(Region region)
{
    switch (region) {
    case Region::All:
        return "all";
    case Region::Object:
        return "object";
    case Region::Background:
        return "background";
    case Region::Small:
        return "small";
    case Region::Medium:
        return "medium";
    case Region::Large:
        return "large";
    }
    return "?";
}

Region parseRegion(const std::string& text)
{
    for (Region r : {Region::All, Region::Object, Region::Background, Region::Small, Region::Medium, Region::Large})
        if (toString(r) == text)
            return r;
    throw Error("unknown region '" + text + "' (all, object, background, small, medium, large)");
}

} // namespace featscale::analysis
