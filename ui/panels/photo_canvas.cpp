// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/photo_canvas.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsItemGroup>
#include <QGraphicsLineItem>
#include <QGraphicsPathItem>
#include <QGraphicsPixmapItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QPainterPath>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace {
constexpr int kClickSlop = 4; // pixels a press may move and still count as a click
constexpr double kMinZoom = 0.02, kMaxZoom = 64.0;
constexpr double kBoxZ = 5, kPriorZ = 4.5; // above the overlays; the pin marker (4) stays visible under boxes

// One colour per class name, stable across images and sessions.
QColor classColour(const QString& label) { return QColor::fromHsv(static_cast<int>(qHash(label) % 360), 200, 255); }
} // namespace

PhotoCanvas::PhotoCanvas(QWidget* parent)
    : QGraphicsView(parent), m_scene(new QGraphicsScene(this)), m_photo(new QGraphicsPixmapItem),
      m_overlay(new QGraphicsPixmapItem), m_highlight(new QGraphicsPixmapItem), m_marker(new QGraphicsItemGroup),
      m_markerCell(new QGraphicsRectItem), m_boxes(new QGraphicsItemGroup), m_priors(new QGraphicsPathItem)
{
    setObjectName(QStringLiteral("photoCanvas"));
    setScene(m_scene);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setBackgroundBrush(QColor(48, 48, 48));
    setRenderHint(QPainter::SmoothPixmapTransform, true);

    m_photo->setTransformationMode(Qt::SmoothTransformation);
    // Cells stay crisp: a blurred overlay would suggest a resolution the layer does not have.
    m_overlay->setTransformationMode(Qt::FastTransformation);
    m_highlight->setTransformationMode(Qt::FastTransformation);
    m_scene->addItem(m_photo);
    m_scene->addItem(m_overlay);
    m_scene->addItem(m_highlight);
    m_overlay->setZValue(1);
    m_highlight->setZValue(2);

    // The pin marker: a cell outline in scene units plus a crosshair of constant screen size.
    QPen cellPen(QColor(255, 255, 255), 0);
    cellPen.setCosmetic(true);
    m_markerCell->setPen(cellPen);
    m_markerCell->setZValue(3);
    m_scene->addItem(m_markerCell);
    auto* ring = new QGraphicsEllipseItem(-7, -7, 14, 14);
    QPen ringPen(QColor(255, 60, 60), 2);
    ring->setPen(ringPen);
    auto* h = new QGraphicsLineItem(-12, 0, 12, 0);
    auto* v = new QGraphicsLineItem(0, -12, 0, 12);
    h->setPen(ringPen);
    v->setPen(ringPen);
    m_marker->addToGroup(ring);
    m_marker->addToGroup(h);
    m_marker->addToGroup(v);
    m_marker->setFlag(QGraphicsItem::ItemIgnoresTransformations);
    m_marker->setZValue(4);
    m_scene->addItem(m_marker);
    m_marker->hide();
    m_markerCell->hide();

    // The group must not swallow its children's hover: each box shows its own tooltip.
    m_boxes->setHandlesChildEvents(false);
    m_boxes->setZValue(kBoxZ);
    m_scene->addItem(m_boxes);
    m_priors->setPen(Qt::NoPen);
    m_priors->setBrush(QColor(0, 255, 255, 200));
    m_priors->setZValue(kPriorZ);
    m_scene->addItem(m_priors);
}

void PhotoCanvas::setBoxes(const QList<Box>& boxes)
{
    for (QGraphicsItem* item : m_boxes->childItems())
        delete item;
    m_boxList = boxes;
    // Larger boxes first, so a box inside another lies on top and keeps its own tooltip.
    QList<Box> sorted = boxes;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Box& a, const Box& b) {
        return a.rect.width() * a.rect.height() > b.rect.width() * b.rect.height();
    });
    for (const Box& b : sorted) {
        const QColor colour = classColour(b.label);
        auto* outline = new QGraphicsRectItem(b.rect);
        QPen pen(colour, 2);
        pen.setCosmetic(true);
        outline->setPen(pen);
        outline->setToolTip(b.toolTip);
        outline->setData(0, QStringLiteral("box"));
        // The label keeps its screen size at any zoom, on a dark plate so it reads on any photo.
        auto* plate = new QGraphicsRectItem(outline);
        plate->setFlag(QGraphicsItem::ItemIgnoresTransformations);
        plate->setPos(b.rect.topLeft());
        plate->setPen(Qt::NoPen);
        plate->setBrush(QColor(0, 0, 0, 170));
        auto* text = new QGraphicsSimpleTextItem(b.label, plate);
        text->setBrush(colour);
        text->setPos(2, 0);
        plate->setRect(text->boundingRect().adjusted(0, 0, 4, 0));
        plate->setToolTip(b.toolTip);
        m_boxes->addToGroup(outline);
    }
    m_boxes->setVisible(m_boxesVisible);
}

int PhotoCanvas::boxCount() const
{
    int n = 0;
    for (const QGraphicsItem* item : m_boxes->childItems())
        n += item->data(0).toString() == QStringLiteral("box");
    return n;
}

void PhotoCanvas::setBoxesVisible(bool on)
{
    m_boxesVisible = on;
    m_boxes->setVisible(on);
}

QString PhotoCanvas::boxToolTipAt(QPointF imagePixel) const
{
    if (!m_boxesVisible)
        return {};
    const Box* best = nullptr;
    for (const Box& b : m_boxList)
        if (b.rect.contains(imagePixel) &&
            (!best || b.rect.width() * b.rect.height() < best->rect.width() * best->rect.height()))
            best = &b;
    return best ? best->toolTip : QString();
}

void PhotoCanvas::setPriorDots(const QList<QPointF>& centres, double radius)
{
    QPainterPath path;
    for (const QPointF& c : centres)
        path.addEllipse(c, radius, radius);
    m_priors->setPath(path);
    m_priorDots = static_cast<int>(centres.size());
    m_priors->setVisible(!centres.isEmpty());
}

void PhotoCanvas::setPhoto(const QImage& photo, QSize originalSize)
{
    m_originalSize = originalSize;
    m_photo->setPixmap(QPixmap::fromImage(photo));
    m_photo->setScale(photo.isNull() || photo.width() == 0 ? 1.0
                                                           : static_cast<double>(originalSize.width()) / photo.width());
    m_scene->setSceneRect(QRectF(QPointF(0, 0), QSizeF(originalSize)));
    placeCellLayer(m_overlay, m_overlayCells);
    placeCellLayer(m_highlight, m_highlightCells);
    if (m_fit)
        fitToWindow();
}

void PhotoCanvas::placeCellLayer(QGraphicsPixmapItem* item, const QImage& cells)
{
    if (cells.isNull() || m_originalSize.isEmpty()) {
        item->setPixmap({});
        item->hide();
        return;
    }
    item->setPixmap(QPixmap::fromImage(cells));
    item->setTransform(QTransform::fromScale(static_cast<double>(m_originalSize.width()) / cells.width(),
                                             static_cast<double>(m_originalSize.height()) / cells.height()));
    item->show();
}

void PhotoCanvas::setOverlay(const QImage& cells, double opacity)
{
    m_overlayCells = cells;
    m_overlay->setOpacity(opacity);
    placeCellLayer(m_overlay, m_overlayCells);
}

void PhotoCanvas::setOverlayOpacity(double opacity) { m_overlay->setOpacity(opacity); }
double PhotoCanvas::overlayOpacity() const { return m_overlay->opacity(); }

void PhotoCanvas::setHighlight(const QImage& cells)
{
    m_highlightCells = cells;
    placeCellLayer(m_highlight, m_highlightCells);
}

void PhotoCanvas::setPinMarker(std::optional<QPointF> imagePixel, const QRectF& cell)
{
    if (!imagePixel) {
        m_marker->hide();
        m_markerCell->hide();
        return;
    }
    m_marker->setPos(*imagePixel);
    m_marker->show();
    m_markerCell->setRect(cell);
    m_markerCell->setVisible(!cell.isEmpty());
}

bool PhotoCanvas::hasPinMarker() const { return m_marker->isVisible(); }
QPointF PhotoCanvas::pinMarkerPos() const { return m_marker->pos(); }

double PhotoCanvas::zoom() const { return transform().m11(); }

void PhotoCanvas::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    m_fit = false;
    scale(target / zoom(), target / zoom());
}

void PhotoCanvas::fitToWindow()
{
    m_fit = true;
    if (m_originalSize.isEmpty())
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
}

void PhotoCanvas::actualSize()
{
    m_fit = false;
    setTransform(QTransform());
}

void PhotoCanvas::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.25, steps));
    event->accept();
}

void PhotoCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_pressed = true;
        m_pressPos = event->position().toPoint();
    }
    QGraphicsView::mousePressEvent(event);
}

void PhotoCanvas::mouseMoveEvent(QMouseEvent* event)
{
    QGraphicsView::mouseMoveEvent(event);
    const QPointF scenePos = mapToScene(event->position().toPoint());
    if (m_scene->sceneRect().contains(scenePos) && !m_originalSize.isEmpty())
        Q_EMIT hovered(scenePos);
    else
        Q_EMIT left();
}

void PhotoCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || !m_pressed)
        return;
    m_pressed = false;
    if ((event->position().toPoint() - m_pressPos).manhattanLength() > kClickSlop)
        return; // that was a pan
    const QPointF scenePos = mapToScene(event->position().toPoint());
    if (m_scene->sceneRect().contains(scenePos) && !m_originalSize.isEmpty())
        Q_EMIT clicked(scenePos);
}

void PhotoCanvas::leaveEvent(QEvent* event)
{
    QGraphicsView::leaveEvent(event);
    Q_EMIT left();
}

void PhotoCanvas::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fit)
        fitToWindow();
}

} // namespace featscale::ui
