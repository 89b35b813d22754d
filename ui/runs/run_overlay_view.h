// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <QImage>
#include <QWidget>

#include <string>

class QComboBox;
class QLabel;

namespace featscale::ui {

class AppModel;
class PhotoStore;
class RunSet;

/// The norm-map overlay of any run on the current image: a chosen run, layer and stage, drawn
/// over the photo with the image view's colour map (log scale fitted to the map). Runs computed
/// here keep every image's norm maps; run folders hold statistics only, which the view says.
/// GUI thread.
class RunOverlayView : public QWidget {
    Q_OBJECT
public:
    RunOverlayView(AppModel* model, RunSet* runs, PhotoStore* photos, QWidget* parent = nullptr);

    QComboBox* runChoice() const { return m_run; }
    /// The overlay drawn (one pixel per cell), null when none; notice() says why.
    const QImage& overlay() const { return m_overlay; }
    QString notice() const;
    /// Renders the view (photo, overlay, caption) for export.
    QImage render(QSize size) const;
    void refresh();

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void rebuildChoices();
    void paintInto(QPainter& p, QRect area) const;

    AppModel* m_model;
    RunSet* m_runs;
    PhotoStore* m_photos;
    QComboBox* m_run;
    QComboBox* m_layer;
    QComboBox* m_stage;
    QLabel* m_notice;
    QImage m_overlay;
    QString m_caption;
};

} // namespace featscale::ui
