// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/color_bar.h"

#include <QFontMetrics>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace featscale::ui {

ColorBar::ColorBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("colorBar"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

void ColorBar::setScale(const ColorMap& map, const QString& title)
{
    m_map = map;
    m_title = title;
    setToolTip(title);
    update();
}

QSize ColorBar::sizeHint() const { return {104, 300}; }
QSize ColorBar::minimumSizeHint() const { return {104, 120}; }

namespace {
/// Multiples of a 1-2-5 step in [lo, hi], the smallest step giving at most maxTicks of them.
QVector<double> linearTicks(double lo, double hi, int maxTicks)
{
    QVector<double> ticks;
    if (!(hi > lo))
        return ticks;
    // step = m × 10^e; a tick is i × step, computed as (i × m) / 10^-e for e < 0 so that 0.6 is 0.6.
    int e = static_cast<int>(std::floor(std::log10((hi - lo) / maxTicks)));
    auto value = [&e](long long i, double m) {
        return e < 0 ? static_cast<double>(i) * m / std::pow(10.0, -e) : static_cast<double>(i) * m * std::pow(10.0, e);
    };
    for (int tries = 0; tries < 12; ++tries, ++e) {
        for (double m : {1.0, 2.0, 5.0}) {
            const double step = value(1, m);
            const auto first = static_cast<long long>(std::ceil(lo / step - 1e-9));
            const auto last = static_cast<long long>(std::floor(hi / step + 1e-9));
            if (last - first + 1 <= maxTicks) {
                for (long long i = first; i <= last; ++i)
                    ticks << value(i, m);
                return ticks;
            }
        }
    }
    return ticks;
}
} // namespace

QVector<double> ColorBar::ticks(const ColorMap& map, int maxTicks)
{
    if (!map.valid())
        return {};
    const double lo = map.lo(), hi = map.hi();
    QVector<double> ticks;
    if (map.isLog() && lo > 0) {
        const int d0 = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
        const int d1 = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
        // The richest of 1-2-5, 1-5 and 1 × powers of ten that stays within maxTicks.
        for (const std::initializer_list<double>& mantissas :
             {std::initializer_list<double>{1.0, 2.0, 5.0}, {1.0, 5.0}, {1.0}}) {
            ticks.clear();
            for (int d = d0 - 1; d <= d1; ++d)
                for (double m : mantissas) {
                    const double v = m * std::pow(10.0, d);
                    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                        ticks << v;
                }
            if (ticks.size() >= 2 && ticks.size() <= maxTicks)
                return ticks;
        }
    }
    ticks = linearTicks(lo, hi, maxTicks);
    if (ticks.size() < 2) // a very narrow range: its ends, rounded to 3 significant digits
        ticks = {QString::number(lo, 'g', 3).toDouble(), QString::number(hi, 'g', 3).toDouble()};
    return ticks;
}

void ColorBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = p.fontMetrics();
    const int titleHeight = fm.height() * 3 + 4;
    const QRect bar(8, titleHeight + fm.height() / 2, 18, height() - titleHeight - fm.height() - 8);
    if (bar.height() < 20)
        return;

    // Title wraps onto two lines: "‖x‖₂ conv4_3" / "before (log)".
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), titleHeight), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_title);

    QLinearGradient g(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 16; ++i)
        g.setColorAt(i / 16.0, ColorMap::colorAt(i / 16.0));
    p.fillRect(bar, g);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar);

    if (!m_map.valid())
        return;
    const QVector<double> ticks = ColorBar::ticks(m_map, std::max(2, bar.height() / (fm.height() * 2)));
    p.setPen(palette().color(QPalette::WindowText));
    for (double v : ticks) {
        const double t = m_map.position(v);
        const int y = bar.bottom() - static_cast<int>(std::lround(t * bar.height()));
        p.drawLine(bar.right(), y, bar.right() + 4, y);
        p.drawText(QRect(bar.right() + 7, y - fm.height() / 2, width() - bar.right() - 7, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(v, 'g', 4)); // round ticks print without ".0"
    }
}

} // namespace featscale::ui
