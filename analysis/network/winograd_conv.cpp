// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/network/internal/winograd_conv.h"
#include "analysis/core/types.h"

#include <ATen/Parallel.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace featscale::analysis {
namespace {

// F(4x4, 3x3) with interpolation points 0, ±1, ±2, ∞: Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A.
constexpr double kG[6][3] = {{1.0 / 4, 0, 0},
                             {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                             {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                             {1.0 / 24, 1.0 / 12, 1.0 / 6},
                             {1.0 / 24, -1.0 / 12, 1.0 / 6},
                             {0, 0, 1}};
constexpr int kTile = 4;                          // outputs per tile side
constexpr int kPatch = 6;                         // inputs per tile side
constexpr int kPoints = 36;                       // transformed components = independent matrix products
constexpr int kRows = 6;                          // tiles per register block of the matrix kernel
constexpr int kCols = 16;                         // output channels per register block
constexpr int kDepth = 256;                       // input channels per pass (keeps the weight panel in L1)
constexpr std::size_t kOneStripBytes = 24u << 20; // V + M of a layer up to this size: one pass
constexpr std::size_t kStripBytes = 12u << 20;    // otherwise strips of about this size (L3)

struct TileOrigin {
    int y, x;
};

/// Origins of the tiles covering an H x W output: for dilation d, each of the d² phases
/// (outputs y ≡ py, x ≡ px mod d) is an ordinary convolution on its own sub-grid.
std::vector<TileOrigin> tileOrigins(int height, int width, int d)
{
    std::vector<TileOrigin> tiles;
    for (int py = 0; py < std::min(d, height); ++py)
        for (int px = 0; px < std::min(d, width); ++px)
            for (int y = py; y < height; y += kTile * d)
                for (int x = px; x < width; x += kTile * d)
                    tiles.push_back({y, x});
    return tiles;
}

// One-dimensional input transform Bᵀ·d of six vectors.
__attribute__((target("avx2,fma"))) inline void inputTransform1d(const __m256 d[6], __m256 t[6])
{
    const __m256 four = _mm256_set1_ps(4.f), minusFour = _mm256_set1_ps(-4.f), minusFive = _mm256_set1_ps(-5.f),
                 two = _mm256_set1_ps(2.f);
    const __m256 a = _mm256_fmadd_ps(minusFour, d[2], d[4]); // d4 - 4 d2
    const __m256 b = _mm256_fmadd_ps(minusFour, d[1], d[3]); // d3 - 4 d1
    const __m256 c = _mm256_sub_ps(d[4], d[2]);
    const __m256 e = _mm256_mul_ps(two, _mm256_sub_ps(d[3], d[1]));
    t[0] = _mm256_fmadd_ps(four, d[0], _mm256_fmadd_ps(minusFive, d[2], d[4]));
    t[1] = _mm256_add_ps(a, b);
    t[2] = _mm256_sub_ps(a, b);
    t[3] = _mm256_add_ps(c, e);
    t[4] = _mm256_sub_ps(c, e);
    t[5] = _mm256_fmadd_ps(four, d[1], _mm256_fmadd_ps(minusFive, d[3], d[5]));
}

// One-dimensional output transform Aᵀ·m of six vectors.
__attribute__((target("avx2,fma"))) inline void outputTransform1d(const __m256 m[6], __m256 y[4])
{
    const __m256 s12 = _mm256_add_ps(m[1], m[2]), d12 = _mm256_sub_ps(m[1], m[2]);
    const __m256 s34 = _mm256_add_ps(m[3], m[4]), d34 = _mm256_sub_ps(m[3], m[4]);
    y[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
    y[1] = _mm256_fmadd_ps(_mm256_set1_ps(2.f), d34, d12);
    y[2] = _mm256_fmadd_ps(_mm256_set1_ps(4.f), s34, s12);
    y[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8.f), d34, d12), m[5]);
}

__attribute__((target("avx2,fma"))) inline void storeRow(float* dst, __m256 lo, __m256 hi, bool accumulate)
{
    if (accumulate) {
        lo = _mm256_add_ps(lo, _mm256_loadu_ps(dst));
        hi = _mm256_add_ps(hi, _mm256_loadu_ps(dst + 8));
    }
    _mm256_storeu_ps(dst, lo);
    _mm256_storeu_ps(dst + 8, hi);
}

/// M[6 tiles][16 channels] (+)= V[6 tiles][depth] · U[depth][16]: 12 accumulators, one FMA per
/// 8 products; the weight panel u is contiguous, the six tile rows are read by broadcast.
__attribute__((target("avx2,fma"))) void kernel6x16(int depth, const float* u, const float* v, std::size_t vStride,
                                                    float* m, std::size_t mStride, bool accumulate)
{
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
           c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float* v0 = v;
    const float* v1 = v + vStride;
    const float* v2 = v + 2 * vStride;
    const float* v3 = v + 3 * vStride;
    const float* v4 = v + 4 * vStride;
    const float* v5 = v + 5 * vStride;
    for (int c = 0; c < depth; ++c, u += kCols) {
        const __m256 b0 = _mm256_loadu_ps(u), b1 = _mm256_loadu_ps(u + 8);
        __m256 a = _mm256_broadcast_ss(v0 + c);
        c00 = _mm256_fmadd_ps(a, b0, c00);
        c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(v1 + c);
        c10 = _mm256_fmadd_ps(a, b0, c10);
        c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(v2 + c);
        c20 = _mm256_fmadd_ps(a, b0, c20);
        c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(v3 + c);
        c30 = _mm256_fmadd_ps(a, b0, c30);
        c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(v4 + c);
        c40 = _mm256_fmadd_ps(a, b0, c40);
        c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(v5 + c);
        c50 = _mm256_fmadd_ps(a, b0, c50);
        c51 = _mm256_fmadd_ps(a, b1, c51);
    }
    storeRow(m, c00, c01, accumulate);
    storeRow(m + mStride, c10, c11, accumulate);
    storeRow(m + 2 * mStride, c20, c21, accumulate);
    storeRow(m + 3 * mStride, c30, c31, accumulate);
    storeRow(m + 4 * mStride, c40, c41, accumulate);
    storeRow(m + 5 * mStride, c50, c51, accumulate);
}

/// Bᵀ d B of one tile for all channels, written as row t of the 36 matrices V[ξ] (ξ = 6r + s).
__attribute__((target("avx2,fma"))) void transformInputTile(const float* in, int height, int width, int channels,
                                                            int dilation, TileOrigin o, float* v, std::size_t vPoint)
{
    bool rowOk[kPatch], colOk[kPatch];
    int rows[kPatch], cols[kPatch];
    for (int i = 0; i < kPatch; ++i) {
        rows[i] = o.y + dilation * (i - 1);
        cols[i] = o.x + dilation * (i - 1);
        rowOk[i] = rows[i] >= 0 && rows[i] < height;
        colOk[i] = cols[i] >= 0 && cols[i] < width;
    }
    const __m256 zero = _mm256_setzero_ps();
    for (int c = 0; c < channels; c += 8) {
        __m256 tmp[kPatch][kPatch]; // after the transform along y: [r][s]
        for (int s = 0; s < kPatch; ++s) {
            __m256 d[kPatch], t[kPatch];
            for (int r = 0; r < kPatch; ++r)
                d[r] = rowOk[r] && colOk[s]
                           ? _mm256_loadu_ps(in + (static_cast<std::size_t>(rows[r]) * width + cols[s]) * channels + c)
                           : zero;
            inputTransform1d(d, t);
            for (int r = 0; r < kPatch; ++r)
                tmp[r][s] = t[r];
        }
        for (int r = 0; r < kPatch; ++r) {
            __m256 t[kPatch];
            inputTransform1d(tmp[r], t);
            for (int s = 0; s < kPatch; ++s)
                _mm256_storeu_ps(v + (r * kPatch + s) * vPoint + c, t[s]);
        }
    }
}

/// Aᵀ M A of one tile for all output channels, plus bias and ReLU; writes the in-bounds
/// outputs and, optionally, their channel norms.
__attribute__((target("avx2,fma"))) void transformOutputTile(const float* m, std::size_t mPoint, int outChannels,
                                                             const float* bias, int height, int width, int dilation,
                                                             TileOrigin o, float* out, float* norms)
{
    int valid[kTile][kTile];
    for (int u = 0; u < kTile; ++u)
        for (int w = 0; w < kTile; ++w) {
            const int y = o.y + dilation * u, x = o.x + dilation * w;
            valid[u][w] = y < height && x < width ? y * width + x : -1;
        }
    __m256 squares[kTile][kTile];
    const __m256 zero = _mm256_setzero_ps();
    for (auto& row : squares)
        for (auto& s : row)
            s = zero;
    for (int k = 0; k < outChannels; k += 8) {
        __m256 tmp[kTile][kPatch]; // after the transform along y: [u][s]
        for (int s = 0; s < kPatch; ++s) {
            __m256 col[kPatch], y[kTile];
            for (int r = 0; r < kPatch; ++r)
                col[r] = _mm256_loadu_ps(m + (r * kPatch + s) * mPoint + k);
            outputTransform1d(col, y);
            for (int u = 0; u < kTile; ++u)
                tmp[u][s] = y[u];
        }
        const __m256 b = _mm256_loadu_ps(bias + k);
        for (int u = 0; u < kTile; ++u) {
            __m256 y[kTile];
            outputTransform1d(tmp[u], y);
            for (int w = 0; w < kTile; ++w) {
                if (valid[u][w] < 0)
                    continue;
                // max(0, y): NaN stays NaN, as torch.relu
                const __m256 r = _mm256_max_ps(zero, _mm256_add_ps(y[w], b));
                _mm256_storeu_ps(out + static_cast<std::size_t>(valid[u][w]) * outChannels + k, r);
                squares[u][w] = _mm256_fmadd_ps(r, r, squares[u][w]);
            }
        }
    }
    if (!norms)
        return;
    for (int u = 0; u < kTile; ++u)
        for (int w = 0; w < kTile; ++w) {
            if (valid[u][w] < 0)
                continue;
            alignas(32) float lanes[8];
            _mm256_store_ps(lanes, squares[u][w]);
            float s = 0.f;
            for (float l : lanes)
                s += l;
            norms[valid[u][w]] = std::sqrt(s);
        }
}

} // namespace

bool WinogradConv3x3::supported()
{
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok;
}

WinogradConv3x3::WinogradConv3x3(const float* weight, const float* bias, int outChannels, int inChannels, int dilation)
    : m_k(outChannels), m_c(inChannels), m_cp((inChannels + 7) / 8 * 8), m_dilation(dilation)
{
    if (outChannels % kCols != 0 || inChannels < 1 || dilation < 1)
        throw Error("internal: Winograd convolution needs a multiple of 16 output channels");
    const int blocks = m_k / kCols;
    m_u.assign(static_cast<std::size_t>(kPoints) * blocks * m_cp * kCols, 0.f);
    // Once per weight set, but on the way to the first result (GUI launch): spread over threads
    // by blocks of 16 output channels. Within a block, all 16 channels of one input channel are
    // transformed together, so each of the 36 destination rows (16 floats, one cache line) is
    // written whole at once instead of being revisited for every output channel.
    at::parallel_for(0, blocks, 1, [&](std::int64_t first, std::int64_t last) {
        for (auto b = static_cast<int>(first); b < static_cast<int>(last); ++b)
            for (int c = 0; c < m_c; ++c) {
                float u[kPoints][kCols];
                for (int kk = 0; kk < kCols; ++kk) {
                    const float* g = weight + (static_cast<std::size_t>(b * kCols + kk) * m_c + c) * 9;
                    double gg[kPatch][3]; // G g
                    for (int i = 0; i < kPatch; ++i)
                        for (int j = 0; j < 3; ++j)
                            gg[i][j] = kG[i][0] * g[j] + kG[i][1] * g[3 + j] + kG[i][2] * g[6 + j];
                    for (int r = 0; r < kPatch; ++r)
                        for (int s = 0; s < kPatch; ++s)
                            u[r * kPatch + s][kk] = static_cast<float>(gg[r][0] * kG[s][0] + gg[r][1] * kG[s][1] +
                                                                       gg[r][2] * kG[s][2]);
                }
                for (int xi = 0; xi < kPoints; ++xi)
                    std::memcpy(&m_u[((static_cast<std::size_t>(xi) * blocks + b) * m_cp + c) * kCols], u[xi],
                                sizeof u[xi]);
            }
    });
    m_bias.assign(bias, bias + m_k);
}

void WinogradConv3x3::run(const float* in, int height, int width, float* out, float* norms, ConvWorkspace& ws) const
{
    const std::vector<TileOrigin> tiles = tileOrigins(height, width, m_dilation);
    const std::size_t total = tiles.size();
    const std::size_t bytesPerTile = sizeof(float) * kPoints * static_cast<std::size_t>(m_cp + m_k);
    std::size_t strip = total * bytesPerTile <= kOneStripBytes
                            ? total
                            : std::max<std::size_t>(kRows, kStripBytes / bytesPerTile);
    strip = (strip + kRows - 1) / kRows * kRows;
    const std::size_t vPoint = strip * m_cp, mPoint = strip * m_k;
    if (ws.transformedInput.size() < kPoints * vPoint)
        ws.transformedInput.resize(kPoints * vPoint);
    if (ws.transformedOutput.size() < kPoints * mPoint)
        ws.transformedOutput.resize(kPoints * mPoint);
    float* v = ws.transformedInput.data();
    float* m = ws.transformedOutput.data();
    const int blocks = m_k / kCols;

    for (std::size_t first = 0; first < total; first += strip) {
        const std::size_t n = std::min(strip, total - first);
        const std::size_t padded = (n + kRows - 1) / kRows * kRows;
        at::parallel_for(0, static_cast<std::int64_t>(padded), 8, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t t = b; t < e; ++t) {
                float* row = v + static_cast<std::size_t>(t) * m_cp;
                if (static_cast<std::size_t>(t) < n) {
                    transformInputTile(in, height, width, m_cp, m_dilation, tiles[first + t], row, vPoint);
                } else {
                    for (int xi = 0; xi < kPoints; ++xi)
                        std::memset(row + xi * vPoint, 0, sizeof(float) * m_cp);
                }
            }
        });
        at::parallel_for(0, kPoints, 1, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t xi = b; xi < e; ++xi) {
                const float* u = m_u.data() + static_cast<std::size_t>(xi) * blocks * m_cp * kCols;
                const float* vx = v + xi * vPoint;
                float* mx = m + xi * mPoint;
                for (int c0 = 0; c0 < m_cp; c0 += kDepth) {
                    const int depth = std::min(kDepth, m_cp - c0);
                    for (int kb = 0; kb < blocks; ++kb) {
                        const float* panel = u + (static_cast<std::size_t>(kb) * m_cp + c0) * kCols;
                        for (std::size_t t = 0; t < padded; t += kRows)
                            kernel6x16(depth, panel, vx + t * m_cp + c0, m_cp, mx + t * m_k + kb * kCols, m_k, c0 > 0);
                    }
                }
            }
        });
        at::parallel_for(0, static_cast<std::int64_t>(n), 8, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t t = b; t < e; ++t)
                transformOutputTile(m + static_cast<std::size_t>(t) * m_k, mPoint, m_k, m_bias.data(), height, width,
                                    m_dilation, tiles[first + t], out, norms);
        });
    }
}

} // namespace featscale::analysis
