// SPDX-License-Identifier: GPL-3.0-or-later
#include "after_result.h"

namespace featscale::ui::test {

analysis::AfterResult afterResultOf(const std::string& layer, int height, int width, std::vector<float> norms,
                                    const analysis::BinScheme& bins)
{
    analysis::AfterResult r;
    r.after.layer = layer;
    r.after.height = height;
    r.after.width = width;
    r.after.values = std::move(norms);
    r.stats = analysis::LayerStats::of(r.after.values);
    r.hist = analysis::Histogram(bins);
    r.hist.addAll(r.after.values);
    return r;
}

} // namespace featscale::ui::test
