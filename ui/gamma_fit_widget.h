// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/gamma_fit.h"
#include "ui/app_model.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <string>
#include <vector>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace featscale::ui {

class GammaFitRunner;

/// "Fit gamma": optimizes the edited layer's per-channel gamma with Adam (analysis::fitGamma) on
/// the cached normalized features of the current image or of every image with a cache, so its
/// median after-norm matches the target layer's median norm. Shows the loss curve live; the
/// result is applied as a preview the user keeps or reverts.
///
/// The fit runs on a worker (GammaFitRunner); the GUI thread only receives progress. GUI thread only.
class GammaFitWidget : public QWidget {
    Q_OBJECT
public:
    explicit GammaFitWidget(AppModel* model, QWidget* parent = nullptr);
    ~GammaFitWidget() override;

    void setLayer(const std::string& layer);
    void setTargetLayer(const std::string& layer);
    void setAllImages(bool all);
    void setSteps(int steps);

    /// Starts a fit (as the Fit button does); returns false with a message posted when it cannot.
    bool startFit();
    void cancelFit();
    void keep();
    void revert();
    bool isRunning() const;
    /// Blocks until a running fit has ended (tests).
    void waitForFit();

    /// Gamma in force before the pending (not yet kept) fit; empty when nothing is pending.
    const std::vector<float>& previousGamma() const { return m_previousGamma; }
    const analysis::GammaFitResult& lastResult() const { return m_result; }
    double lastTargetMedian() const { return m_targetMedian; }
    QString status() const;

    QList<QCustomPlot*> plots() const;
    QJsonObject viewState() const;
    void restoreViewState(const QJsonObject& state);

Q_SIGNALS:
    /// A fit ended (finished, failed or cancelled).
    void fitEnded(bool succeeded);
    /// previousGamma() changed (a fit preview began, was kept or reverted).
    void previewChanged();

protected:
    /// View → Language: every label follows at once.
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildTargets();
    void onProgress(int step, int steps, double loss);
    void onFinished(const analysis::GammaFitResult& result);
    void onEnded(const QString& message, bool succeeded);
    void updateButtons();
    void drawLoss();

    AppModel* m_model;
    GammaFitRunner* m_runner;
    std::string m_layer;
    QComboBox* m_target;
    QComboBox* m_scope;
    QSpinBox* m_steps;
    QDoubleSpinBox* m_lr;
    QPushButton* m_fitButton;
    QPushButton* m_cancelButton;
    QPushButton* m_keepButton;
    QPushButton* m_revertButton;
    QLabel* m_status;
    QCustomPlot* m_lossPlot;
    QGroupBox* m_box;
    QLabel* m_targetLabel;
    QLabel* m_stepsLabel;
    QLabel* m_lrLabel;
    std::vector<double> m_loss;
    bool m_lossDrawScheduled = false; ///< progress arrives per Adam step; the curve redraws at most every kLossRedrawMs
    std::vector<float> m_previousGamma;
    std::string m_previousLayer;
    quint64 m_previewRevision = 0;
    bool m_applyingPreview = false;
    analysis::GammaFitResult m_result;
    double m_targetMedian = 0;
    int m_fitImages = 0;
};

} // namespace featscale::ui
