// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/plot_style.h"

#include "ui/state/app_model.h"
#include "ui/state/untrained_text.h"

#include "ui/plots/qcp.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace featscale::ui::plot_style {

QColor layerColor(const std::string& layer)
{
    // Colour-blind-safe palette (Okabe–Ito); the trio gets the most distinct three.
    if (layer == "conv4_3")
        return QColor(230, 120, 0);
    if (layer == "conv5_3")
        return QColor(0, 150, 115);
    if (layer == "fc7")
        return QColor(0, 100, 180);
    static const QColor others[] = {QColor(204, 121, 167), QColor(86, 180, 233), QColor(213, 94, 0),
                                    QColor(120, 120, 120), QColor(170, 150, 0),  QColor(100, 60, 150)};
    const size_t h = std::hash<std::string>{}(layer);
    return others[h % (sizeof others / sizeof others[0])];
}

QString normAxisLabel() { return QCoreApplication::translate("featscale", "L2 norm over channels (activation units)"); }

QColor beforeColor() { return QColor(70, 110, 170); }
QColor afterColor() { return QColor(220, 110, 20); }

void setLogAxis(QCPAxis* axis, bool log)
{
    if (log) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
        ticker->setSubTickCount(8);
        axis->setTicker(ticker);
        axis->setNumberFormat("gb");
        axis->setNumberPrecision(6);
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setNumberFormat("gb");
        axis->setNumberPrecision(6);
    }
}

QString untrainedTag(const AppModel* model)
{
    if (!model || !model->hasEngine() || !model->weights().untrained)
        return {};
    return UntrainedText::sentence(model->weights().seed);
}

QCPLayoutGrid* titleHeader(const QCustomPlot* plot)
{
    QCPLayoutGrid* layout = plot->plotLayout();
    if (layout->rowCount() == 0 || layout->columnCount() == 0)
        return nullptr;
    auto* header = qobject_cast<QCPLayoutGrid*>(layout->element(0, 0));
    return header && !qobject_cast<QCPLegend*>(header) ? header : nullptr;
}

void setTitle(QCustomPlot* plot, const QString& title, const AppModel* model)
{
    QCPLayoutGrid* header = titleHeader(plot);
    if (!header) {
        plot->plotLayout()->insertRow(0);
        header = new QCPLayoutGrid;
        plot->plotLayout()->addElement(0, 0, header);
        QFont bold = plot->font();
        bold.setPointSizeF(bold.pointSizeF() + 1);
        bold.setBold(true);
        auto* titleElement = new QCPTextElement(plot, QString(), bold);
        header->addElement(0, 0, titleElement);
        QFont tagFont = plot->font();
        tagFont.setBold(true);
        auto* tag = new QCPTextElement(plot, QString(), tagFont);
        tag->setTextColor(QColor(180, 0, 0));
        header->addElement(1, 0, tag);
        header->setRowSpacing(0);
    }
    auto* titleElement = static_cast<QCPTextElement*>(header->element(0, 0));
    titleElement->setProperty("fullText", title);
    titleElement->setText(wrapText(title, titleElement->font(), plot->width() - 16));
    auto* tag = static_cast<QCPTextElement*>(header->element(1, 0));
    const QString t = untrainedTag(model);
    tag->setProperty("fullText", t);
    tag->setText(wrapText(t, tag->font(), plot->width() - 16));
    tag->setVisible(!t.isEmpty());
    // A hidden element still takes its row; shrink it to nothing.
    // Width 1 (not 0, which means "the text's width"): a long title must not force the plot,
    // and with it its dock, wider than the screen; it is centred and overflows evenly instead.
    static_cast<QCPTextElement*>(header->element(0, 0))->setMinimumSize(1, 0);
    tag->setMinimumSize(1, 0);
    tag->setMaximumSize(t.isEmpty() ? QSize(QWIDGETSIZE_MAX, 0) : QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX));
}

QString wrapText(const QString& text, const QFont& font, int width)
{
    if (width <= 0 || text.isEmpty())
        return text;
    const QFontMetrics fm(font);
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
            lines << line;
            line = word;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines.join(QLatin1Char('\n'));
}

void placeLegendAbove(QCustomPlot* plot)
{
    QCPLegend* legend = plot->legend;
    if (legend->layout() == plot->plotLayout())
        return;
    if (QCPLayoutInset* inset = plot->axisRect()->insetLayout(); inset->take(legend))
        inset->simplify();
    // Row 0 is the title (setTitle()); the legend goes right under it, above the axes.
    const int row = titleHeader(plot) ? 1 : 0;
    plot->plotLayout()->insertRow(row);
    plot->plotLayout()->addElement(row, 0, legend);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setMargins(QMargins(4, 0, 4, 0));
    legend->setColumnSpacing(16);
    legend->setLayer(QStringLiteral("legend"));
}

void fitToWidth(QCustomPlot* plot)
{
    const int width = std::max(100, plot->width() - 16);
    if (QCPLayoutGrid* header = titleHeader(plot))
        for (int i = 0; i < header->elementCount(); ++i)
            if (auto* text = qobject_cast<QCPTextElement*>(header->elementAt(i)))
                if (text->property("fullText").isValid())
                    text->setText(wrapText(text->property("fullText").toString(), text->font(), width));
    QCPLegend* legend = plot->legend;
    if (!legend->visible() || legend->layout() != plot->plotLayout() || legend->itemCount() == 0)
        return;
    int itemWidth = 1, items = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (const QCPAbstractLegendItem* item = legend->item(i)) { // empty cells are null
            itemWidth = std::max(itemWidth, item->minimumOuterSizeHint().width());
            ++items;
        }
    if (items == 0)
        return;
    const int columns = std::clamp(width / (itemWidth + legend->columnSpacing()), 1, items);
    if (legend->wrap() != columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, /*rearrange=*/true);
    }
}

QString formatValue(double v)
{
    if (std::isnan(v))
        return QStringLiteral("n/a");
    const double a = std::abs(v);
    if (a == 0 || (a >= 0.01 && a < 1e5))
        return QString::number(v, 'g', a >= 1000 ? 5 : 3);
    return QString::number(v, 'e', 2);
}

QString formatRatio(double r)
{
    if (!std::isfinite(r))
        return QStringLiteral("n/a");
    if (r >= 10)
        return QString::number(r, 'f', 0) + QStringLiteral("×");
    return QString::number(r, 'g', 2) + QStringLiteral("×");
}

void applyDefaults(QCustomPlot* plot)
{
    plot->setNoAntialiasingOnDrag(true);
    plot->setAntialiasedElements(QCP::aePlottables);
    plot->legend->setVisible(true);
    QFont legendFont = plot->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.95);
    plot->legend->setFont(legendFont);
    plot->legend->setBrush(QColor(255, 255, 255, 220));
    plot->setMinimumSize(320, 240);
}

} // namespace featscale::ui::plot_style
