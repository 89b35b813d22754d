// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "ui/state/app_model.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace featscale::ui {

class GammaFitWidget;

/// Everything about L2Norm's gamma: which layers get L2Norm and the eps mode (both need a re-run);
/// for the normalized layer chosen in the layer box (any number may be normalized, an overview line
/// lists each one's γ): a global gamma slider + spin box, set-all / scale, one channel's value
/// (pick it in the per-channel plot), reset to the learned γ or to the family's initial γ, loading a
/// learned gamma (checkpoint, CSV or text file), and Fit gamma (GammaFitWidget).
///
/// Every gamma change is a ChangeGamma command on AppModel::undoStack() (a slider drag is one
/// step); applying it goes through AppModel::setGamma, which recomputes the after-statistics from
/// the cached features, so no network re-run happens. Slider events are coalesced: however many
/// arrive in one event-loop turn, only the last value is applied. The wheel changes the slider and
/// spin box only while they have keyboard focus (WheelFocusGuard). GUI thread only.
class GammaPanel : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    explicit GammaPanel(AppModel* model, QWidget* parent = nullptr);
    ~GammaPanel() override;

    /// The normalized layer whose gamma the controls edit (empty when none is normalized).
    std::string editedLayer() const;
    void setEditedLayer(const std::string& layer);

    /// Moves the global gamma controls as a user would; the model update follows on the next
    /// event-loop turn (coalesced).
    void setGlobalGamma(double gamma);
    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* spinBox() const { return m_spin; }
    /// Sets one channel of the edited layer (one undo step), as the channel row does.
    void setChannelGamma(int channel, double gamma);
    /// The channel the channel row edits (picked by clicking the per-channel plot).
    void setEditedChannel(int channel);
    int editedChannel() const;
    GammaFitWidget* fitWidget() const { return m_fit; }
    /// Number of gamma updates actually pushed to the model (for the drag benchmark).
    int appliedUpdates() const { return m_appliedUpdates; }

    /// Reads a gamma file off the GUI thread and applies it to the edited layer when it fits;
    /// problems go to message(). Emits gammaFileLoaded when done.
    void loadGammaFile(const QString& path);
    /// Writes every normalized layer's γ as a layer,channel,gamma CSV (atomically; the file
    /// `featscale-cli analyze --gamma-file` and Load γ… read). Problems go to message().
    bool saveGammaFile(const QString& path);

    /// Slider position <-> gamma (log scale, 0.01 … 1000).
    static int sliderPosition(double gamma);
    static double sliderGamma(int position);

    QList<QCustomPlot*> plots() const;
    QString viewStateKey() const override { return QStringLiteral("gammaPanel"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

Q_SIGNALS:
    void gammaFileLoaded(bool ok);
    /// A short user-level message for the message bar; `details` (file names, the engine's wording)
    /// is shown on request.
    void message(const QString& text, const QString& details = {});
    /// Every image should be analysed again with AppModel::options() (BatchController::rerun).
    void rerunRequested();

protected:
    /// View → Language: every label follows at once.
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildLayerChoices();
    void requestGamma(double gamma);
    void applyPendingGamma();
    void refreshFromModel();
    void drawChannels();
    void applyL2NormSettings();
    void updateApplyButton();
    bool applyLayerGammas(const std::map<std::string, std::vector<float>>& gammas, const QString& path);
    void updateOverview();
    void updateChannelRow();
    void pickChannelAt(double pixelX);

    AppModel* m_model;
    QListWidget* m_l2normList;
    QComboBox* m_eps;
    QPushButton* m_applyRerun;
    QComboBox* m_layer;
    QSlider* m_slider;
    QDoubleSpinBox* m_spin;
    QDoubleSpinBox* m_scale;
    QLabel* m_summary;
    QCustomPlot* m_channelPlot;
    GammaFitWidget* m_fit;
    QGroupBox* m_l2Box;
    QGroupBox* m_gammaBox;
    QLabel* m_layersLabel;
    QLabel* m_epsLabel;
    QLabel* m_layerLabel;
    QLabel* m_globalLabel;
    QPushButton* m_setAll;
    QPushButton* m_scaleAll;
    QPushButton* m_resetLearned;
    QPushButton* m_resetInit;
    QPushButton* m_load;
    QPushButton* m_save;
    QLabel* m_overview;
    QLabel* m_channelLabel;
    QSpinBox* m_channel;
    QDoubleSpinBox* m_channelValue;
    QPushButton* m_setChannel;
    double m_pendingGamma = 20;
    int m_pendingDrag = 0; ///< drag number of the pending slider value (0: not a drag)
    int m_dragNumber = 0;  ///< bumped when a slider drag begins: its steps merge into one undo step
    bool m_applyScheduled = false;
    int m_appliedUpdates = 0;
};

} // namespace featscale::ui
