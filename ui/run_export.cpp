// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run_export.h"

#include "ui/app_model.h"

#include <QDateTime>

namespace featscale::ui {

namespace an = featscale::analysis;

RunExport RunExport::fromModel(const AppModel& model, bool allImages)
{
    RunExport out;
    an::RunMetadata& m = out.run.meta;
    m.featscaleVersion = FEATSCALE_VERSION;
    m.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    const an::AnalyzerOptions& o = model.options();
    m.arch = model.engine().arch;
    m.weights = model.weights();
    m.preset = model.engine().preset;
    m.size = o.size;
    m.eps = o.eps;
    m.layers = model.layers();
    m.l2normLayers = model.l2normLayers();
    m.gamma = model.allGamma();
    m.bins = o.bins;
    m.threads = o.threads;

    QList<int> indices;
    if (allImages)
        for (int i = 0; i < model.imageCount(); ++i)
            indices << i;
    else if (model.currentIndex() >= 0)
        indices << model.currentIndex();
    m.totalInputs = indices.size();

    for (int i : indices) {
        const ImageEntry& e = model.image(i);
        if (e.state == ImageState::Failed) {
            out.run.failures.push_back({e.path.toStdString(), i, e.error.toStdString()});
            continue;
        }
        if (e.state != ImageState::Done || !e.result)
            continue;
        an::ImageRecord rec = an::toRecord(*e.result, i);
        const bool current = model.afterIsCurrent(i);
        std::vector<an::StageRecord> stages;
        for (an::StageRecord& s : rec.stages) {
            if (s.stage == "after") {
                if (!current)
                    continue;
                const an::LayerStats* st = model.stats(i, s.layer, Stage::After);
                const an::Histogram* h = model.histogram(i, s.layer, Stage::After);
                if (!st || !h)
                    continue;
                s.stats = *st;
                s.hist = *h;
            }
            stages.push_back(std::move(s));
        }
        rec.stages = std::move(stages);
        if (!current) {
            out.staleImages << e.path;
            rec.note += std::string(rec.note.empty() ? "" : "; ")
                        + "after-L2Norm statistics omitted: computed with another gamma, re-run to include them";
        }
        out.run.images.push_back(std::move(rec));
    }
    return out;
}

} // namespace featscale::ui
