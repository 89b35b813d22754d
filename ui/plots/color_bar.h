// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/plots/color_map.h"

#include <QString>
#include <QVector>
#include <QWidget>

namespace featscale::ui {

/// Vertical colour bar with tick labels and a title, drawn next to the image overlay so every
/// colour can be read back as a norm.
class ColorBar : public QWidget {
    Q_OBJECT
public:
    explicit ColorBar(QWidget* parent = nullptr);

    void setScale(const ColorMap& map, const QString& title);
    const ColorMap& scale() const { return m_map; }
    QString title() const { return m_title; }
    QSize sizeHint() const override;
    /// Tick values for a scale: round numbers (1, 2, 5 × 10^k steps, or powers of ten on a log
    /// scale spanning two decades or more) inside [lo, hi], at least two and at most about `maxTicks`.
    static QVector<double> ticks(const ColorMap& map, int maxTicks = 6);
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ColorMap m_map;
    QString m_title;
};

} // namespace featscale::ui
