// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 4: from a new gamma vector to conv4_3's updated after-norm map, summary and histogram
// (FeatureCache::after), the work behind every step of a gamma slider drag.
#include "bench/bench_util.h"

#include "analysis/engine/analyzer.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>

namespace featscale::bench {

namespace an = featscale::analysis;

int runGammaFigure(const Options& o)
{
    const std::string image = o.str("image");
    const int repeat = o.integer("repeat", 200);
    const cv::Mat bgr = cv::imread(image, cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error(image + ": cannot read image");
    for (int size : o.integers("sizes", "300,512")) {
        an::AnalyzerOptions opts;
        opts.arch = an::Arch::Vgg16Reduced;
        opts.archFromWeights = false;
        opts.weightsPath = o.str("weights-dir") + "/vgg16_reduced.pth";
        opts.size.value = size;
        opts.layers = {"conv4_3"};
        an::Analyzer analyzer(opts);
        const an::ImageResult r = analyzer.analyzeBgr(image, bgr.data, bgr.cols, bgr.rows);
        const auto* conv4_3 = r.find("conv4_3");
        std::vector<float> gamma(static_cast<std::size_t>(conv4_3->channels));
        int step = 0;
        std::size_t checksum = 0;
        const Timing t = timeRuns(repeat, [&] {
            // a different gamma every step, as while dragging: nothing can be reused
            ++step;
            for (std::size_t c = 0; c < gamma.size(); ++c)
                gamma[c] = 5.0f + static_cast<float>((step * 7 + c) % 50);
            const an::AfterResult a = r.cache->after("conv4_3", gamma, opts.bins);
            checksum += a.hist.total();
        });
        std::vector<double> sorted = t.runsMs;
        std::sort(sorted.begin(), sorted.end());
        emit({{"figure", "gamma_latency"},
              {"size", size},
              {"cells", conv4_3->before.height * conv4_3->before.width},
              {"channels", conv4_3->channels},
              {"min_ms", t.minMs},
              {"median_ms", t.medianMs},
              {"p95_ms", sorted[sorted.size() * 95 / 100]},
              {"checksum", checksum}});
    }
    return 0;
}

} // namespace featscale::bench
