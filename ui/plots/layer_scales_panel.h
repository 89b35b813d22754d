// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "analysis/core/region.h"

#include "ui/plots/plot_panel.h"

#include <QJsonObject>
#include <QList>
#include <QPoint>
#include <QWidget>

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QCPItemText;

namespace featscale::ui {

class AnnotationStore;
class RegionBox;

/// The ParseNet view across depth: for every analysed tap in network order, the distribution of
/// per-location norms as a box (25–75 %), whiskers (5–95 %) and median on a log axis, before and
/// (for normalized layers) after L2Norm, for the current image or all analysed images; plus the
/// ratio of medians between two chosen layers ("conv4_3 / fc7 = 37×").
///
/// Reads AppModel only. Thread affinity: GUI thread. Refreshes are coalesced (one per event-loop
/// turn; aggregates after a gamma change are debounced) so a gamma slider drag stays fluid.
class LayerScalesPanel : public PlotPanel, public ViewStateOwner {
    Q_OBJECT
public:
    explicit LayerScalesPanel(AppModel* model, QWidget* parent = nullptr);
    ~LayerScalesPanel() override;

    /// One plotted box, with the statistics it was drawn from (raw, before clamping for the log axis).
    struct Box {
        std::string layer;
        Stage stage = Stage::Before;
        double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
        quint64 count = 0;
        double meanAbs = 0; ///< mean |x| per element (Caffe's debug_info magnitude); NaN when unknown
        analysis::Region region = analysis::Region::All; ///< the cells counted (annotated images)
    };
    const std::vector<Box>& boxes() const { return m_boxes; }
    /// The ratio shown, NaN when unavailable; ratioText() is the label's text.
    double ratio() const { return m_ratio; }
    QString ratioText() const;

    bool aggregate() const;
    void setAggregate(bool all);
    void setShowAfter(bool show);
    /// Boxes of the current image from `store` (the window's): the Region choice splits by them.
    void setAnnotations(AnnotationStore* store);
    RegionBox* regionBox() const { return m_region; }
    /// Picks the ratio's numerator and denominator (stage After only for normalized layers).
    void setRatioLayers(const std::string& a, Stage stageA, const std::string& b, Stage stageB);

    QList<QCustomPlot*> plots() const;
    /// The hover read-out at a pixel of the plot: the box there with its percentiles, or empty.
    QString readoutAt(QPoint pos) const;
    /// The untrained-weights caveat under the ratio (hidden with trained weights).
    QLabel* caveat() const { return m_caveat; }

Q_SIGNALS:
    /// The caveat's "get trained weights" link was clicked.
    void trainedWeightsRequested();

public:
    QString viewStateKey() const override { return QStringLiteral("layerScalesPanel"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

protected:
    void recompute() override;
    void retranslate() override;

private:
    void rebuildRatioChoices();
    void collect();
    void draw();
    void updateRatio();
    /// The x of a box: its layer's slot, shifted for before/after and for its region.
    double keyOf(const Box& b, const std::vector<std::string>& layers) const;
    double boxWidth() const; ///< narrower when regions share a slot
    /// Hides median labels that would overlap a label of higher priority (ParseNet trio first).
    bool hideCollidingLabels();

    ScopeBox* m_scope;
    RegionBox* m_region;
    AnnotationStore* m_annotations = nullptr;
    QCheckBox* m_showAfter;
    QComboBox* m_ratioA;
    QComboBox* m_ratioB;
    QLabel* m_ratioLabel;
    QCustomPlot* m_plot;
    QLabel* m_scopeLabel;
    QLabel* m_medianRatioLabel;
    QLabel* m_caveat;
    std::vector<QCPItemText*> m_labels; ///< median labels, by priority
    QString m_rangeKey;                 ///< the view the y range was made for (kept while it only grows)
    std::vector<Box> m_boxes;
    double m_ratio;
};

} // namespace featscale::ui
