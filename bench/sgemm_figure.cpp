// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 3 (hardware side): single-precision matrix multiply GFLOP/s through LibTorch's BLAS, in
// the same process and run as the engine figures, plus which BLAS library is actually mapped:
// Debian's reference libblas.so.3 would make every number meaningless.
#include "bench/bench_util.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <fstream>
#include <set>

namespace featscale::bench {

namespace {

/// Shared objects mapped into this process whose name mentions a BLAS.
std::vector<std::string> blasLibraries()
{
    std::ifstream maps("/proc/self/maps");
    std::set<std::string> found;
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos)
            continue;
        const std::string path = line.substr(slash);
        if (path.find("blas") != std::string::npos || path.find("mkl_") != std::string::npos)
            found.insert(path);
    }
    return {found.begin(), found.end()};
}

std::string openBlasConfig()
{
    using ConfigFn = char* (*)();
    auto fn = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    return fn ? fn() : "";
}

int openBlasThreads()
{
    using ThreadsFn = int (*)();
    auto fn = reinterpret_cast<ThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn ? fn() : 0;
}

} // namespace

int runSgemmFigure(const Options& o)
{
    const int n = o.integer("n", 2048);
    const int repeat = o.integer("repeat", 5);
    at::set_num_threads(cores());
    torch::manual_seed(0);
    const auto a = torch::randn({n, n});
    const auto b = torch::randn({n, n});
    auto c = torch::empty({n, n});
    const Timing t = timeRuns(repeat, [&] { torch::mm_out(c, a, b); });
    const auto libs = blasLibraries();
    bool reference = false, openblas = false;
    for (const auto& l : libs) {
        openblas = openblas || l.find("openblas") != std::string::npos;
        reference = reference || l.find("/blas/libblas") != std::string::npos;
    }
    emit({{"figure", "sgemm"},
          {"n", n},
          {"threads", cores()},
          {"min_ms", t.minMs},
          {"gflops", 2.0 * n * n * static_cast<double>(n) / (t.minMs * 1e6)},
          {"blas_libraries", libs},
          {"openblas", openblas && !reference},
          {"openblas_config", openBlasConfig()},
          {"openblas_threads", openBlasThreads()}});
    return openblas && !reference ? 0 : 3;
}

} // namespace featscale::bench
