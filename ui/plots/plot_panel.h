// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/app_model.h"

#include <QComboBox>
#include <QWidget>

#include <functional>

class QShowEvent;
class QTimer;

namespace featscale::ui {

/// The "current image / all analysed images" choice shared by the plot panels.
class ScopeBox : public QComboBox {
    Q_OBJECT
public:
    explicit ScopeBox(QWidget* parent = nullptr);
    bool aggregate() const { return currentIndex() == 1; }
    void setAggregate(bool all) { setCurrentIndex(all ? 1 : 0); }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
};

/// Base of the panels that redraw from AppModel: refreshes are coalesced on a single-shot timer
/// (one per event-loop turn, or debounced), a panel in a hidden tab skips them and catches up
/// when shown (a gamma drag would otherwise redraw every tab).
///
/// Subclasses implement recompute() and call followModel() once their widgets exist.
/// Thread affinity: GUI thread.
class PlotPanel : public QWidget {
    Q_OBJECT
public:
    ~PlotPanel() override;

    /// Recomputes and redraws now (normally coalesced); for tests, exports and benchmarks.
    Q_INVOKABLE void refreshNow();

protected:
    PlotPanel(AppModel* model, QWidget* parent);

    /// Collects from the model and redraws.
    virtual void recompute() = 0;
    /// Sets the texts of the panel's controls in the GUI language (View → Language); the plot
    /// itself is redrawn after it. The base has nothing to translate.
    virtual void retranslate() { }

    /// Refresh within delayMs; an earlier pending refresh is kept.
    void scheduleRefresh(int delayMs = 0);

    /// Refreshes on new images, a new current image, new results and the end of a run.
    void followModel();

    /// Refreshes on gamma changes while after-L2Norm data is shown: the current image's view
    /// follows AppModel::afterChanged at once; the all-images view (which re-runs the after pass of
    /// every cached image) follows gammaChanged, debounced during a drag.
    void followGamma(const ScopeBox* scope, std::function<bool()> showsAfter);

    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

    AppModel* m_model;

private:
    void refreshIfShown();

    QTimer* m_refreshTimer;
    bool m_stale = false;
};

} // namespace featscale::ui
