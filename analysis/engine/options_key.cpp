// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/options_key.h"

#include <limits>
#include <sstream>

namespace featscale::analysis {

std::string key(const AnalyzerOptions& o)
{
    std::ostringstream out;
    // Every digit a float has: gammas that differ in the last place are different engines.
    out.precision(std::numeric_limits<float>::max_digits10);
    auto list = [&](const std::vector<std::string>& names) {
        for (const std::string& n : names)
            out << n << ',';
        out << ';';
    };
    auto values = [&](const std::vector<float>& v) {
        for (float g : v)
            out << g << ',';
        out << ';';
    };
    // The path with its length: no path, whatever characters it holds, reads as another path
    // followed by other fields. The size with its pixel cap, which bounds every size mode.
    out << toString(o.arch) << ';' << o.archFromWeights << ';' << o.weightsPath.size() << ':' << o.weightsPath << ';'
        << o.seed << ';' << (o.preset ? toString(*o.preset) : std::string("-")) << ';' << toString(o.size) << '/'
        << o.size.maxPixels << ';';
    list(o.layers);
    out << o.layersAll << ';';
    if (o.l2normLayers)
        list(*o.l2normLayers);
    else
        out << "family;"; // unset: the weights' family decides
    out << (o.eps ? toString(*o.eps) : std::string("family")) << ';' << o.bins.toSpec() << ';' << o.threads << ';'
        << o.keepActivations << ';';
    values(o.gamma);
    for (const auto& [layer, gamma] : o.gammas) {
        out << layer << ':';
        values(gamma);
    }
    return out.str();
}

} // namespace featscale::analysis
