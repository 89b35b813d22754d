// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace featscale::ui {

class AppModel;
class TrainedWeightsDialog;

/// The network and its weights: what is loaded (name, format, family, sha256 prefix, with an
/// UNTRAINED badge for the default weights), Open weights… / discovered weights / default
/// weights, and the run settings (arch, preset, input size, analysed layers) with Re-run.
///
/// Edits only change AppModel::options(); nothing runs until Re-run (or a new weight file,
/// which re-runs at once). A failed load leaves the previous engine and results in place.
class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(AppModel* model, QWidget* parent = nullptr);

    /// Switches to a weight file and re-runs (the GUI's Open weights… action).
    void openWeights(const QString& path);
    QLabel* untrainedBadge() const { return m_badge; }
    /// The "Get trained weights…" dialog (created on first use); a verified download opens here.
    TrainedWeightsDialog* trainedWeightsDialog();
    /// The widgets differ from the settings in use: Re-run would change something.
    bool rerunNeeded() const;
    QLabel* rerunHint() const { return m_rerunHint; }

public Q_SLOTS:
    void openWeightsDialog();
    void useDefaultWeights();
    void showTrainedWeightsDialog();
    /// Applies the widgets to AppModel::options() and asks for a re-run; false (with a message)
    /// when a field is invalid.
    bool applyAndRerun();

Q_SIGNALS:
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});
    /// Every image should be analysed again with AppModel::options() (BatchController::rerun).
    void rerunRequested();

protected:
    /// View → Language: every label follows at once.
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void showWeights();
    void showOptions();
    void refreshDiscovered();
    void updateRerunHint();
    /// AppModel::options() with the widgets' settings; nullopt (and the reason) when one is invalid.
    std::optional<analysis::AnalyzerOptions> optionsFromWidgets(QString* error) const;

    AppModel* m_model;
    QLabel* m_name;
    QLabel* m_badge;
    QLabel* m_details;
    QComboBox* m_discovered;
    QComboBox* m_arch;
    QCheckBox* m_archFromWeights;
    QComboBox* m_preset;
    QComboBox* m_sizeMode;
    QSpinBox* m_sizeValue;
    QLineEdit* m_layers;
    QPushButton* m_rerun;
    QPushButton* m_open;
    QPushButton* m_useDefault;
    QPushButton* m_getTrained;
    QGroupBox* m_weightsBox;
    QGroupBox* m_netBox;
    QFormLayout* m_form;
    QLabel* m_archLabel;
    QLabel* m_presetLabel;
    QLabel* m_sizeLabel;
    QLabel* m_layersLabel;
    QLabel* m_rerunHint;
    TrainedWeightsDialog* m_trainedDialog = nullptr;
};

} // namespace featscale::ui
