// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "analysis/core/region.h"

#include "ui/plots/plot_panel.h"

#include <QJsonObject>
#include <QList>
#include <QPoint>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QCPItemRect;
class QCustomPlot;
class QBoxLayout;
class QGridLayout;
class QResizeEvent;
class QMouseEvent;

namespace featscale::ui {

class AnnotationStore;
class RegionBox;

/// Overlaid distributions of per-location norms for the layers the user ticks (default the
/// ParseNet pair: the normalized conv4_3 and fc7), drawn from the engine's own histogram bins: log
/// or linear x, counts or density, current image or all images. It opens on "before | after": two
/// plots on one x range, before L2Norm and after it with the current gamma, next to each other (or
/// stacked when the panel is narrow), so conv4_3's shift onto fc7's scale is seen at once; one
/// stage alone stays selectable. Clicking a bin in either plot sets AppModel's highlight so the
/// image view marks the locations in that bin.
///
/// Reads AppModel only. Thread affinity: GUI thread. Redraws are coalesced.
class HistogramPanel : public PlotPanel, public ViewStateOwner {
    Q_OBJECT
public:
    explicit HistogramPanel(AppModel* model, QWidget* parent = nullptr);
    ~HistogramPanel() override;

    /// One plotted layer: the bins as drawn (lo/hi edges, y value in the current unit).
    struct Series {
        std::string layer;
        Stage stage = Stage::Before;                     ///< the data's stage (Before for a layer without L2Norm)
        Stage side = Stage::Before;                      ///< the plot it is drawn in: before or after L2Norm
        analysis::Region region = analysis::Region::All; ///< the cells counted (annotated images)
        std::vector<double> lo, hi, value;
        quint64 zeros = 0, total = 0;
        /// The bin containing x ([lo, hi)), or -1.
        int binAt(double x) const;
    };
    const std::vector<Series>& series() const { return m_series; }

    std::vector<std::string> tickedLayers() const;
    void setTickedLayers(const std::vector<std::string>& layers);
    void setLogX(bool log);
    void setDensity(bool density);
    /// One stage alone in one plot (leaves the side-by-side mode).
    void setStage(Stage stage);
    /// The stage of the single-stage mode; Before in the side-by-side mode.
    Stage stage() const;
    /// Before and after L2Norm in two plots (the default).
    void setSideBySide(bool on);
    bool sideBySide() const;
    /// Side by side: true while the two plots are stacked (the panel is narrower than they need).
    bool stacked() const;
    void setAggregate(bool all);
    /// Boxes of the current image from `store` (the window's): the Region choice splits by them.
    void setAnnotations(AnnotationStore* store);
    RegionBox* regionBox() const { return m_region; }

    /// The before plot in the side-by-side mode, the only plot otherwise.
    QCustomPlot* plot() const { return m_plot; }
    /// The after plot of the side-by-side mode (hidden otherwise).
    QCustomPlot* afterPlot() const { return m_afterPlot; }
    QList<QCustomPlot*> plots() const;
    /// The hover read-out at a pixel of a plot (default plot()): every layer's bin there, or empty.
    QString readoutAt(QPoint pos, const QCustomPlot* plot = nullptr) const;
    QString viewStateKey() const override { return QStringLiteral("histogramPanel"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

protected:
    void recompute() override;
    void retranslate() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildLayerBoxes();
    void collect();
    void draw();
    void drawPlot(QCustomPlot* plot, Stage side, double xMin, double xMax);
    QString plotTitle(Stage side) const;
    QString gammaText() const;
    void drawHighlight();
    void updateArrangement();
    void onPlotClicked(QCustomPlot* plot, QMouseEvent* event);
    Stage sideOf(const QCustomPlot* plot) const;

    QGridLayout* m_layerRow;
    std::map<std::string, QCheckBox*> m_layerBoxes;
    std::vector<std::string> m_ticked;
    bool m_defaultTicks = true; ///< no choice made yet: the ParseNet pair of the model's layers
    QComboBox* m_xScale;
    QComboBox* m_yUnit;
    QComboBox* m_stage;
    ScopeBox* m_scope;
    RegionBox* m_region;
    AnnotationStore* m_annotations = nullptr;
    QCustomPlot* m_plot;
    QCustomPlot* m_afterPlot;
    QBoxLayout* m_plotRow;
    QLabel* m_layersLabel;
    std::map<const QCustomPlot*, QCPItemRect*> m_highlightRects;
    QPoint m_pressPos; ///< a press and release at (nearly) one place is a click, otherwise a pan
    std::vector<Series> m_series;
};

} // namespace featscale::ui
