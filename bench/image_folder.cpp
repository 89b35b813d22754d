// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 6 input: a folder of generated photographs-like JPEGs (gradients, shapes, noise; every
// image different, deterministic by index) for the CLI scale run.
#include "bench/bench_util.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>

namespace featscale::bench {

namespace {

cv::Mat makeImage(int index, int width, int height)
{
    cv::RNG rng(static_cast<std::uint64_t>(index) * 7919 + 17);
    cv::Mat img(height, width, CV_8UC3);
    const cv::Vec3f a(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    const cv::Vec3f b(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const float t = 0.5f * (static_cast<float>(x) / width + static_cast<float>(y) / height);
            const cv::Vec3f v = a * (1 - t) + b * t;
            img.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(v[0]), cv::saturate_cast<uchar>(v[1]),
                                                cv::saturate_cast<uchar>(v[2]));
        }
    for (int k = 0; k < 12; ++k) {
        const cv::Scalar colour(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
        const cv::Point p(rng.uniform(0, width), rng.uniform(0, height));
        if (k % 2)
            cv::circle(img, p, rng.uniform(5, height / 3), colour, cv::FILLED, cv::LINE_AA);
        else
            cv::rectangle(img, p, cv::Point(rng.uniform(0, width), rng.uniform(0, height)), colour, cv::FILLED);
    }
    cv::Mat noise(img.size(), CV_8UC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, 12);
    cv::add(img, noise, img);
    return img;
}

} // namespace

int runImageFolder(const Options& o)
{
    namespace fs = std::filesystem;
    const fs::path out = o.str("out");
    const int count = o.integer("count", 500);
    const int width = o.integer("width", 640), height = o.integer("height", 480);
    fs::create_directories(out);
    int written = 0;
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "img%05d.jpg", i);
        const fs::path p = out / name;
        if (fs::exists(p))
            continue;
        if (!cv::imwrite(p.string(), makeImage(i, width, height), {cv::IMWRITE_JPEG_QUALITY, 90}))
            throw std::runtime_error(p.string() + ": cannot write");
        ++written;
    }
    emit({{"figure", "image_folder"}, {"dir", out.string()}, {"count", count}, {"written", written}});
    return 0;
}

} // namespace featscale::bench
