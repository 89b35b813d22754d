// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/figures/figure_layout.h"

#include "ui/plots/qcp.h"

#include <QFontMetrics>

#include <algorithm>
#include <cmath>

namespace featscale::ui::figure_layout {

namespace {
/// Font sizes step by 0.75 pt, a whole pixel at 96 dpi: a PDF draws text at whole pixel sizes of
/// its resolution, so these sizes come out in PDF exactly as laid out (and as in SVG and PNG).
constexpr double kSizeStepPt = 0.75;
} // namespace

QColor untrainedColor() { return QColor(180, 0, 0); }

QFont smaller(const QFont& base)
{
    QFont f = base;
    f.setPointSizeF(std::max(5.25, base.pointSizeF() - kSizeStepPt));
    return f;
}

QFont titleFont(const QFont& base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() + kSizeStepPt);
    f.setBold(true);
    return f;
}

QString wrapped(const QString& text, const QFont& font, int width)
{
    const QFontMetrics metrics(font);
    const int room = std::max(40, width - 8);
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '))) {
        const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && metrics.horizontalAdvance(candidate) > room) {
            lines << line;
            line = word;
        } else {
            line = candidate;
        }
    }
    lines << line;
    return lines.join(QLatin1Char('\n'));
}

void fitLegend(QCustomPlot& plot)
{
    // all columns as wide as the widest entry
    if (!plot.legend || plot.legend->itemCount() == 0)
        return;
    const QFontMetrics metrics(plot.legend->font());
    int widest = 0;
    for (int i = 0; i < plot.legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i)))
            widest = std::max(widest, metrics.horizontalAdvance(item->plottable()->name()));
    const int entry = plot.legend->iconSize().width() + plot.legend->iconTextPadding() + widest +
                      plot.legend->columnSpacing() + 4;
    const int perRow = std::max(1, std::min(plot.legend->itemCount(), (plot.width() - 8) / std::max(1, entry)));
    plot.legend->setWrap(perRow);
    plot.legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, /*rearrange=*/true);
}

QCPLayoutGrid* resetLayout(QCustomPlot& plot, const QString& title, const QString& mark)
{
    plot.clearPlottables();
    plot.clearItems();
    plot.plotLayout()->clear(); // deletes the axis rects, their axes and the legend
    plot.plotLayout()->simplify();
    for (QCPMarginGroup* group : plot.findChildren<QCPMarginGroup*>(QString(), Qt::FindDirectChildrenOnly))
        delete group; // those of an earlier figure

    QCPLayoutGrid* header = new QCPLayoutGrid;
    plot.plotLayout()->addElement(0, 0, header);
    auto* titleElement = new QCPTextElement(&plot, title, titleFont(plot.font()));
    titleElement->setObjectName(QStringLiteral("figureTitle"));
    titleElement->setMinimumSize(1, 0);
    header->addElement(0, 0, titleElement);
    if (!mark.isEmpty()) {
        QFont tagFont = plot.font();
        tagFont.setBold(true);
        auto* tag = new QCPTextElement(&plot, wrapped(mark, tagFont, plot.width()), tagFont);
        tag->setMargins(QMargins(2, 0, 2, 2));
        tag->setObjectName(QStringLiteral("untrainedMark"));
        tag->setTextColor(untrainedColor());
        tag->setMinimumSize(1, 0);
        header->addElement(1, 0, tag);
    }
    header->setRowSpacing(0);

    // The legend sits centred above the panels, never over the data: a row of its own, between
    // two spacers that take the width it does not need.
    auto* legendRow = new QCPLayoutGrid;
    plot.plotLayout()->addElement(1, 0, legendRow);
    plot.legend = new QCPLegend;
    legendRow->addElement(0, 0, new QCPLayoutElement(&plot));
    legendRow->addElement(0, 1, plot.legend);
    legendRow->addElement(0, 2, new QCPLayoutElement(&plot));
    legendRow->setColumnStretchFactors({1, 0.001, 1});
    legendRow->setColumnSpacing(0);
    plot.legend->setLayer(QStringLiteral("legend"));
    plot.legend->setVisible(true);
    plot.legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot.legend->setBorderPen(Qt::NoPen);
    plot.legend->setBrush(Qt::NoBrush);
    plot.legend->setFont(plot.font());
    plot.legend->setMargins(QMargins(2, 0, 2, 0));
    plot.legend->setRowSpacing(0);
    plot.legend->setColumnSpacing(10);
    const QFontMetrics metrics(plot.font());
    plot.legend->setIconSize(QSize(metrics.height() * 2, metrics.height()));
    // QCustomPlot draws line icons 5 px past their end and clips them; SVG keeps no clip.
    plot.legend->setIconTextPadding(metrics.height() / 3 + 5);
    plot.plotLayout()->setRowSpacing(0);

    auto* panels = new QCPLayoutGrid;
    plot.plotLayout()->addElement(2, 0, panels);
    plot.plotLayout()->setRowStretchFactor(0, 0.001);
    plot.plotLayout()->setRowStretchFactor(1, 0.001);
    plot.plotLayout()->setRowStretchFactor(2, 1);
    return panels;
}

QCPAxisRect* addPanel(QCustomPlot& plot, QCPLayoutGrid* panels, int row, int column)
{
    auto* rect = new QCPAxisRect(&plot);
    panels->addElement(row, column, rect);
    const QFont small = smaller(plot.font());
    // The layers QCustomPlot gives its own first axis rect: new ones would draw everything on the
    // current layer, grid lines over the axes.
    rect->setLayer(QStringLiteral("background"));
    // In a fixed order (axes() comes from a hash): the drawing order, and so the SVG and PDF
    // bytes, stay the same from run to run.
    for (QCPAxis::AxisType type : {QCPAxis::atBottom, QCPAxis::atLeft, QCPAxis::atTop, QCPAxis::atRight}) {
        QCPAxis* axis = rect->axis(type);
        axis->setLayer(QStringLiteral("axes"));
        axis->grid()->setLayer(QStringLiteral("grid"));
        axis->setLabelFont(plot.font());
        axis->setTickLabelFont(small);
        axis->setLabelPadding(2);
        axis->setTickLabelPadding(2);
    }
    rect->axis(QCPAxis::atTop)->setVisible(false);
    rect->axis(QCPAxis::atRight)->setVisible(false);
    // The last x tick label is centred on the axis' end: keep room for its right half.
    const QFontMetrics metrics(small);
    rect->setMinimumMargins(
        QMargins(0, metrics.height() / 2, metrics.horizontalAdvance(QStringLiteral("1000")) / 2 + 2, 0));
    if (!plot.xAxis) {
        plot.xAxis = rect->axis(QCPAxis::atBottom);
        plot.yAxis = rect->axis(QCPAxis::atLeft);
        plot.xAxis2 = rect->axis(QCPAxis::atTop);
        plot.yAxis2 = rect->axis(QCPAxis::atRight);
    }
    return rect;
}

/// Whole decades around [lo, hi], at least two of them, so the log axis always shows three
/// labelled powers of ten (a single decade gets a linear-looking ticker with crowded labels).
QCPRange decades(double lo, double hi)
{
    double a = std::floor(std::log10(lo)), b = std::ceil(std::log10(hi));
    while (b - a < 2) {
        // widen on the side where the data sit closer to the edge
        if (std::log10(lo) - a < b - std::log10(hi))
            a -= 1;
        else
            b += 1;
    }
    return QCPRange(std::pow(10.0, a), std::pow(10.0, b));
}

} // namespace featscale::ui::figure_layout
