// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/annotation_overlay.h"

#include "ui/panels/photo_canvas.h"
#include "ui/plots/region_box.h"
#include "ui/state/annotation_store.h"
#include "ui/state/app_model.h"

#include "analysis/engine/prior_grid.h"
#include "analysis/regions/region_mask.h"

#include <QCheckBox>
#include <QWidget>

#include <algorithm>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
// Dots a fifth of the step across: neighbours stay apart at every stride, and conv4_3's 38×38
// grid (step 8) still shows at fit-to-window on a 640-pixel photo.
constexpr double kDotFraction = 0.1;

} // namespace

AnnotationOverlay::AnnotationOverlay(AppModel* model, PhotoCanvas* canvas, QWidget* parent)
    : QObject(parent), m_model(model), m_canvas(canvas), m_boxesBox(new QCheckBox(parent)),
      m_priorsBox(new QCheckBox(parent))
{
    m_boxesBox->setObjectName(QStringLiteral("boxesToggle"));
    m_boxesBox->setChecked(true);
    m_boxesBox->hide(); // until annotations are loaded
    m_priorsBox->setObjectName(QStringLiteral("priorsToggle"));
    retranslate();
    connect(m_boxesBox, &QCheckBox::toggled, this, [this](bool on) { m_canvas->setBoxesVisible(on); });
    connect(m_priorsBox, &QCheckBox::toggled, this, &AnnotationOverlay::refreshPriors);
    for (auto signal : {&AppModel::currentChanged, &AppModel::resultReady})
        connect(m_model, signal, this, &AnnotationOverlay::refresh);
    for (auto signal : {&AppModel::selectedLayerChanged, &AppModel::weightsChanged})
        connect(m_model, signal, this, &AnnotationOverlay::refreshPriors);
    refresh();
}

void AnnotationOverlay::setAnnotations(AnnotationStore* store)
{
    m_store = store;
    if (store)
        connect(store, &AnnotationStore::changed, this, &AnnotationOverlay::refreshBoxes);
    refreshBoxes();
}

void AnnotationOverlay::retranslate()
{
    m_boxesBox->setText(tr("Boxes"));
    m_boxesBox->setToolTip(tr("Draw the loaded annotations' object boxes; hover a box for its class and size"));
    m_priorsBox->setText(tr("Prior grid"));
    refreshPriors();
}

QString AnnotationOverlay::boxToolTip(const QString& label, double width, double height)
{
    return tr("%1\n%2 × %3 px, COCO size %4")
        .arg(label)
        .arg(width, 0, 'f', 0)
        .arg(height, 0, 'f', 0)
        .arg(RegionBox::regionName(an::sizeClassOf(width * height)));
}

void AnnotationOverlay::refresh()
{
    refreshBoxes();
    refreshPriors();
}

void AnnotationOverlay::refreshBoxes()
{
    const ImageEntry* entry = m_model->currentImage();
    const an::ImageAnnotation* a = m_store && entry ? m_store->find(entry->path) : nullptr;
    m_boxesBox->setVisible(m_store && m_store->hasAnnotations());
    QList<PhotoCanvas::Box> boxes;
    if (a)
        for (const an::Box& b : a->boxes) {
            const QString label = QString::fromStdString(b.label);
            boxes.push_back(
                {QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0), label, boxToolTip(label, b.x1 - b.x0, b.y1 - b.y0)});
        }
    m_canvas->setBoxes(boxes);
}

void AnnotationOverlay::refreshPriors()
{
    const auto result = m_model->currentResult();
    const std::string layer = m_model->selectedLayer();
    const an::PriorConfig* config = m_model->hasEngine() ? an::priorConfig(m_model->engine().run.arch) : nullptr;
    // SSD300 and SSD512 share a topology: the configuration for the input the network saw, when there is one.
    if (config && result)
        for (const an::PriorConfig& c : an::topologyInfo(m_model->engine().run.arch).priors)
            if (c.inputSize == result->inputWidth && c.inputSize == result->inputHeight) {
                config = &c;
                break;
            }
    const an::PriorLayer* source = nullptr;
    if (config)
        for (const an::PriorLayer& l : config->layers)
            if (layer == l.layer)
                source = &l;
    if (!config)
        m_priorNote = tr("This topology has no prior boxes (a classifier)");
    else if (!source)
        m_priorNote =
            tr("%1 feeds no priors in %2").arg(QString::fromStdString(layer), QString::fromUtf8(config->name));
    else
        m_priorNote = tr("Prior-box centres of %1 in %2: %3×%3 at step %4 (%5)")
                          .arg(QString::fromStdString(layer), QString::fromUtf8(config->name))
                          .arg(source->featureMap)
                          .arg(source->step)
                          .arg(QString::fromUtf8(config->source));
    m_priorsBox->setEnabled(source != nullptr);
    m_priorsBox->setToolTip(m_priorNote);
    QList<QPointF> dots;
    double radius = 0;
    if (source && result && m_priorsBox->isChecked()) {
        for (const an::PriorCentre& c : an::priorCentres(*source)) {
            const an::ImagePoint p = an::priorToImage(*config, *result, c);
            dots.push_back(QPointF(p.x, p.y));
        }
        const double scale = std::min(static_cast<double>(result->originalWidth), double(result->originalHeight)) /
                             config->inputSize;
        radius = std::max(0.5, kDotFraction * source->step * scale);
    }
    m_canvas->setPriorDots(dots, radius);
}

} // namespace featscale::ui
