// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace featscale::analysis {

/// Which BLAS LibTorch's matrix products run on, and how fast. Without Debian's
/// libopenblas0-pthread they fall back to the reference BLAS, about 60x slower, which makes every
/// timing meaningless: the benchmark report states this measurement beside its figures.
struct BlasReport {
    int n = 0;                          ///< square matrix size multiplied
    int threads = 0;                    ///< intra-op threads in force
    double minMs = 0;                   ///< fastest of the timed products
    double gflops = 0;                  ///< 2 n^3 / minMs
    std::vector<std::string> libraries; ///< shared objects mapped into the process that name a BLAS
    bool openblas = false;              ///< OpenBLAS mapped, and no reference BLAS
    std::string openblasConfig;         ///< openblas_get_config(), when present
    int openblasThreads = 0;            ///< openblas_get_num_threads(), when present
};

/// True when this CPU runs the engine's 3x3 convolutions by Winograd F(4x4,3x3) (AVX2 and FMA);
/// otherwise they go through oneDNN. Benchmarks count the arithmetic of the path that ran.
bool winogradAvailable();

/// Times an n x n single-precision product (one untimed warm-up, then `repeat` runs) on `threads`
/// intra-op threads (0 = hardware cores) and inspects the mapped libraries. Seeded inputs.
BlasReport measureBlas(int n, int repeat, int threads);

} // namespace featscale::analysis
