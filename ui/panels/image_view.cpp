// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/image_view.h"
#include "ui/state/photo_store.h"

#include "ui/panels/annotation_overlay.h"
#include "ui/panels/flow_layout.h"
#include "ui/panels/photo_canvas.h"
#include "ui/plots/color_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
constexpr int kDefaultOpacity = 60;

struct ReadoutRow {
    QString layer, cell, grid, before, after; ///< cell "(x, y)" of a grid "W×H"; "–" and "" outside
    bool selected = false;
};
/// "before L2Norm" / "after L2Norm" in the GUI language.
QString stageText(Stage s)
{
    return s == Stage::After ? ImageView::tr("after L2Norm") : ImageView::tr("before L2Norm");
}
} // namespace

ImageView::ImageView(AppModel* model, PhotoStore* photos, QWidget* parent)
    : QWidget(parent), m_model(model), m_photos(photos ? photos : new PhotoStore(model, this)),
      m_canvas(new PhotoCanvas(this)), m_colorBar(new ColorBar(this)),
      m_annotations(new AnnotationOverlay(model, m_canvas, this)), m_overlayBox(new QCheckBox(this)),
      m_layerBox(new QComboBox(this)), m_stageBox(new QComboBox(this)), m_opacity(new QSlider(Qt::Horizontal, this)),
      m_scaleBox(new QComboBox(this)), m_readout(new QLabel(this)), m_readoutScroll(new QScrollArea(this)),
      m_readoutMeasure(new QLabel(this)), m_highlightLabel(new QLabel(this)), m_placeholder(new QLabel(this)),
      m_opacityLabel(new QLabel(this)), m_fit(new QToolButton(this)), m_actual(new QToolButton(this))
{
    setObjectName(viewStateKey());
    m_overlayBox->setChecked(true);
    m_overlayBox->setObjectName(QStringLiteral("overlayToggle"));
    m_layerBox->setObjectName(QStringLiteral("overlayLayer"));
    m_stageBox->addItems({QString(), QString()}); // before, after: texts in retranslate()
    m_opacity->setRange(0, 100);
    m_opacity->setObjectName(QStringLiteral("overlayOpacity"));
    m_opacity->setValue(kDefaultOpacity);
    m_opacity->setMaximumWidth(110);
    m_scaleBox->addItems({QString(), QString()}); // log, linear
    retranslate();

    // The controls flow into as many lines as the photo's column needs (two from about 400 px,
    // three in the narrowest), each at its full width: the combo boxes show their whole text.
    auto* controls = new FlowLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(m_overlayBox);
    controls->addWidget(m_layerBox);
    controls->addWidget(m_stageBox);
    controls->addWidget(FlowLayout::together({m_opacityLabel, m_opacity}));
    controls->addWidget(m_scaleBox);
    controls->addWidget(FlowLayout::together({m_fit, m_actual}));
    controls->addWidget(FlowLayout::together({m_annotations->boxesToggle(), m_annotations->priorsToggle()}));
    m_layerBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_stageBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_opacity->setMinimumWidth(80);

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->hide();

    // The read-out sits under the photo (the photo keeps the full width); layers fill two
    // column groups so 20 taps stay within a dozen lines.
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_readout->setWordWrap(true);
    // Laid out for the width it gets (readoutHtml), re-laid out when that changes: it scrolls
    // only vertically.
    auto* readoutScroll = m_readoutScroll;
    readoutScroll->setObjectName(QStringLiteral("readoutScroll"));
    readoutScroll->setWidget(m_readout);
    readoutScroll->setWidgetResizable(true);
    readoutScroll->setFrameShape(QFrame::NoFrame);
    readoutScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    readoutScroll->setMinimumHeight(m_readout->fontMetrics().lineSpacing() * 4);
    readoutScroll->viewport()->installEventFilter(this);
    m_readoutMeasure->hide();
    m_readoutMeasure->setTextFormat(Qt::RichText);
    m_readoutMeasure->setWordWrap(true);
    m_highlightLabel->setWordWrap(true);
    m_highlightLabel->hide();

    auto* canvasRow = new QWidget(this);
    auto* canvasLayout = new QHBoxLayout(canvasRow);
    canvasLayout->setContentsMargins(0, 0, 0, 0);
    canvasLayout->addWidget(m_canvas, 1);
    canvasLayout->addWidget(m_placeholder, 1);
    canvasLayout->addWidget(m_colorBar);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("imageViewSplit"));
    split->addWidget(canvasRow);
    split->addWidget(readoutScroll);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setCollapsible(0, false);
    split->setSizes({600, m_readout->fontMetrics().lineSpacing() * 13});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    layout->addWidget(m_highlightLabel);

    connect(m_overlayBox, &QCheckBox::toggled, this, &ImageView::refreshOverlay);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int v) { m_canvas->setOverlayOpacity(v / 100.0); });
    connect(m_scaleBox, &QComboBox::currentIndexChanged, this, &ImageView::refreshOverlay);
    connect(m_stageBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setStage(i == 1 ? Stage::After : Stage::Before); });
    connect(m_layerBox, &QComboBox::activated, this,
            [this](int i) { m_model->setSelectedLayer(m_layerBox->itemData(i).toString().toStdString()); });
    connect(m_fit, &QToolButton::clicked, m_canvas, &PhotoCanvas::fitToWindow);
    connect(m_actual, &QToolButton::clicked, m_canvas, &PhotoCanvas::actualSize);
    connect(m_canvas, &PhotoCanvas::hovered, this, [this](QPointF p) {
        m_hover = p;
        showReadout(p, false);
    });
    connect(m_canvas, &PhotoCanvas::left, this, [this] {
        m_hover.reset();
        showReadout(m_model->pin(), true);
    });
    connect(m_canvas, &PhotoCanvas::clicked, this, [this](QPointF p) { m_model->setPin(p); });

    connect(m_model, &AppModel::currentChanged, this, &ImageView::loadPhoto);
    connect(m_photos, &PhotoStore::decoded, this, [this](const QString& path) {
        if (path == m_loadingPath)
            showPhoto(path);
    });
    connect(m_model, &AppModel::imagesChanged, this, [this] {
        if (m_model->imageCount() == 0)
            loadPhoto();
    });
    connect(m_model, &AppModel::resultReady, this, [this](int index) {
        if (index != m_model->currentIndex())
            return;
        if (!m_photoLoaded)
            loadPhoto();
        refreshOverlay();
        refreshHighlight();
        refreshPin();
    });
    connect(m_model, &AppModel::imageStateChanged, this, [this](int index) {
        if (index == m_model->currentIndex() && m_model->image(index).state == ImageState::Failed)
            loadPhoto();
    });
    connect(m_model, &AppModel::afterChanged, this, [this] {
        if (m_stage == Stage::After)
            refreshOverlay();
        if (m_model->highlight().stage == Stage::After)
            refreshHighlight();
        showReadout(m_hover ? m_hover : m_model->pin(), !m_hover);
    });
    connect(m_model, &AppModel::weightsChanged, this, &ImageView::refreshLayers);
    connect(m_model, &AppModel::selectedLayerChanged, this, [this] {
        refreshLayers();
        refreshOverlay();
        refreshPin();
    });
    connect(m_model, &AppModel::pinChanged, this, &ImageView::refreshPin);
    connect(m_model, &AppModel::highlightChanged, this, &ImageView::refreshHighlight);

    refreshLayers();
    loadPhoto();
}

void ImageView::setAnnotations(AnnotationStore* store) { m_annotations->setAnnotations(store); }

void ImageView::retranslate()
{
    if (m_annotations)
        m_annotations->retranslate();
    m_overlayBox->setText(tr("Norm overlay"));
    m_overlayBox->setToolTip(tr("Colour each cell of the photo by the selected layer's L2 norm over channels"));
    m_layerBox->setToolTip(tr("Layer whose per-location norm map is overlaid"));
    m_stageBox->setItemText(0, stageText(Stage::Before));
    m_stageBox->setItemText(1, stageText(Stage::After));
    m_stageBox->setToolTip(tr("Raw feature norms, or norms after L2Norm with the current gamma"));
    m_opacity->setToolTip(tr("Overlay opacity"));
    m_opacityLabel->setText(tr("Opacity"));
    m_scaleBox->setItemText(0, tr("log colours"));
    m_scaleBox->setItemText(1, tr("linear colours"));
    m_fit->setText(tr("Fit"));
    m_fit->setToolTip(tr("Fit the photo to the view (wheel zooms, drag pans)"));
    m_actual->setText(tr("1:1"));
    m_actual->setToolTip(tr("One image pixel per screen pixel"));
}

void ImageView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::LanguageChange)
        return;
    retranslate();
    m_layerBox->clear(); // rebuilt with the " (L2Norm)" marks in the new language
    refreshLayers();
    if (m_placeholder->isVisible())
        loadPhoto();
    refreshOverlay();
    refreshHighlight();
    showReadout(m_hover ? m_hover : m_model->pin(), !m_hover);
}

bool ImageView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_readoutScroll->viewport() && event->type() == QEvent::Resize &&
        static_cast<QResizeEvent*>(event)->size().width() != static_cast<QResizeEvent*>(event)->oldSize().width())
        showReadout(m_readoutPixel, m_readoutPinned); // as many column groups as the new width holds
    return QWidget::eventFilter(watched, event);
}

void ImageView::setStage(Stage stage)
{
    m_stage = stage;
    const int i = stage == Stage::After ? 1 : 0;
    if (m_stageBox->currentIndex() != i)
        m_stageBox->setCurrentIndex(i);
    refreshOverlay();
}

bool ImageView::overlayEnabled() const { return m_overlayBox->isChecked(); }
void ImageView::setOverlayEnabled(bool on) { m_overlayBox->setChecked(on); }
bool ImageView::logScale() const { return m_scaleBox->currentIndex() == 0; }

void ImageView::loadPhoto()
{
    const ImageEntry* entry = m_model->currentImage();
    if (entry && entry->path == m_loadingPath && entry->state != ImageState::Failed)
        return; // already on its way
    m_loadingPath.clear();
    m_photoLoaded = false;
    if (!entry) {
        m_canvas->setPhoto({}, {});
        m_canvas->hide();
        m_placeholder->setText(tr("No images. Add files or a folder, or drop them onto the image list."));
        m_placeholder->show();
        refreshOverlay();
        showReadout(std::nullopt, false);
        return;
    }
    if (entry->state == ImageState::Failed) {
        m_canvas->hide();
        m_placeholder->setText(
            tr("%1\n\ncould not be analysed:\n%2").arg(QFileInfo(entry->path).fileName(), entry->error));
        m_placeholder->show();
        m_colorBar->setScale({}, {});
        return;
    }
    if (!m_photos->photo(entry->path).isNull()) {
        showPhoto(entry->path);
        return;
    }
    m_loadingPath = entry->path;
    m_photos->request(entry->path);
}

void ImageView::showPhoto(const QString& path)
{
    const ImageEntry* entry = m_model->currentImage();
    if (!entry || entry->path != path || entry->state == ImageState::Failed)
        return; // the user moved on
    m_loadingPath.clear();
    const QImage photo = m_photos->photo(path);
    if (photo.isNull()) {
        m_canvas->hide();
        m_placeholder->setText(tr("Cannot show this image:\n%1").arg(m_photos->error(path)));
        m_placeholder->show();
        return;
    }
    m_placeholder->hide();
    m_canvas->show();
    // The store decoded the photo with the engine's decoder and gave the model its size: the
    // scene is in the same original pixels as every norm map's cell mapping.
    m_canvas->setPhoto(photo, m_photos->size(path));
    m_photoLoaded = true;
    refreshOverlay();
    refreshHighlight();
    refreshPin();
    Q_EMIT photoReady();
}

void ImageView::refreshLayers()
{
    const QString selected = QString::fromStdString(m_model->selectedLayer());
    QStringList names;
    for (const std::string& l : m_model->layers())
        names << QString::fromStdString(l);
    QStringList current;
    for (int i = 0; i < m_layerBox->count(); ++i)
        current << m_layerBox->itemData(i).toString();
    if (current != names) {
        m_layerBox->clear();
        for (const QString& n : names)
            m_layerBox->addItem(m_model->isNormalized(n.toStdString()) ? n + tr(" (L2Norm)") : n, n);
    }
    const int i = m_layerBox->findData(selected);
    if (i >= 0)
        m_layerBox->setCurrentIndex(i);
}

void ImageView::refreshOverlay()
{
    const std::string layer = m_model->selectedLayer();
    const bool normalized = m_model->isNormalized(layer);
    // "after" only exists for normalized layers; others show their raw norms.
    const Stage stage = normalized ? m_stage : Stage::Before;
    m_stageBox->setEnabled(normalized);
    m_stageBox->setToolTip(normalized
                               ? tr("Raw feature norms, or norms after L2Norm with the current gamma")
                               : tr("%1 has no L2Norm: only its raw norms exist").arg(QString::fromStdString(layer)));
    const an::NormMap* map = m_model->normMap(m_model->currentIndex(), layer, stage);
    if (!map || map->empty() || !m_photoLoaded) {
        m_canvas->setOverlay({}, 0);
        m_colorBar->setScale({}, map ? QString() : tr("no data yet"));
        // No image at all: no scale to show, not even an empty one.
        m_colorBar->setVisible(m_model->currentImage() != nullptr);
        return;
    }
    m_colorBar->show();
    const ColorMap cm = ColorMap::fitted(*map, logScale());
    const QString title = QStringLiteral("‖x‖₂ %1\n%2\n%3")
                              .arg(QString::fromStdString(layer), stageText(stage),
                                   logScale() ? tr("(log scale)") : tr("(linear)"));
    m_colorBar->setScale(cm, title);
    m_canvas->setOverlay(overlayEnabled() ? cm.render(*map) : QImage(), m_opacity->value() / 100.0);
}

void ImageView::refreshHighlight()
{
    const BinHighlight h = m_model->highlight();
    const an::NormMap* map = h.valid() ? m_model->normMap(m_model->currentIndex(), h.layer, h.stage) : nullptr;
    m_highlightCount = 0;
    if (!map || map->empty()) {
        m_canvas->setHighlight({});
        m_highlightLabel->setVisible(h.valid());
        if (h.valid())
            m_highlightLabel->setText(
                tr("Histogram bin of %1 not available for this image").arg(QString::fromStdString(h.layer)));
        return;
    }
    QImage cells(map->width, map->height, QImage::Format_ARGB32);
    cells.fill(Qt::transparent);
    const QRgb mark = qRgba(0, 255, 255, 200);
    for (int y = 0; y < map->height; ++y)
        for (int x = 0; x < map->width; ++x) {
            const float v = map->at(y, x);
            if (v >= h.lo && v < h.hi) {
                cells.setPixel(x, y, mark);
                ++m_highlightCount;
            }
        }
    m_canvas->setHighlight(cells);
    m_highlightLabel->setText(
        tr("Highlighted in cyan: %1 of %2 cells of %3 (%4) with %5 ≤ ‖x‖₂ < %6")
            .arg(m_highlightCount)
            .arg(map->width * map->height)
            .arg(QString::fromStdString(h.layer), stageText(h.stage), formatNorm(h.lo), formatNorm(h.hi)));
    m_highlightLabel->show();
}

void ImageView::refreshPin()
{
    const auto pin = m_model->pin();
    const auto result = m_model->currentResult();
    QRectF cell;
    if (pin && result) {
        const QPoint c = AppModel::cellAt(*result, m_model->selectedLayer(), *pin);
        if (c.x() >= 0)
            cell = AppModel::cellRect(*result, m_model->selectedLayer(), c);
    }
    m_canvas->setPinMarker(m_photoLoaded ? pin : std::nullopt, cell);
    if (!m_hover)
        showReadout(pin, true);
}

namespace {
std::vector<ReadoutRow> readoutRows(const AppModel& model, QPointF px)
{
    std::vector<ReadoutRow> rows;
    const auto result = model.currentResult();
    if (!result)
        return rows;
    for (const std::string& layer : model.layers()) {
        ReadoutRow row;
        row.layer = QString::fromStdString(layer);
        row.selected = layer == model.selectedLayer();
        const QPoint c = AppModel::cellAt(*result, layer, px);
        const an::NormMap* before = model.normMap(model.currentIndex(), layer, Stage::Before);
        if (c.x() < 0 || !before) {
            row.cell = QStringLiteral("–");
        } else {
            row.cell = QStringLiteral("(%1, %2)").arg(c.x()).arg(c.y());
            row.grid = QStringLiteral("%1×%2").arg(before->width).arg(before->height);
            row.before = formatNorm(before->at(c.y(), c.x()));
            if (const an::NormMap* after = model.normMap(model.currentIndex(), layer, Stage::After))
                row.after = formatNorm(after->at(c.y(), c.x()));
        }
        rows.push_back(row);
    }
    return rows;
}
/// The rows as a table of `groups` column groups side by side.
QString readoutTable(const std::vector<ReadoutRow>& rows, int groups)
{
    // Rows 0..n/groups in the first group, the next share in the second.
    const int perGroup = static_cast<int>((rows.size() + static_cast<size_t>(groups) - 1) /
                                          static_cast<size_t>(groups));
    const QString head = QStringLiteral("<th align=left>%1</th><th align=right>%2</th>"
                                        "<th align=right>%3</th><th align=right>%4</th>")
                             .arg(ImageView::tr("layer"), ImageView::tr("cell"), ImageView::tr("before"),
                                  ImageView::tr("after"));
    auto cells = [&](int i) {
        if (i >= static_cast<int>(rows.size()))
            return QStringLiteral("<td></td><td></td><td></td><td></td>");
        const ReadoutRow& r = rows[static_cast<size_t>(i)];
        const QString style = r.selected ? QStringLiteral(" style='background:#ffe9a8'") : QString();
        return QStringLiteral(
                   "<td%1>%2</td><td%1 align=right>%3</td><td%1 align=right>%4</td><td%1 align=right>%5</td>")
            .arg(style, r.layer.toHtmlEscaped(), QString(r.cell).replace(QLatin1Char(' '), QStringLiteral("&nbsp;")),
                 r.before.isEmpty() ? QStringLiteral("–") : r.before,
                 r.after.isEmpty() ? QStringLiteral("–") : r.after);
    };
    QString table = QStringLiteral("<table cellspacing=0 cellpadding=2><tr>");
    for (int g = 0; g < groups; ++g)
        table += (g ? QStringLiteral("<th width=24></th>") : QString()) + head;
    table += QStringLiteral("</tr>");
    for (int i = 0; i < perGroup; ++i) {
        table += QStringLiteral("<tr>");
        for (int g = 0; g < groups; ++g)
            table += (g ? QStringLiteral("<td></td>") : QString()) + cells(i + g * perGroup);
        table += QStringLiteral("</tr>");
    }
    return table + QStringLiteral("</table>");
}
} // namespace

QSize ImageView::imageSize() const
{
    const ImageEntry* e = m_model->currentImage();
    if (!e)
        return {};
    if (e->result && e->result->originalWidth > 0)
        return {e->result->originalWidth, e->result->originalHeight};
    return e->imageSize;
}

QString ImageView::readoutAt(QPointF px) const
{
    QStringList lines;
    const QPoint pixel = AppModel::pixelAt(px, imageSize());
    lines << tr("pixel (%1, %2)").arg(pixel.x()).arg(pixel.y());
    for (const ReadoutRow& r : readoutRows(*m_model, px)) {
        const QString before = r.before.isEmpty() ? QStringLiteral("–") : r.before;
        const QString after = r.after.isEmpty() ? QStringLiteral("–") : r.after;
        lines << (r.grid.isEmpty()
                      ? tr("%1 cell %2 before %3 after %4").arg(r.layer, r.cell, before, after)
                      : tr("%1 cell %2 of %3 before %4 after %5").arg(r.layer, r.cell, r.grid, before, after));
    }
    return lines.join(QLatin1Char('\n'));
}

QString ImageView::readoutText() const
{
    QTextDocument doc;
    doc.setHtml(m_readout->text());
    return doc.toPlainText();
}

QString ImageView::readoutHtml(QPointF px, bool pinned) const
{
    const auto result = m_model->currentResult();
    const QPoint pixel = AppModel::pixelAt(px, imageSize());
    QString html = (pinned ? tr("<b>Pinned pixel (%1, %2)</b> ") : tr("<b>Cursor pixel (%1, %2)</b> "))
                       .arg(pixel.x())
                       .arg(pixel.y());
    if (result)
        html += tr("of %1×%2 (network input %3×%4)")
                    .arg(result->originalWidth)
                    .arg(result->originalHeight)
                    .arg(result->inputWidth)
                    .arg(result->inputHeight);
    const auto rows = readoutRows(*m_model, px);
    if (rows.empty())
        return html + tr("<br>no results for this image yet");
    html += tr(" — ‖x‖₂ = L2 norm over channels at the cell under the pixel");
    // As many column groups as the read-out's width holds (two, then one); narrower still, one
    // line per layer that wraps like text. The read-out never scrolls sideways.
    const int width = m_readoutScroll->viewport()->width();
    for (int groups : {2, 1}) {
        const QString table = html + readoutTable(rows, groups);
        // Measured the way the scroll area sizes the read-out: a label's minimum width.
        m_readoutMeasure->setFont(m_readout->font());
        m_readoutMeasure->setText(table);
        if (m_readoutMeasure->minimumSizeHint().width() <= width)
            return table;
    }
    for (const ReadoutRow& r : rows) {
        const QString layer = r.selected ? QStringLiteral("<b>%1</b>").arg(r.layer.toHtmlEscaped())
                                         : r.layer.toHtmlEscaped();
        html += QStringLiteral("<br>") + tr("%1 cell %2: before %3, after %4")
                                             .arg(layer, r.cell, r.before.isEmpty() ? QStringLiteral("–") : r.before,
                                                  r.after.isEmpty() ? QStringLiteral("–") : r.after);
    }
    return html;
}

void ImageView::showReadout(std::optional<QPointF> px, bool pinned)
{
    m_readoutPixel = px;
    m_readoutPinned = pinned;
    if (!px) {
        m_readout->setText(
            m_model->currentResult()
                ? tr("Hover over the photo to read the norm of every layer there; click to pin a location.")
                : QString());
        return;
    }
    m_readout->setText(readoutHtml(*px, pinned));
}

QJsonObject ImageView::viewState() const
{
    QJsonObject o;
    o[QStringLiteral("overlay")] = overlayEnabled();
    o[QStringLiteral("stage")] = stageName(m_stage);
    o[QStringLiteral("opacity")] = m_opacity->value();
    o[QStringLiteral("logColours")] = logScale();
    o[QStringLiteral("boxes")] = m_annotations->boxesToggle()->isChecked();
    o[QStringLiteral("priorGrid")] = m_annotations->priorsToggle()->isChecked();
    return o;
}

void ImageView::restoreViewState(const QJsonObject& state)
{
    if (state.contains(QStringLiteral("overlay")))
        setOverlayEnabled(state.value(QStringLiteral("overlay")).toBool(true));
    if (state.contains(QStringLiteral("opacity")))
        m_opacity->setValue(std::clamp(state.value(QStringLiteral("opacity")).toInt(kDefaultOpacity), 0, 100));
    if (state.contains(QStringLiteral("logColours")))
        m_scaleBox->setCurrentIndex(state.value(QStringLiteral("logColours")).toBool(true) ? 0 : 1);
    if (state.contains(QStringLiteral("boxes")))
        m_annotations->boxesToggle()->setChecked(state.value(QStringLiteral("boxes")).toBool(true));
    if (state.contains(QStringLiteral("priorGrid")))
        m_annotations->priorsToggle()->setChecked(state.value(QStringLiteral("priorGrid")).toBool(false));
    if (state.contains(QStringLiteral("stage")))
        setStage(state.value(QStringLiteral("stage")).toString() == stageName(Stage::After) ? Stage::After
                                                                                            : Stage::Before);
}

} // namespace featscale::ui
