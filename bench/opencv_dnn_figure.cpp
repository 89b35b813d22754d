// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 2: the same VGG16 (same weights, same input) built in OpenCV's cv::dnn, layer by layer
// in code, run to conv5_3 — against featscale analysing every tap up to conv5_3 (norm maps,
// summaries and histograms included). Both run in this process, back to back, same threads.
#include "bench/bench_util.h"
#include "bench/conv_flops.h"

#include "analysis/engine/analyzer.h"
#include "analysis/engine/blas_check.h"
#include "analysis/images/preprocess.h"
#include "analysis/weights/inspect.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>

namespace featscale::bench {

namespace an = featscale::analysis;

namespace {

cv::Mat toMat(const an::weights::PlainTensor& t)
{
    std::vector<int> dims(t.shape.begin(), t.shape.end());
    return cv::Mat(static_cast<int>(dims.size()), dims.data(), CV_32F, const_cast<float*>(t.values.data())).clone();
}

/// VGG16 configuration "D" up to relu5_3 as cv::dnn layers named after Caffe's blobs.
cv::dnn::Net buildNet(const std::map<std::string, an::weights::PlainTensor>& params)
{
    static const struct {
        const char* name;
        int index; // torchvision features index; -1 = max pool
    } kLayers[] = {{"conv1_1", 0},  {"conv1_2", 2},  {"pool1", -1},   {"conv2_1", 5},  {"conv2_2", 7},  {"pool2", -1},
                   {"conv3_1", 10}, {"conv3_2", 12}, {"conv3_3", 14}, {"pool3", -1},   {"conv4_1", 17}, {"conv4_2", 19},
                   {"conv4_3", 21}, {"pool4", -1},   {"conv5_1", 24}, {"conv5_2", 26}, {"conv5_3", 28}};
    cv::dnn::Net net;
    for (const auto& l : kLayers) {
        cv::dnn::LayerParams lp;
        lp.name = l.name;
        if (l.index < 0) {
            lp.type = "Pooling";
            lp.set("pool", "max");
            lp.set("kernel_size", 2);
            lp.set("stride", 2);
            lp.set("ceil_mode", false); // cv::dnn defaults to Caffe's ceil mode; torchvision floors
            net.addLayerToPrev(lp.name, lp.type, lp);
            continue;
        }
        const std::string key = "features." + std::to_string(l.index);
        const auto& w = params.at(key + ".weight");
        lp.type = "Convolution";
        lp.set("kernel_size", 3);
        lp.set("pad", 1);
        lp.set("num_output", static_cast<int>(w.shape.at(0)));
        lp.set("bias_term", true);
        lp.blobs = {toMat(w), toMat(params.at(key + ".bias"))};
        net.addLayerToPrev(lp.name, lp.type, lp);
        cv::dnn::LayerParams relu;
        relu.name = std::string("relu") + (l.name + 4);
        relu.type = "ReLU";
        net.addLayerToPrev(relu.name, relu.type, relu);
    }
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net;
}

} // namespace

int runOpenCvFigure(const Options& o)
{
    const std::string weights = o.str("weights-dir") + "/vgg16.pth";
    const std::string image = o.str("image");
    const int repeat = o.integer("repeat", 3);
    const int rounds = o.integer("rounds", 2);
    cv::setNumThreads(cores());

    const auto mapped = an::weights::readCanonical(weights, an::Arch::Vgg16);
    cv::dnn::Net net = buildNet(mapped.params);

    const cv::Mat bgr = cv::imread(image, cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error(image + ": cannot read image");
    for (int size : o.integers("sizes", "300")) {
        an::SizeSpec spec;
        spec.value = size;
        an::PreparedImage prepared = an::prepare(an::decodedFromBgr(image, bgr.data, bgr.cols, bgr.rows),
                                                 an::Preset::Torchvision, spec);
        const int dims[] = {1, 3, prepared.height, prepared.width};
        const cv::Mat blob(4, dims, CV_32F, prepared.chw.data());

        an::AnalyzerOptions opts;
        opts.arch = an::Arch::Vgg16;
        opts.archFromWeights = false;
        opts.weightsPath = weights;
        opts.preset = an::Preset::Torchvision;
        opts.size = spec;
        opts.layers = {"conv1_1", "conv1_2", "pool1",   "conv2_1", "conv2_2", "pool2",
                       "conv3_1", "conv3_2", "conv3_3", "pool3",   "conv4_1", "conv4_2",
                       "conv4_3", "pool4",   "conv5_1", "conv5_2", "conv5_3"};
        an::Analyzer analyzer(opts);

        // Rounds alternate the two sides so both see the same machine load; the medians of all
        // timed runs are compared.
        std::vector<double> ours, theirs;
        double maxRel = 0;
        double gflop = 0, gflopWinograd = 0;
        for (int round = 0; round < rounds; ++round) {
            an::ImageResult r;
            const Timing a = timeRuns(repeat, [&] { r = analyzer.analyzeBgr(image, bgr.data, bgr.cols, bgr.rows); });
            ours.insert(ours.end(), a.runsMs.begin(), a.runsMs.end());
            const ConvFlops f = convFlops(an::Arch::Vgg16, r);
            gflop = f.features / 1e9;
            gflopWinograd = f.winogradFeatures / 1e9;
            cv::Mat out;
            const Timing b = timeRuns(repeat, [&] {
                net.setInput(blob);
                out = net.forward("relu5_3");
            });
            theirs.insert(theirs.end(), b.runsMs.begin(), b.runsMs.end());
            // Same network, same numbers: conv5_3's norm map from cv::dnn's output.
            const auto& ref = r.find("conv5_3")->before;
            if (out.dims != 4 || out.size[2] != ref.height || out.size[3] != ref.width)
                throw std::runtime_error("cv::dnn's conv5_3 is " + std::to_string(out.size[2]) + "x" +
                                         std::to_string(out.size[3]) + ", featscale's " + std::to_string(ref.height) +
                                         "x" + std::to_string(ref.width) + ": not the same network");
            const int c = out.size[1], hw = out.size[2] * out.size[3];
            double scale = 0, worst = 0;
            for (int i = 0; i < hw; ++i) {
                double s = 0;
                for (int k = 0; k < c; ++k) {
                    const double v = out.ptr<float>()[static_cast<std::size_t>(k) * hw + i];
                    s += v * v;
                }
                scale = std::max(scale, static_cast<double>(ref.values[static_cast<std::size_t>(i)]));
                worst = std::max(worst, std::abs(std::sqrt(s) - ref.values[static_cast<std::size_t>(i)]));
            }
            maxRel = std::max(maxRel, worst / std::max(scale, 1e-30));
        }
        emit({{"figure", "opencv_dnn"},
              {"size", size},
              {"threads", cores()},
              {"featscale_median_ms", median(ours)},
              {"opencv_median_ms", median(theirs)},
              {"featscale_runs_ms", ours},
              {"opencv_runs_ms", theirs},
              {"gflop_features", gflop},
              {"gflop_winograd_features", gflopWinograd},
              {"winograd", an::winogradAvailable()},
              {"conv5_3_max_rel_diff", maxRel},
              {"opencv", CV_VERSION}});
    }
    return 0;
}

} // namespace featscale::bench
