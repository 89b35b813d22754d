// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>

class QGraphicsPixmapItem;
class QGraphicsRectItem;
class QGraphicsItemGroup;
class QGraphicsPathItem;

namespace featscale::ui {

/// Zoomable, pannable photo with two cell-aligned layers on top (norm overlay and bin
/// highlight) and a pin marker. Scene coordinates are pixels of the original image (EXIF
/// applied), whatever resolution the displayed photo has, so every view shares one coordinate
/// system with AppModel::pin() and AppModel::cellAt().
///
/// Wheel zooms around the cursor, dragging pans, a click (press and release without moving)
/// emits clicked().
///
/// Object boxes (outline and class label, a tooltip each) and the prior-box centres of a layer lie
/// on top of everything, in the same image-pixel coordinates.
class PhotoCanvas : public QGraphicsView {
    Q_OBJECT
public:
    explicit PhotoCanvas(QWidget* parent = nullptr);

    /// photo may be smaller than originalSize (large photos are shown downscaled).
    void setPhoto(const QImage& photo, QSize originalSize);
    QSize originalSize() const { return m_originalSize; }
    /// One pixel per cell; stretched over the whole photo (null image hides the layer).
    void setOverlay(const QImage& cells, double opacity);
    void setOverlayOpacity(double opacity);
    double overlayOpacity() const;
    void setHighlight(const QImage& cells);
    void setPinMarker(std::optional<QPointF> imagePixel, const QRectF& cell);
    bool hasPinMarker() const;
    QPointF pinMarkerPos() const;
    const QImage& overlayImage() const { return m_overlayCells; }
    const QImage& highlightImage() const { return m_highlightCells; }

    /// An object box in image pixels with its label and the tooltip its outline shows.
    struct Box {
        QRectF rect;
        QString label;
        QString toolTip;
    };
    void setBoxes(const QList<Box>& boxes);
    int boxCount() const;
    void setBoxesVisible(bool on);
    bool boxesVisible() const { return m_boxesVisible; }
    /// The tooltip of the smallest box holding an image pixel (what hovering there shows); empty if none.
    QString boxToolTipAt(QPointF imagePixel) const;
    /// Prior-box centres as dots of `radius` image pixels (empty hides them).
    void setPriorDots(const QList<QPointF>& centres, double radius);
    int priorDotCount() const { return m_priorDots; }

    double zoom() const;
    void zoomBy(double factor);

public Q_SLOTS:
    void fitToWindow();
    void actualSize();

Q_SIGNALS:
    void hovered(QPointF imagePixel); ///< cursor over the photo
    void left();                      ///< cursor left the photo
    void clicked(QPointF imagePixel);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeCellLayer(QGraphicsPixmapItem* item, const QImage& cells);

    QGraphicsScene* m_scene;
    QGraphicsPixmapItem* m_photo;
    QGraphicsPixmapItem* m_overlay;
    QGraphicsPixmapItem* m_highlight;
    QGraphicsItemGroup* m_marker;
    QGraphicsRectItem* m_markerCell;
    QGraphicsItemGroup* m_boxes;
    QGraphicsPathItem* m_priors;
    QList<Box> m_boxList;
    int m_priorDots = 0;
    bool m_boxesVisible = true;
    QImage m_overlayCells, m_highlightCells;
    QSize m_originalSize;
    QPoint m_pressPos;
    bool m_pressed = false;
    bool m_fit = true; ///< keep fitting on resize until the user zooms
};

} // namespace featscale::ui
