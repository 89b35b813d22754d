// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/weight_info.h"
#include "analysis/weights/untrained.h"

namespace featscale::analysis {

std::string untrainedSentence(std::uint64_t seed)
{
    return std::string(kUntrainedSentence) + " (seed " + std::to_string(seed) + ")";
}

std::string WeightInfo::summary() const
{
    if (untrained)
        return untrainedSentence(seed) + "; " + toString(arch);
    std::string s = displayName + " (" + format + ", " + layout + ", " + toString(arch) + ", preset " +
                    toString(preset);
    if (!sha256.empty())
        s += ", sha256 " + sha256.substr(0, 12);
    return s + ")";
}

} // namespace featscale::analysis
