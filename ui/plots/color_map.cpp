// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/color_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace featscale::ui {

namespace {
// Nine samples of viridis at t = 0, 1/8, ..., 1; linear interpolation in between is
// indistinguishable from the full table at overlay sizes.
constexpr std::array<std::array<int, 3>, 9> kStops = {{{68, 1, 84},
                                                       {71, 44, 122},
                                                       {59, 81, 139},
                                                       {44, 113, 142},
                                                       {33, 144, 141},
                                                       {39, 173, 129},
                                                       {92, 200, 99},
                                                       {170, 220, 50},
                                                       {253, 231, 37}}};
} // namespace

ColorMap::ColorMap(double lo, double hi, bool logScale) : m_lo(lo), m_hi(hi), m_log(logScale)
{
    if (m_log && m_lo > 0 && m_hi > 0) {
        m_logLo = std::log10(m_lo);
        m_logSpan = std::log10(m_hi) - m_logLo;
    }
}

ColorMap ColorMap::fitted(const analysis::NormMap& map, bool logScale)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (float v : map.values) {
        if (!std::isfinite(v) || (logScale && v <= 0))
            continue;
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
    }
    if (!std::isfinite(lo)) {
        lo = logScale ? 0.1 : 0.0;
        hi = logScale ? 10.0 : 1.0;
    } else if (hi <= lo * (1 + 1e-6) || hi - lo < 1e-12) {
        // A constant map (e.g. after L2Norm with uniform gamma): centre the scale on it.
        if (logScale) {
            lo /= 2;
            hi *= 2;
        } else {
            const double pad = std::max(std::abs(lo) * 0.5, 1e-6);
            lo -= pad;
            hi += pad;
        }
    }
    if (!logScale)
        lo = std::min(lo, 0.0); // norms are >= 0: anchor linear scales at zero
    return {lo, hi, logScale};
}

double ColorMap::position(double value) const
{
    if (std::isnan(value))
        return std::numeric_limits<double>::quiet_NaN();
    double t;
    if (m_log) {
        if (value <= 0)
            return 0;
        t = (std::log10(value) - m_logLo) / m_logSpan;
    } else {
        t = (value - m_lo) / (m_hi - m_lo);
    }
    return std::clamp(t, 0.0, 1.0);
}

double ColorMap::valueAt(double t) const
{
    if (m_log)
        return std::pow(10.0, m_logLo + t * m_logSpan);
    return m_lo + t * (m_hi - m_lo);
}

QColor ColorMap::colorAt(double t)
{
    if (std::isnan(t))
        return QColor(0, 0, 0, 0);
    return QColor(rgbAt(t));
}

QRgb ColorMap::rgbAt(double t)
{
    if (std::isnan(t))
        return qRgba(0, 0, 0, 0);
    t = std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
    const int i = std::min(static_cast<int>(t), static_cast<int>(kStops.size()) - 2);
    const double f = t - i;
    const auto& a = kStops[i];
    const auto& b = kStops[i + 1];
    // +0.5 and truncation = lround for these non-negative channel values
    return qRgb(static_cast<int>(a[0] + f * (b[0] - a[0]) + 0.5), static_cast<int>(a[1] + f * (b[1] - a[1]) + 0.5),
                static_cast<int>(a[2] + f * (b[2] - a[2]) + 0.5));
}

QImage ColorMap::render(const analysis::NormMap& map, int alpha) const
{
    QImage img(map.width, map.height, QImage::Format_ARGB32);
    img.fill(Qt::transparent);
    const QRgb alphaBits = static_cast<QRgb>(alpha & 0xff) << 24;
    for (int y = 0; y < map.height; ++y) {
        auto* row = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < map.width; ++x) {
            const float v = map.at(y, x);
            if (std::isnan(v))
                continue;
            row[x] = (rgbAt(position(v)) & 0x00ffffffu) | alphaBits;
        }
    }
    return img;
}

QString formatNorm(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    const double a = std::abs(v);
    if (a == 0)
        return QStringLiteral("0");
    if (a >= 1e4 || a < 1e-3)
        return QString::number(v, 'e', 2);
    if (a >= 100)
        return QString::number(v, 'f', 0);
    if (a >= 10)
        return QString::number(v, 'f', 1);
    if (a >= 1)
        return QString::number(v, 'f', 2);
    return QString::number(v, 'g', 3);
}

} // namespace featscale::ui
