// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/plot_interaction.h"

#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace {
std::function<void(QCustomPlot*)>& exportHandler()
{
    static std::function<void(QCustomPlot*)> handler;
    return handler;
}

/// Pixels per tick label the axes aim for: fewer ticks on a narrow plot, never crowded labels.
constexpr int kPixelsPerXTick = 110;
constexpr int kPixelsPerYTick = 55;
} // namespace

PlotInteraction::PlotInteraction(QCustomPlot* plot, Readout readout)
    : QObject(plot), m_plot(plot), m_readout(std::move(readout))
{
    setObjectName(QStringLiteral("plotInteraction"));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    }
    plot->setMouseTracking(true);
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(plot, &QCustomPlot::customContextMenuRequested, this, &PlotInteraction::showMenu);
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) { resetZoom(); });
    connect(plot, &QCustomPlot::mouseWheel, this, [this](QWheelEvent*) {
        m_zoomed = true;
        m_userRangesPending = true; // the zoomed ranges are read before the replot it causes
    });
    connect(plot, &QCustomPlot::mouseMove, this, &PlotInteraction::onMouseMove);
    connect(plot, &QCustomPlot::mouseRelease, this, &PlotInteraction::onMouseRelease);
    connect(plot, &QCustomPlot::beforeReplot, this, &PlotInteraction::fitBeforeReplot);
    connect(plot, &QCustomPlot::afterReplot, this, [this] {
        // One more pass at most: the fitter decides on the layout this replot produced.
        if (m_applying) {
            m_applying = false;
            return;
        }
        if (m_fitter && m_fitter()) {
            m_applying = true;
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        }
    });
}

PlotInteraction* PlotInteraction::of(const QCustomPlot* plot)
{
    return plot ? plot->findChild<PlotInteraction*>(QStringLiteral("plotInteraction"), Qt::FindDirectChildrenOnly)
                : nullptr;
}

void PlotInteraction::setExportHandler(std::function<void(QCustomPlot*)> handler)
{
    exportHandler() = std::move(handler);
}

std::vector<PlotInteraction::AxisRange> PlotInteraction::ranges() const
{
    std::vector<AxisRange> r;
    for (QCPAxisRect* rect : m_plot->axisRects())
        for (QCPAxis* axis : rect->axes())
            r.push_back({axis, axis->range().lower, axis->range().upper});
    return r;
}

void PlotInteraction::setHome(const QString& viewKey)
{
    const std::vector<AxisRange> user = ranges();
    m_home = user;
    if (viewKey != m_viewKey || !m_zoomed) {
        m_viewKey = viewKey;
        m_zoomed = false;
        return;
    }
    // Same view, redrawn (new gamma, say): keep the user's zoom.
    for (const AxisRange& r : m_userRanges)
        r.axis->setRange(r.lower, r.upper);
}

void PlotInteraction::resetZoom()
{
    for (const AxisRange& r : m_home)
        r.axis->setRange(r.lower, r.upper);
    m_zoomed = false;
    m_userRanges.clear();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotInteraction::onMouseRelease(QMouseEvent*)
{
    const std::vector<AxisRange> now = ranges();
    bool moved = now.size() != m_home.size();
    for (size_t i = 0; !moved && i < now.size(); ++i)
        moved = now[i].lower != m_home[i].lower || now[i].upper != m_home[i].upper;
    m_zoomed = m_zoomed || moved;
    if (m_zoomed)
        m_userRanges = now;
}

void PlotInteraction::onMouseMove(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton)
        return;
    const QString text = readoutAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(m_plot->mapToGlobal(event->pos()), text, m_plot);
}

void PlotInteraction::showMenu(QPoint pos)
{
    QMenu menu(m_plot);
    QAction* exportAction = menu.addAction(tr("Export plot…"));
    exportAction->setEnabled(static_cast<bool>(exportHandler()));
    QAction* reset = menu.addAction(tr("Reset zoom (double-click)"));
    reset->setEnabled(m_zoomed);
    QAction* chosen = menu.exec(m_plot->mapToGlobal(pos));
    if (chosen == exportAction && exportHandler())
        exportHandler()(m_plot);
    else if (chosen == reset)
        resetZoom();
}

void PlotInteraction::fitBeforeReplot()
{
    if (m_userRangesPending) { // a wheel zoom happened since the last replot
        m_userRangesPending = false;
        m_userRanges = ranges();
    }
    plot_style::fitToWidth(m_plot);
    for (QCPAxisRect* rect : m_plot->axisRects()) {
        const int w = std::max(rect->width(), m_plot->width() - 120);
        const int h = std::max(rect->height(), 100);
        for (QCPAxis* axis : rect->axes()) {
            QSharedPointer<QCPAxisTicker> ticker = axis->ticker();
            if (!ticker || ticker.dynamicCast<QCPAxisTickerText>() || ticker.dynamicCast<QCPAxisTickerLog>())
                continue;
            const bool horizontal = axis->orientation() == Qt::Horizontal;
            ticker->setTickCount(std::clamp((horizontal ? w / kPixelsPerXTick : h / kPixelsPerYTick), 2, 8));
        }
    }
}

} // namespace featscale::ui
