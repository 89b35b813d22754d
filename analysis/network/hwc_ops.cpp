// SPDX-License-Identifier: GPL-3.0-or-later
// Vectorised over channels with AVX2; only called when WinogradConv3x3::supported() (the fast
// path's precondition). Channel counts are multiples of 8 there.
#include "analysis/network/internal/hwc_ops.h"

#include <ATen/Parallel.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace featscale::analysis {
namespace {

__attribute__((target("avx2,fma"))) inline float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

} // namespace

int poolOutputSize(int size, int kernel, int stride, int padding, bool ceilMode)
{
    const int span = size + 2 * padding - (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
    int out = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
    // the last window must start inside the input or its left padding
    if (ceilMode && (out - 1) * stride >= size + padding)
        --out;
    return out;
}

namespace {

// Each function below does one range of rows: the lambdas handed to at::parallel_for cannot
// carry the AVX2 target attribute themselves, so they only call these.

__attribute__((target("avx2,fma"))) void maxPoolRows(const float* in, int height, int width, int channels, int kernel,
                                                     int stride, int padding, int ow, float* out, float* norms,
                                                     int firstRow, int lastRow)
{
    for (int oy = firstRow; oy < lastRow; ++oy) {
        const int y0 = std::max(0, oy * stride - padding), y1 = std::min(height, oy * stride - padding + kernel);
        for (int ox = 0; ox < ow; ++ox) {
            const int x0 = std::max(0, ox * stride - padding), x1 = std::min(width, ox * stride - padding + kernel);
            float* dst = out + (static_cast<std::size_t>(oy) * ow + ox) * channels;
            __m256 squares = _mm256_setzero_ps();
            for (int c = 0; c < channels; c += 8) {
                __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
                for (int y = y0; y < y1; ++y)
                    for (int x = x0; x < x1; ++x) {
                        const __m256 v = _mm256_loadu_ps(in + (static_cast<std::size_t>(y) * width + x) * channels + c);
                        // max_ps(v, best) keeps a NaN already in best; the blend keeps a new NaN
                        best = _mm256_blendv_ps(_mm256_max_ps(v, best), v, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
                    }
                _mm256_storeu_ps(dst + c, best);
                squares = _mm256_fmadd_ps(best, best, squares);
            }
            if (norms)
                norms[static_cast<std::size_t>(oy) * ow + ox] = std::sqrt(horizontalSum(squares));
        }
    }
}

__attribute__((target("avx2,fma"))) void normRows(const float* in, int channels, float* norms, std::int64_t first,
                                                  std::int64_t last)
{
    for (std::int64_t i = first; i < last; ++i) {
        const float* p = in + static_cast<std::size_t>(i) * channels;
        __m256 squares = _mm256_setzero_ps();
        for (int c = 0; c < channels; c += 8) {
            const __m256 v = _mm256_loadu_ps(p + c);
            squares = _mm256_fmadd_ps(v, v, squares);
        }
        norms[i] = std::sqrt(horizontalSum(squares));
    }
}

__attribute__((target("avx2,fma"))) void reluNormRows(float* data, int channels, float* norms, std::int64_t first,
                                                      std::int64_t last)
{
    const __m256 zero = _mm256_setzero_ps();
    for (std::int64_t i = first; i < last; ++i) {
        float* p = data + static_cast<std::size_t>(i) * channels;
        __m256 squares = zero;
        for (int c = 0; c < channels; c += 8) {
            const __m256 v = _mm256_max_ps(zero, _mm256_loadu_ps(p + c)); // NaN stays NaN
            _mm256_storeu_ps(p + c, v);
            squares = _mm256_fmadd_ps(v, v, squares);
        }
        if (norms)
            norms[i] = std::sqrt(horizontalSum(squares));
    }
}

} // namespace

void maxPoolHwc(const float* in, int height, int width, int channels, int kernel, int stride, int padding,
                bool ceilMode, float* out, float* norms)
{
    const int oh = poolOutputSize(height, kernel, stride, padding, ceilMode);
    const int ow = poolOutputSize(width, kernel, stride, padding, ceilMode);
    at::parallel_for(0, oh, 1, [&](std::int64_t b, std::int64_t e) {
        maxPoolRows(in, height, width, channels, kernel, stride, padding, ow, out, norms, static_cast<int>(b),
                    static_cast<int>(e));
    });
}

void channelNormsHwc(const float* in, int locations, int channels, float* norms)
{
    at::parallel_for(0, locations, 256, [&](std::int64_t b, std::int64_t e) { normRows(in, channels, norms, b, e); });
}

void reluNormsHwc(float* data, int locations, int channels, float* norms)
{
    at::parallel_for(0, locations, 64,
                     [&](std::int64_t b, std::int64_t e) { reluNormRows(data, channels, norms, b, e); });
}

} // namespace featscale::analysis
