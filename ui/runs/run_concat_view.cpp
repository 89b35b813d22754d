// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/run_concat_view.h"

#include "analysis/engine/probe.h"
#include "analysis/network/layer_catalog.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/runs/run_set.h"
#include "ui/state/app_model.h"

#include <QCheckBox>
#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace featscale::ui {

namespace an = featscale::analysis;

RunConcatView::RunConcatView(AppModel* model, RunSet* runs, QWidget* parent)
    : QWidget(parent), m_model(model), m_runs(runs), m_shared(new QCheckBox(this)), m_notice(new QLabel(this)),
      m_plot(new QCustomPlot(this))
{
    setObjectName(QStringLiteral("runConcatView"));
    m_plot->setObjectName(QStringLiteral("compareConcatPlot"));
    m_shared->setObjectName(QStringLiteral("sharedConcatAxis"));
    m_notice->setWordWrap(true);
    plot_style::applyDefaults(m_plot);
    m_plot->setMinimumWidth(240);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_shared);
    layout->addWidget(m_notice);
    layout->addWidget(m_plot, 1);
    m_shared->setText(tr("Same y axis for every run"));
    connect(m_shared, &QCheckBox::toggled, this, &RunConcatView::refresh);
    connect(m_runs, &RunSet::dataChanged, this, &RunConcatView::refresh);
    connect(m_model, &AppModel::pinChanged, this, &RunConcatView::refresh);
    connect(m_model, &AppModel::currentChanged, this, &RunConcatView::refresh);
}

bool RunConcatView::sharedAxis() const { return m_shared->isChecked(); }
void RunConcatView::setSharedAxis(bool shared) { m_shared->setChecked(shared); }

void RunConcatView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        m_shared->setText(tr("Same y axis for every run"));
        refresh();
    }
}

void RunConcatView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
}

void RunConcatView::refresh()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    m_notices.clear();
    const std::vector<const RunEntry*> shown = m_runs->shownRuns();
    const ImageEntry* image = m_model->currentImage();
    const auto pin = m_model->pin();
    QString general;
    if (shown.empty())
        general = tr("No run is shown: add runs in the Runs panel.");
    else if (!image)
        general = tr("No image selected.");
    else if (!pin)
        general = tr("Click the image to pin a location: each run's concatenated feature vector there is shown.");

    struct Row {
        const RunEntry* run;
        std::vector<an::ProbeSegment> segments;
    };
    std::vector<Row> rows;
    QStringList lines;
    for (const RunEntry* r : shown) {
        QString why;
        if (!general.isEmpty()) {
            why = general;
        } else if (r->source == RunEntry::Source::Folder) {
            why = tr("not available: a run folder holds no activations");
        } else {
            const auto res = r->results.find(image->path);
            const auto cache = r->caches.find(image->path);
            if (res == r->results.end())
                why = tr("this image is not part of the run");
            else if (cache == r->caches.end())
                why = tr("activations of this image were not kept (memory budget); the run keeps its first images'");
            else {
                std::vector<std::string> layers;
                const auto trio = an::LayerCatalog::defaultLayers();
                for (const auto& l : r->data->meta.layers)
                    if (std::find(trio.begin(), trio.end(), l) != trio.end())
                        layers.push_back(l);
                if (layers.empty())
                    layers = r->data->meta.layers;
                const auto& gamma = r->data->meta.gamma;
                const an::Probe probe = an::probeAt(
                    *res->second, *cache->second, layers,
                    [&gamma](const std::string& layer) -> const std::vector<float>* {
                        const auto it = gamma.find(layer);
                        return it != gamma.end() ? &it->second : nullptr;
                    },
                    pin->x(), pin->y());
                if (probe.status == an::Probe::Status::OutsideImage)
                    why = tr("the pinned location lies outside the image");
                else if (probe.status == an::Probe::Status::NotCached)
                    why = tr("activations of %1 were not kept").arg(QString::fromStdString(probe.layer));
                else
                    rows.push_back({r, probe.segments});
            }
        }
        m_notices << why;
        if (!why.isEmpty() && why != general)
            lines << QStringLiteral("%1: %2").arg(r->name, why);
    }
    if (!general.isEmpty())
        lines.prepend(general);
    m_notice->setText(lines.join(QLatin1Char('\n')));
    m_notice->setVisible(!lines.isEmpty());

    double sharedMax[2] = {0, 0};
    for (const Row& row : rows)
        for (const auto& s : row.segments) {
            for (float v : s.before)
                sharedMax[0] = std::max(sharedMax[0], static_cast<double>(v));
            for (float v : s.after)
                sharedMax[1] = std::max(sharedMax[1], static_cast<double>(v));
        }
    int gridRow = 0;
    for (const Row& row : rows) {
        auto* title = new QCPTextElement(m_plot, row.run->name, QFont(font().family(), -1, QFont::Bold));
        title->setTextColor(row.run->color.darker(120));
        m_plot->plotLayout()->addElement(gridRow++, 0, title);
        m_plot->plotLayout()->setRowStretchFactor(gridRow - 1, 0.01);
        auto* sub = new QCPLayoutGrid;
        m_plot->plotLayout()->addElement(gridRow++, 0, sub);
        for (int stage = 0; stage < 2; ++stage) {
            auto* rect = new QCPAxisRect(m_plot);
            sub->addElement(0, stage, rect);
            QCPAxis* x = rect->axis(QCPAxis::atBottom);
            QCPAxis* y = rect->axis(QCPAxis::atLeft);
            y->setLabel(stage == 0 ? tr("x before L2Norm") : tr("γ·x̂ after L2Norm"));
            double yMax = 0;
            int total = 1;
            for (const auto& s : row.segments) {
                const std::vector<float>& values = stage == 0 ? s.before : s.after;
                auto* graph = m_plot->addGraph(x, y);
                graph->setLineStyle(QCPGraph::lsImpulse);
                graph->setAntialiased(false);
                graph->setPen(QPen(plot_style::layerColor(s.layer), 1));
                graph->setName(QString::fromStdString(s.layer));
                QVector<double> keys(static_cast<int>(values.size())), vals(static_cast<int>(values.size()));
                for (std::size_t c = 0; c < values.size(); ++c) {
                    keys[static_cast<int>(c)] = s.offset + static_cast<double>(c);
                    vals[static_cast<int>(c)] = values[c];
                    yMax = std::max(yMax, static_cast<double>(values[c]));
                }
                graph->setData(keys, vals, /*alreadySorted=*/true);
                total = s.offset + static_cast<int>(values.size());
            }
            const double top = m_shared->isChecked() ? sharedMax[stage] : yMax;
            y->setRange(0, top > 0 ? top * 1.05 : 1.0);
            x->setRange(-0.5, total - 0.5);
            x->ticker()->setTickCount(3);
            y->ticker()->setTickCount(3);
        }
    }
    if (!rows.empty()) {
        QStringList names;
        for (const auto& s : rows.front().segments)
            names << QString::fromStdString(s.layer);
        m_plot->plotLayout()->addElement(gridRow, 0,
                                         new QCPTextElement(m_plot, tr("channel (%1), pixel (%2, %3)")
                                                                        .arg(names.join(QStringLiteral(" ‖ ")))
                                                                        .arg(qRound(pin->x()))
                                                                        .arg(qRound(pin->y()))));
        m_plot->plotLayout()->setRowStretchFactor(gridRow, 0.01);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace featscale::ui
