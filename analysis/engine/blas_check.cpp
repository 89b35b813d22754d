// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/blas_check.h"
#include "analysis/engine/analyzer.h"
#include "analysis/network/internal/winograd_conv.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <set>

namespace featscale::analysis {
namespace {

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

bool winogradAvailable() { return WinogradConv3x3::supported(); }

BlasReport measureBlas(int n, int repeat, int threads)
{
    BlasReport r;
    r.n = n;
    r.threads = configureThreads(threads);
    torch::manual_seed(0);
    const auto a = torch::randn({n, n});
    const auto b = torch::randn({n, n});
    auto c = torch::empty({n, n});
    torch::mm_out(c, a, b);
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < std::max(1, repeat); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        torch::mm_out(c, a, b);
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    r.minMs = best;
    r.gflops = 2.0 * n * n * static_cast<double>(n) / (best * 1e6);
    r.libraries = blasLibraries();
    bool reference = false, openblas = false;
    for (const auto& l : r.libraries) {
        openblas = openblas || l.find("openblas") != std::string::npos;
        reference = reference || l.find("/blas/libblas") != std::string::npos;
    }
    r.openblas = openblas && !reference;
    r.openblasConfig = openBlasConfig();
    r.openblasThreads = openBlasThreads();
    return r;
}

} // namespace featscale::analysis
