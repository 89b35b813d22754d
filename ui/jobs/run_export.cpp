// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/run_export.h"

#include "ui/state/app_model.h"

namespace featscale::ui {

namespace an = featscale::analysis;

RunExport RunExport::fromModel(const AppModel& model, bool allImages)
{
    RunExport out;
    // The engine's own description of its runs, with the gamma the user has now.
    an::RunMetadata& m = out.run.meta;
    m = model.engine().run;
    m.gamma = model.allGamma();

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
            if (s.stage == an::Stage::After) {
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
            rec.note += std::string(rec.note.empty() ? "" : "; ") +
                        "after-L2Norm statistics omitted: computed with another gamma, re-run to include them";
        }
        out.run.images.push_back(std::move(rec));
    }
    return out;
}

} // namespace featscale::ui
