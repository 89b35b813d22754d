// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/model/view_state.h"

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
class QGridLayout;
class QMouseEvent;

namespace featscale::ui {

/// Overlaid distributions of per-location norms for the layers the user ticks (default the
/// ParseNet trio), drawn from the engine's own histogram bins: log or linear x, counts or
/// density, before or after L2Norm, current image or all images. Clicking a bin sets AppModel's
/// highlight so the image view marks the locations in that bin.
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
        Stage stage = Stage::Before;
        std::vector<double> lo, hi, value;
        quint64 zeros = 0, total = 0;
    };
    const std::vector<Series>& series() const { return m_series; }

    std::vector<std::string> tickedLayers() const;
    void setTickedLayers(const std::vector<std::string>& layers);
    void setLogX(bool log);
    void setDensity(bool density);
    void setStage(Stage stage);
    Stage stage() const;
    void setAggregate(bool all);

    QCustomPlot* plot() const { return m_plot; }
    QList<QCustomPlot*> plots() const;
    /// The hover read-out at a pixel of the plot: every plotted layer's bin there, or empty.
    QString readoutAt(QPoint pos) const;
    QString viewStateKey() const override { return QStringLiteral("histogramPanel"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

protected:
    void recompute() override;
    void retranslate() override;

private:
    void rebuildLayerBoxes();
    void collect();
    void draw();
    void drawHighlight();
    void onPlotClicked(QMouseEvent* event);

    QGridLayout* m_layerRow;
    std::map<std::string, QCheckBox*> m_layerBoxes;
    std::vector<std::string> m_ticked;
    QComboBox* m_xScale;
    QComboBox* m_yUnit;
    QComboBox* m_stage;
    ScopeBox* m_scope;
    QCustomPlot* m_plot;
    QLabel* m_layersLabel;
    QCPItemRect* m_highlightRect = nullptr;
    QPoint m_pressPos; ///< a press and release at (nearly) one place is a click, otherwise a pan
    std::vector<Series> m_series;
};

} // namespace featscale::ui
