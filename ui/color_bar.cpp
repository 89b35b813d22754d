// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/color_bar.h"

#include <QFontMetrics>
#include <QLinearGradient>
#include <QPainter>

#include <cmath>

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
    // Ticks: decades on a log scale when there are at least two, else five even steps.
    QVector<double> ticks;
    if (m_map.isLog()) {
        const int d0 = static_cast<int>(std::ceil(std::log10(m_map.lo()) - 1e-9));
        const int d1 = static_cast<int>(std::floor(std::log10(m_map.hi()) + 1e-9));
        if (d1 - d0 >= 1)
            for (int d = d0; d <= d1; ++d)
                ticks << std::pow(10.0, d);
    }
    if (ticks.size() < 2) {
        ticks.clear();
        for (int i = 0; i <= 4; ++i)
            ticks << m_map.valueAt(i / 4.0);
    }
    p.setPen(palette().color(QPalette::WindowText));
    for (double v : ticks) {
        const double t = m_map.position(v);
        const int y = bar.bottom() - static_cast<int>(std::lround(t * bar.height()));
        p.drawLine(bar.right(), y, bar.right() + 4, y);
        p.drawText(QRect(bar.right() + 7, y - fm.height() / 2, width() - bar.right() - 7, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, formatNorm(v));
    }
}

} // namespace featscale::ui
