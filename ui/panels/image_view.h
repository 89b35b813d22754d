// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "ui/plots/color_map.h"
#include "ui/state/app_model.h"

#include <QJsonObject>
#include <QPointF>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QScrollArea;
class QSlider;
class QToolButton;

namespace featscale::ui {

class AnnotationOverlay;
class AnnotationStore;
class ColorBar;
class PhotoCanvas;
class PhotoStore;

/// The photo of the current image with the selected layer's norm map as a colour overlay
/// (toggle, opacity, log/linear colour scale with a labelled colour bar, before/after L2Norm),
/// a read-out of the norms of every layer under the cursor (or at the pin), click-to-pin, zoom
/// and pan, and the locations of a clicked histogram bin highlighted.
///
/// Reads everything from AppModel; the photo comes from a PhotoStore (decoded on a worker thread,
/// once per image for list and view alike). Without one given, the view keeps its own.
class ImageView : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    explicit ImageView(AppModel* model, PhotoStore* photos = nullptr, QWidget* parent = nullptr);

    PhotoCanvas* canvas() const { return m_canvas; }
    /// Object boxes of the current image from `store` (the window's), drawn over the photo.
    void setAnnotations(AnnotationStore* store);
    AnnotationOverlay* annotationOverlay() const { return m_annotations; }
    ColorBar* colorBar() const { return m_colorBar; }
    Stage stage() const { return m_stage; }
    void setStage(Stage stage);
    bool overlayEnabled() const;
    void setOverlayEnabled(bool on);
    bool logScale() const;
    /// The read-out text (plain) for an image pixel: pixel, and per layer the cell and norms.
    QString readoutAt(QPointF imagePixel) const;
    QString readoutText() const;
    /// Cells currently highlighted (from a histogram bin), for tests and the read-out.
    int highlightedCells() const { return m_highlightCount; }
    bool photoLoaded() const { return m_photoLoaded; }

    QString viewStateKey() const override { return QStringLiteral("imageView"); }

    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

Q_SIGNALS:
    void photoReady(); ///< the current image's photo is on screen

protected:
    /// View → Language: controls, colour bar, read-out and messages follow at once.
    void changeEvent(QEvent* event) override;
    /// Lays the read-out out again when its width changes.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslate();
    void loadPhoto();
    void showPhoto(const QString& path);
    void refreshLayers();
    void refreshOverlay();
    void refreshHighlight();
    void refreshPin();
    void showReadout(std::optional<QPointF> imagePixel, bool pinned);
    QString readoutHtml(QPointF imagePixel, bool pinned) const;
    QSize imageSize() const; ///< the current image's size (EXIF applied), invalid while unknown

    AppModel* m_model;
    PhotoStore* m_photos;
    PhotoCanvas* m_canvas;
    ColorBar* m_colorBar;
    AnnotationOverlay* m_annotations;
    QCheckBox* m_overlayBox;
    QComboBox* m_layerBox;
    QComboBox* m_stageBox;
    QSlider* m_opacity;
    QComboBox* m_scaleBox;
    QLabel* m_readout;
    QScrollArea* m_readoutScroll;
    QLabel* m_readoutMeasure; ///< never shown: measures the read-out's layouts
    QLabel* m_highlightLabel;
    QLabel* m_placeholder;
    QLabel* m_opacityLabel;
    QToolButton* m_fit;
    QToolButton* m_actual;
    Stage m_stage = Stage::Before;
    bool m_photoLoaded = false;
    QString m_loadingPath; ///< photo asked of the store and not there yet
    int m_highlightCount = 0;
    std::optional<QPointF> m_hover;
    std::optional<QPointF> m_readoutPixel; ///< what the read-out shows, laid out again on resize
    bool m_readoutPinned = false;
};

} // namespace featscale::ui
