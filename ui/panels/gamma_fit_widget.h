// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "analysis/stats/gamma_fit.h"
#include "ui/state/app_model.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace featscale::ui {

class GammaFitRunner;

/// "Fit gamma": makes the edited layer's median after-norm match the target layer's median norm,
/// on the cached normalized features of the current image or of every image with a cache. Two
/// methods: the uniform γ in closed form (analysis::fitUniformGamma; the default, unique) or a
/// per-channel γ with Adam (analysis::fitGamma, early stop; under-determined: many per-channel
/// vectors share one median). Shows the loss curve live; the result is applied as one undo step
/// (ChangeGamma on AppModel::undoStack()) that the user keeps, or reverts by undoing it. Any other γ
/// change ends the keep-or-revert question (the fit stays in the undo history).
///
/// The fit runs on a worker (GammaFitRunner); the GUI thread only receives progress. GUI thread only.
class GammaFitWidget : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    explicit GammaFitWidget(AppModel* model, QWidget* parent = nullptr);
    ~GammaFitWidget() override;

    void setLayer(const std::string& layer);
    void setTargetLayer(const std::string& layer);
    void setAllImages(bool all);
    void setSteps(int steps);
    /// true: per-channel γ with Adam; false: the uniform γ in closed form.
    void setPerChannel(bool perChannel);
    bool isPerChannel() const;
    /// Per-channel fit: stop once the loss has not improved for GammaFitOptions::patience steps.
    void setEarlyStop(bool on);

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
    QString viewStateKey() const override { return QStringLiteral("fit"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

Q_SIGNALS:
    /// A fit ended (finished, failed or cancelled).
    void fitEnded(bool succeeded);
    /// previousGamma() changed (a fit preview began, was kept or reverted).
    void previewChanged();
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});

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
    /// "3 images", or "3 of 12 analysed images (…)" when some had no cached features.
    QString imagesUsedText() const;

    AppModel* m_model;
    GammaFitRunner* m_runner;
    std::string m_layer;
    QComboBox* m_target;
    QComboBox* m_scope;
    QComboBox* m_method;
    QCheckBox* m_earlyStop;
    QLabel* m_methodLabel;
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
    QLabel* m_scopeLabel;
    std::vector<double> m_loss;
    bool m_lossDrawScheduled = false; ///< progress arrives per Adam step; the curve redraws at most every kLossRedrawMs
    std::vector<float> m_previousGamma;
    std::string m_previousLayer;
    quint64 m_previewRevision = 0;
    bool m_applyingPreview = false;
    analysis::GammaFitResult m_result;
    double m_targetMedian = 0;
    int m_fitImages = 0;
    int m_analysedImages = 0;  ///< Done images in scope when the fit started (some may lack a cache)
    bool m_fitUniform = false; ///< method of the fit in progress / last finished
    int m_fitIndex = -1;       ///< undo stack index right after the pending fit's command
};

} // namespace featscale::ui
