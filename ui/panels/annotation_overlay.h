// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QCheckBox;
class QWidget;

namespace featscale::ui {

class AppModel;
class AnnotationStore;
class PhotoCanvas;

/// What the image view draws from outside the network: the current image's object boxes (from an
/// AnnotationStore) and the prior-box centres of the selected layer (from the topology's published
/// prior configuration), each behind a toggle. Lives in the image view; GUI thread.
class AnnotationOverlay : public QObject {
    Q_OBJECT
public:
    AnnotationOverlay(AppModel* model, PhotoCanvas* canvas, QWidget* parent);

    void setAnnotations(AnnotationStore* store);
    QCheckBox* boxesToggle() const { return m_boxesBox; }
    QCheckBox* priorsToggle() const { return m_priorsBox; }
    /// The tooltip a box shows: class, size in pixels, COCO size class.
    static QString boxToolTip(const QString& label, double width, double height);
    void retranslate();
    void refresh();

private:
    void refreshBoxes();
    void refreshPriors();

    AppModel* m_model;
    PhotoCanvas* m_canvas;
    AnnotationStore* m_store = nullptr;
    QCheckBox* m_boxesBox;
    QCheckBox* m_priorsBox;
    QString m_priorNote; ///< why the prior grid is unavailable, or what it shows
};

} // namespace featscale::ui
