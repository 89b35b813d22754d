// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plot_style.h"

#include "ui/app_model.h"

#include "ui/qcp.h"

#include <QCoreApplication>

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
                                    QColor(120, 120, 120), QColor(170, 150, 0), QColor(100, 60, 150)};
    const size_t h = std::hash<std::string>{}(layer);
    return others[h % (sizeof others / sizeof others[0])];
}

QString normAxisLabel()
{
    return QCoreApplication::translate("featscale", "L2 norm over channels (activation units)");
}

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
    return QObject::tr("UNTRAINED weights (seed %1): not a trained VGG16")
        .arg(static_cast<qulonglong>(model->weights().seed));
}

void setTitle(QCustomPlot* plot, const QString& title, const AppModel* model)
{
    QCPLayoutGrid* header = nullptr;
    if (plot->plotLayout()->rowCount() > 0)
        header = qobject_cast<QCPLayoutGrid*>(plot->plotLayout()->element(0, 0));
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
    static_cast<QCPTextElement*>(header->element(0, 0))->setText(title);
    auto* tag = static_cast<QCPTextElement*>(header->element(1, 0));
    const QString t = untrainedTag(model);
    tag->setText(t);
    tag->setVisible(!t.isEmpty());
    // A hidden element still takes its row; shrink it to nothing.
    // Width 1 (not 0, which means "the text's width"): a long title must not force the plot,
    // and with it its dock, wider than the screen; it is centred and overflows evenly instead.
    static_cast<QCPTextElement*>(header->element(0, 0))->setMinimumSize(1, 0);
    tag->setMinimumSize(1, 0);
    tag->setMaximumSize(t.isEmpty() ? QSize(QWIDGETSIZE_MAX, 0) : QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX));
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
