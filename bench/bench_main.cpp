// SPDX-License-Identifier: GPL-3.0-or-later
// featscale_bench FIGURE [--key value ...]: one figure of the benchmark per call, results as JSON
// lines on stdout. bench/run.sh drives it; see docs/PERFORMANCE.md.
#include "bench/bench_util.h"

#include "analysis/core/types.h"

#include <cstdio>
#include <cstring>
#include <exception>

using namespace featscale::bench;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: featscale_bench engine|gamma|sgemm|opencv|images [--key value ...]\n");
        return 2;
    }
    try {
        const Options o(argc - 1, argv + 1);
        const char* figure = argv[1];
        if (!std::strcmp(figure, "engine"))
            return runEngineFigure(o);
        if (!std::strcmp(figure, "gamma"))
            return runGammaFigure(o);
        if (!std::strcmp(figure, "sgemm"))
            return runSgemmFigure(o);
        if (!std::strcmp(figure, "opencv"))
            return runOpenCvFigure(o);
        if (!std::strcmp(figure, "images"))
            return runImageFolder(o);
        std::fprintf(stderr, "unknown figure '%s'\n", figure);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "featscale_bench %s: %s\n", argv[1], e.what());
        return 1;
    }
}
