// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 1 (featscale side): one image through preprocessing, the forward pass and every tap's
// norm map, summary and histogram (AnalyzerOptions::layersAll), as the CLI and GUI run it.
// The reference side is torch_reference.py's eager forward pass alone.
#include "bench/bench_util.h"
#include "bench/conv_flops.h"

#include "analysis/engine/analyzer.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <chrono>

namespace featscale::bench {

namespace an = featscale::analysis;

namespace {

std::string weightsFile(const std::string& dir, an::Arch arch)
{
    return dir + (arch == an::Arch::Vgg16 ? "/vgg16.pth" : "/vgg16_reduced.pth");
}

} // namespace

int runEngineFigure(const Options& o)
{
    const std::string dir = o.str("weights-dir");
    const std::string image = o.str("image");
    const int repeat = o.integer("repeat", 3);
    const cv::Mat bgr = cv::imread(image, cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error(image + ": cannot read image");
    for (const auto& archName : o.list("archs", "vgg16,vgg16-reduced")) {
        const an::Arch arch = an::parseArch(archName);
        for (int size : o.integers("sizes", "224,300,512")) {
            an::AnalyzerOptions opts;
            opts.arch = arch;
            opts.archFromWeights = false;
            opts.weightsPath = weightsFile(dir, arch);
            opts.preset = arch == an::Arch::Vgg16 ? an::Preset::Torchvision : an::Preset::Caffe;
            opts.size.value = size;
            opts.layersAll = true;
            // cold: loading the weights, then the first image (which also transforms the 3x3
            // weights for the Winograd path and creates the buffers the model keeps)
            const auto t0 = std::chrono::steady_clock::now();
            an::Analyzer analyzer(opts);
            const auto t1 = std::chrono::steady_clock::now();
            analyzer.analyzeBgr(image, bgr.data, bgr.cols, bgr.rows);
            const auto t2 = std::chrono::steady_clock::now();
            an::ImageResult last;
            double forwardMin = 1e300, statsMin = 1e300, preMin = 1e300;
            const Timing t = timeRuns(repeat, [&] {
                last = analyzer.analyzeBgr(image, bgr.data, bgr.cols, bgr.rows);
                forwardMin = std::min(forwardMin, last.forwardMs);
                statsMin = std::min(statsMin, last.statsMs);
                preMin = std::min(preMin, last.preprocessMs);
            });
            const ConvFlops flops = convFlops(arch, last);
            emit({{"figure", "featscale_analyze"},
                  {"arch", archName},
                  {"size", size},
                  {"threads", an::configureThreads(0)},
                  {"layers", last.layers.size()},
                  {"min_ms", t.minMs},
                  {"median_ms", t.medianMs},
                  {"runs_ms", t.runsMs},
                  {"preprocess_min_ms", preMin},
                  {"forward_min_ms", forwardMin},
                  {"stats_min_ms", statsMin},
                  {"cold_load_ms", std::chrono::duration<double, std::milli>(t1 - t0).count()},
                  {"cold_first_ms", std::chrono::duration<double, std::milli>(t2 - t1).count()},
                  {"gflop_features", flops.features / 1e9},
                  {"gflop_total", flops.total() / 1e9}});
        }
    }
    return 0;
}

} // namespace featscale::bench
