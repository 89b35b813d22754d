// SPDX-License-Identifier: GPL-3.0-or-later
// Figure 3 (hardware side): single-precision matrix multiply GFLOP/s through LibTorch's BLAS, in
// the same process and run as the engine figures, plus which BLAS library is actually mapped:
// Debian's reference libblas.so.3 would make every number meaningless.
#include "bench/bench_util.h"

#include "analysis/engine/blas_check.h"

namespace featscale::bench {

int runSgemmFigure(const Options& o)
{
    const auto r = analysis::measureBlas(o.integer("n", 2048), o.integer("repeat", 5), cores());
    emit({{"figure", "sgemm"},
          {"n", r.n},
          {"threads", r.threads},
          {"min_ms", r.minMs},
          {"gflops", r.gflops},
          {"blas_libraries", r.libraries},
          {"openblas", r.openblas},
          {"openblas_config", r.openblasConfig},
          {"openblas_threads", r.openblasThreads}});
    return r.openblas ? 0 : 3;
}

} // namespace featscale::bench
