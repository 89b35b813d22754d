// SPDX-License-Identifier: GPL-3.0-or-later
// RunSet's comparison: the engine's compareAggregates and withinRunRatios on the shown runs.
#include "ui/runs/run_set.h"

namespace featscale::ui {

namespace an = featscale::analysis;

an::RunComparison RunSet::compare() const
{
    const std::vector<const RunEntry*> shown = shownRuns();
    if (shown.empty())
        return {};
    const int ref = reference();
    std::size_t reference = 0;
    std::vector<an::RunAggregates> runs;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        runs.push_back(shown[i]->aggregates());
        if (ref >= 0 && shown[i] == &run(ref))
            reference = i;
    }
    return an::compareAggregates(runs, reference);
}

std::vector<std::vector<an::WithinRunRatio>> RunSet::withinRunRatios() const
{
    std::vector<std::vector<an::WithinRunRatio>> out;
    for (const RunEntry* r : shownRuns()) {
        const auto [num, den] = an::defaultRatioLayers(r->data->meta.layers, r->data->meta.l2normLayers);
        out.push_back(num.empty() ? std::vector<an::WithinRunRatio>{} : an::withinRunRatios(*r->stages, num, den));
    }
    return out;
}

} // namespace featscale::ui
