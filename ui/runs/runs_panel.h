// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace featscale::ui {

class AppModel;
class RunSet;

/// The list of runs held for comparison: a check box (shown or hidden), colour and editable name
/// per run, its state (progress while computing, failure reason), the selected run's settings
/// (weights, topology, preset, size, eps, L2Norm layers with gamma, images, UNTRAINED), and
/// buttons to add a run from the model settings, open a run folder, recolour, cancel and remove.
/// Its view state holds the runs, so the session file keeps them. GUI thread.
class RunsPanel : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    RunsPanel(AppModel* model, RunSet* runs, QWidget* parent = nullptr);

    QTableWidget* list() const { return m_list; }
    int selectedRun() const; ///< -1 when none
    void selectRun(int index);

    QString viewStateKey() const override { return QStringLiteral("runsPanel"); }

    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

public Q_SLOTS:
    void addFromSettings();
    void openFolderDialog();
    void chooseColorDialog();
    void removeSelected();
    void cancelSelected();

Q_SIGNALS:
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void updateRow(int index);
    void updateDetails();
    void updateButtons();
    void retranslate();

    AppModel* m_model;
    RunSet* m_runs;
    QTableWidget* m_list;
    QLabel* m_details;
    QPushButton* m_add;
    QPushButton* m_open;
    QPushButton* m_color;
    QPushButton* m_cancel;
    QPushButton* m_remove;
    bool m_updating = false;
};

} // namespace featscale::ui
