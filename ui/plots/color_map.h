// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/norm_map.h"

#include <QColor>
#include <QImage>
#include <QString>

namespace featscale::ui {

/// Maps norms to colours for the image overlay and its colour bar. Perceptually ordered
/// (dark blue-violet for small norms to yellow for large, like viridis) so that "brighter means
/// larger" holds in grey-scale prints too. Log scaling is the default because a layer's norms
/// span orders of magnitude.
class ColorMap {
public:
    ColorMap() = default;
    ColorMap(double lo, double hi, bool logScale);

    /// Range covering the finite values of a map (positive values only in log mode).
    /// An empty or constant map gets a small range around its value.
    static ColorMap fitted(const analysis::NormMap& map, bool logScale);

    double lo() const { return m_lo; }
    double hi() const { return m_hi; }
    bool isLog() const { return m_log; }
    bool valid() const { return m_hi > m_lo && (!m_log || m_lo > 0); }

    /// Position of a value on the scale, clamped to [0, 1]; NaN for NaN input.
    double position(double value) const;
    /// Value at a scale position (inverse of position()).
    double valueAt(double t) const;
    /// Colour of a scale position in [0, 1].
    static QColor colorAt(double t);
    /// Same colour as colorAt, as an opaque QRgb (the overlay renders thousands per gamma tick).
    static QRgb rgbAt(double t);
    QColor color(double value) const { return colorAt(position(value)); }

    /// The map as an ARGB image (one pixel per cell); NaN cells are transparent.
    QImage render(const analysis::NormMap& map, int alpha = 255) const;

private:
    double m_lo = 0, m_hi = 1;
    bool m_log = true;
    // log10(lo) and log10(hi) - log10(lo), computed once: position() runs per overlay cell.
    double m_logLo = 0, m_logSpan = 1;
};

/// Compact number for labels: 0.0123, 4.56, 1.2e+04.
QString formatNorm(double v);

} // namespace featscale::ui
