// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "ui/plots/plot_panel.h"

#include "analysis/engine/probe.h"

#include <QJsonObject>
#include <QList>
#include <QPoint>
#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

class QCPAxisRect;
class QCustomPlot;
class QCheckBox;
class QCPItemText;
class QLabel;

namespace featscale::ui {

/// ParseNet's concatenation at the pinned location: the feature vectors of conv4_3 ‖ conv5_3 ‖ fc7 and
/// every other normalized layer (network order)
/// laid end to end (x: channel index across the concatenation, one coloured, labelled segment per
/// layer; y: activation), before and after L2Norm with the current gamma. It shows one layer
/// dominating the raw concatenation and normalization balancing it.
///
/// Needs the current image's FeatureCache with activations (BatchController analyses with
/// keepActivations). Reads AppModel only; GUI thread; redraws coalesced.
class ConcatPanel : public PlotPanel, public ViewStateOwner {
    Q_OBJECT
public:
    explicit ConcatPanel(AppModel* model, QWidget* parent = nullptr);
    ~ConcatPanel() override;

    /// One layer's slice of the concatenated vector at the pinned location.
    /// One layer's part of the concatenation at the pin (cell, x, γ ⊙ x̂, norms): the engine's probe.
    using Segment = analysis::ProbeSegment;
    const std::vector<Segment>& segments() const { return m_segments; }
    /// Why nothing is drawn (no pin, no cache, …); empty when segments are shown.
    QString notice() const;
    /// The concat energy share of the current image ("conv4_3 carries 97 % … before L2Norm, 41 % after"),
    /// live with γ; empty when unavailable.
    QString energyShareText() const;

    QList<QCustomPlot*> plots() const;
    /// One y range for both rows (the raw and normalized vectors on one scale).
    void setSharedY(bool shared);
    /// Logarithmic y axes (zero activations are left out).
    void setLogY(bool log);
    /// The hover read-out at a pixel of the plot: layer, channel and value there, or empty.
    QString readoutAt(QPoint pos) const;
    /// Segment labels as drawn (hidden ones excluded), for tests.
    QStringList visibleLabels() const;
    QString viewStateKey() const override { return QStringLiteral("concatPanel"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

protected:
    void recompute() override;
    void retranslate() override;

private:
    void collect();
    void draw();
    void drawRect(QCPAxisRect* rect, bool afterStage);
    /// Chooses each segment label's length for the segment's width on screen (a 512-channel
    /// segment beside vgg16's 4096-channel fc7 is a few dozen pixels wide).
    bool fitLabels();

    QLabel* m_notice;
    QLabel* m_energyShare;
    QCheckBox* m_sharedY;
    QCheckBox* m_logY;
    std::vector<QCPItemText*> m_labels;
    QCustomPlot* m_plot;
    QCPAxisRect* m_beforeRect;
    QCPAxisRect* m_afterRect;
    std::vector<Segment> m_segments;
    QString m_noticeText;
};

} // namespace featscale::ui
