// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QString>

#include <functional>
#include <vector>

class QCPAxis;
class QCPAxisRect;
class QCPRange;
class QCustomPlot;
class QMouseEvent;

namespace featscale::ui {

/// What the plot panels add to a QCustomPlot so that it reads as an instrument, not a picture:
/// wheel zoom and drag pan (double-click returns to the panel's own ranges), a hover read-out of
/// the values under the cursor, and a right-click menu (export, reset zoom). It also keeps the plot
/// whole at any width: before every replot the title wraps to the plot's width, the legend (kept in
/// its own row, never over the data) wraps into as many columns as fit, and tick density follows the
/// axis length; after a replot the panel's fitter may drop labels that would collide.
///
/// Owned by (child of) the plot. Thread affinity: GUI thread.
class PlotInteraction : public QObject {
    Q_OBJECT
public:
    /// Text shown for the pixel `pos` of the plot (empty: nothing to read there).
    using Readout = std::function<QString(QPoint pos)>;
    /// Called after a replot with the layout in place; returns true when it changed something that
    /// needs another replot (label visibility).
    using Fitter = std::function<bool()>;

    explicit PlotInteraction(QCustomPlot* plot, Readout readout = {});

    /// The plot's interaction object, or null (plots of other panels have none).
    static PlotInteraction* of(const QCustomPlot* plot);
    /// Where right-click → Export plot… goes (the window's export dialog); set once by the window.
    static void setExportHandler(std::function<void(QCustomPlot*)> handler);

    void setFitter(Fitter fitter) { m_fitter = std::move(fitter); }

    /// Called by the panel after it set its ranges for a view: they become the home ranges of
    /// double-click. While `viewKey` stays the same, a zoom the user made is kept across redraws
    /// (a gamma drag does not undo it); a new view starts at home.
    void setHome(const QString& viewKey = QString());
    /// Back to the panel's ranges (double-click, right-click → Reset zoom).
    void resetZoom();
    bool zoomed() const { return m_zoomed; }

    /// The hover read-out's text at a pixel of the plot.
    QString readoutAt(QPoint pos) const { return m_readout ? m_readout(pos) : QString(); }

private:
    struct AxisRange {
        QCPAxis* axis;
        double lower, upper;
    };
    std::vector<AxisRange> ranges() const;
    void fitBeforeReplot();
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void showMenu(QPoint pos);

    QCustomPlot* m_plot;
    Readout m_readout;
    Fitter m_fitter;
    QString m_viewKey;
    std::vector<AxisRange> m_home;
    std::vector<AxisRange> m_userRanges; ///< the user's zoom, re-applied when the same view is redrawn
    bool m_userRangesPending = false;
    bool m_zoomed = false;
    bool m_applying = false;
};

} // namespace featscale::ui
