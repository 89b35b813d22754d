// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QLabel;

namespace featscale::ui {

class AppModel;
class RunSet;

/// ParseNet's concatenation at the pinned pixel of the current image, one row per shown run
/// (before L2Norm left, after it right, with each run's own gamma), optionally on one y axis for
/// all runs. Needs the run's feature cache of the image: runs computed here keep them for their
/// first images; run folders hold no activations, which the view says. GUI thread.
class RunConcatView : public QWidget {
    Q_OBJECT
public:
    RunConcatView(AppModel* model, RunSet* runs, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    bool sharedAxis() const;
    void setSharedAxis(bool shared);
    /// Per shown run: empty when drawn, else why not (read from disk, no cache, no pin, …).
    const QStringList& notices() const { return m_notices; }
    void refresh();

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    AppModel* m_model;
    RunSet* m_runs;
    QCheckBox* m_shared;
    QLabel* m_notice;
    QCustomPlot* m_plot;
    QStringList m_notices;
};

} // namespace featscale::ui
