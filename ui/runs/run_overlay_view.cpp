// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/run_overlay_view.h"

#include "ui/plots/color_map.h"
#include "ui/runs/run_set.h"
#include "ui/state/app_model.h"
#include "ui/state/photo_store.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace featscale::ui {

namespace an = featscale::analysis;

RunOverlayView::RunOverlayView(AppModel* model, RunSet* runs, PhotoStore* photos, QWidget* parent)
    : QWidget(parent), m_model(model), m_runs(runs), m_photos(photos), m_run(new QComboBox(this)),
      m_layer(new QComboBox(this)), m_stage(new QComboBox(this)), m_notice(new QLabel(this))
{
    setObjectName(QStringLiteral("runOverlayView"));
    m_run->setObjectName(QStringLiteral("overlayRun"));
    m_layer->setObjectName(QStringLiteral("overlayLayer"));
    m_notice->setWordWrap(true);
    for (QComboBox* c : {m_run, m_layer, m_stage}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
    }
    auto* controls = new QGridLayout;
    controls->addWidget(m_run, 0, 0, 1, 2);
    controls->addWidget(m_layer, 1, 0);
    controls->addWidget(m_stage, 1, 1);
    controls->setColumnStretch(2, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_notice);
    layout->addStretch(1);
    setMinimumHeight(200);
    m_stage->addItem(QString(), 0);
    m_stage->addItem(QString(), 1);
    m_stage->setItemText(0, tr("before L2Norm"));
    m_stage->setItemText(1, tr("after L2Norm"));
    connect(m_runs, &RunSet::dataChanged, this, &RunOverlayView::rebuildChoices);
    connect(m_runs, &RunSet::runsChanged, this, &RunOverlayView::rebuildChoices);
    connect(m_run, &QComboBox::currentIndexChanged, this, &RunOverlayView::refresh);
    connect(m_layer, &QComboBox::currentIndexChanged, this, &RunOverlayView::refresh);
    connect(m_stage, &QComboBox::currentIndexChanged, this, &RunOverlayView::refresh);
    connect(m_model, &AppModel::currentChanged, this, &RunOverlayView::refresh);
    if (m_photos)
        connect(m_photos, &PhotoStore::decoded, this, [this] { update(); });
    rebuildChoices();
}

void RunOverlayView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        m_stage->setItemText(0, tr("before L2Norm"));
        m_stage->setItemText(1, tr("after L2Norm"));
        refresh();
    }
}

void RunOverlayView::rebuildChoices()
{
    const QSignalBlocker blockRun(m_run), blockLayer(m_layer);
    const quint64 run = m_run->currentData().toULongLong();
    const QString layer = m_layer->currentText();
    m_run->clear();
    m_layer->clear();
    for (int i = 0; i < m_runs->count(); ++i) {
        const RunEntry& r = m_runs->run(i);
        if (!r.ready())
            continue;
        m_run->addItem(r.name, r.id);
        if (r.id == run)
            m_run->setCurrentIndex(m_run->count() - 1);
    }
    const int ri = m_runs->indexOfId(m_run->currentData().toULongLong());
    if (ri >= 0)
        for (const auto& l : m_runs->run(ri).data->meta.layers)
            m_layer->addItem(QString::fromStdString(l));
    const int li = m_layer->findText(layer.isEmpty() ? QStringLiteral("conv4_3") : layer);
    if (li >= 0)
        m_layer->setCurrentIndex(li);
    refresh();
}

QString RunOverlayView::notice() const { return m_notice->text(); }

void RunOverlayView::refresh()
{
    m_overlay = {};
    m_caption.clear();
    QString why;
    const int ri = m_runs->indexOfId(m_run->currentData().toULongLong());
    const ImageEntry* image = m_model->currentImage();
    if (ri < 0) {
        why = tr("No run is ready: add runs in the Runs panel.");
    } else if (!image) {
        why = tr("No image selected.");
    } else {
        const RunEntry& r = m_runs->run(ri);
        const auto res = r.results.find(image->path);
        if (r.source == RunEntry::Source::Folder)
            why = tr("Not available for %1: a run folder holds statistics, not norm maps.").arg(r.name);
        else if (res == r.results.end())
            why = tr("This image is not part of %1.").arg(r.name);
        else {
            const an::LayerResult* l = res->second->find(m_layer->currentText().toStdString());
            const bool after = m_stage->currentData().toInt() == 1;
            if (!l)
                why = tr("%1 has no layer %2.").arg(r.name, m_layer->currentText());
            else if (after && !l->normalized)
                why = tr("%1 has no L2Norm in %2.").arg(m_layer->currentText(), r.name);
            else {
                const an::NormMap& map = after ? l->after : l->before;
                const ColorMap cmap = ColorMap::fitted(map, /*logScale=*/true);
                m_overlay = cmap.render(map, /*alpha=*/170);
                m_caption = tr("%1 — %2 %3\n‖x‖ %4 … %5 (log colour scale)")
                                .arg(r.name, m_layer->currentText(), m_stage->currentText(), formatNorm(cmap.lo()),
                                     formatNorm(cmap.hi()));
            }
        }
    }
    m_notice->setText(why);
    m_notice->setVisible(!why.isEmpty());
    update();
}

void RunOverlayView::paintInto(QPainter& p, QRect area) const
{
    const ImageEntry* image = m_model->currentImage();
    QImage photo = image && m_photos ? m_photos->photo(image->path) : QImage();
    if (image && m_photos && photo.isNull())
        m_photos->request(image->path);
    QSize size = !photo.isNull() ? photo.size() : m_overlay.size();
    if (size.isEmpty())
        return;
    const int captionHeight = 2 * p.fontMetrics().height() + 6;
    area.adjust(0, 0, 0, -captionHeight);
    const QSize fitted = size.scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.x() + (area.width() - fitted.width()) / 2, area.y(), fitted.width(), fitted.height());
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (!photo.isNull())
        p.drawImage(target, photo);
    if (!m_overlay.isNull())
        p.drawImage(target, m_overlay);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(area.x(), target.bottom() + 4, area.width(), captionHeight),
               Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_caption);
}

void RunOverlayView::paintEvent(QPaintEvent* event)
{
    QWidget::paintEvent(event);
    if (m_overlay.isNull())
        return;
    QPainter p(this);
    const int top = m_notice->isVisible() ? m_notice->geometry().bottom() + 4 : m_layer->geometry().bottom() + 6;
    paintInto(p, QRect(0, top, width(), height() - top));
}

QImage RunOverlayView::render(QSize size) const
{
    QImage out(size, QImage::Format_ARGB32_Premultiplied);
    out.fill(Qt::white);
    QPainter p(&out);
    paintInto(p, out.rect());
    return out;
}

} // namespace featscale::ui
