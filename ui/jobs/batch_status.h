// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace featscale::ui {

class AppModel;
class BatchController;

/// The status-bar part of a run: weights in use (UNTRAINED in red) or being loaded, a progress bar
/// with the batch count (AppModel::batchCounts, the list's own numbers) and ETA, or "loading
/// weights…" while an engine is created, Cancel whenever anything is in flight, and the last
/// forward time.
class BatchStatus : public QWidget {
    Q_OBJECT
public:
    BatchStatus(AppModel* model, BatchController* controller, QWidget* parent = nullptr);

    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }
    QString weightsText() const;
    QString progressText() const; ///< what the progress bar says ("3 / 10 images", "loading weights…")

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void refresh();
    void refreshWeights();

    AppModel* m_model;
    BatchController* m_controller;
    QLabel* m_weights;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QLabel* m_forward;
};

/// "12 s", "3 min 05 s".
QString formatDuration(double seconds);

} // namespace featscale::ui
