// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/energy_share_text.h"

#include "ui/state/app_model.h"

#include "analysis/engine/energy_share.h"

#include <QStringList>

#include <cmath>
#include <exception>
#include <limits>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
QString percent(double share)
{
    return std::isfinite(share) ? QString::number(100.0 * share, 'f', 0) + QStringLiteral(" %") : QStringLiteral("–");
}

double medianShare(const an::EnergyShares& shares, std::size_t i)
{
    return i < shares.layers.size() && shares.layers[i].stats.count > 0 ? shares.layers[i].stats.p50
                                                                        : std::numeric_limits<double>::quiet_NaN();
}
} // namespace

EnergyShareText EnergyShareText::of(const AppModel& model)
{
    EnergyShareText text;
    text.before = text.after = std::numeric_limits<double>::quiet_NaN();
    const auto result = model.currentResult();
    if (!result || !model.hasEngine())
        return text;
    const std::vector<std::string> group = an::defaultEnergyGroup(model.engine().run.arch, model.layers());
    if (group.size() < 2)
        return text;
    try {
        const an::EnergyShares before = an::concatEnergyShares(*result, group, Stage::Before);
        an::EnergyShares after;
        if (const auto cache = model.currentCache()) {
            // The model keeps caches apart from results; the engine reads x̂ from the result's own.
            // Only the group's layers are copied: with every tap analysed the whole result is
            // megabytes of maps, copied on each γ step of a slider drag.
            an::ImageResult withCache;
            withCache.path = result->path;
            withCache.originalWidth = result->originalWidth;
            withCache.originalHeight = result->originalHeight;
            withCache.inputWidth = result->inputWidth;
            withCache.inputHeight = result->inputHeight;
            for (const std::string& layer : group)
                if (const an::LayerResult* lr = result->find(layer))
                    withCache.layers.push_back(*lr);
            withCache.cache = cache;
            after = an::concatEnergyShares(withCache, group, [&model](const std::string& layer) {
                return model.isNormalized(layer) ? &model.gamma(layer) : nullptr;
            });
        }
        text.before = medianShare(before, 0);
        text.after = medianShare(after, 0);
        const QString layer = QString::fromStdString(group.front());
        text.sentence = after.layers.empty()
                            ? tr("%1 carries %2 of the concatenation before L2Norm (after: re-run for the features)")
                                  .arg(layer, percent(text.before))
                            : tr("%1 carries %2 of the concatenation before L2Norm, %3 after")
                                  .arg(layer, percent(text.before), percent(text.after));
        QStringList lines{
            tr("Median over the cells of %1's map of each layer's share ‖x_l‖² / Σ‖x_k‖² of %2:")
                .arg(QString::fromStdString(before.finest), QString::fromStdString(an::energyGroupName(group)))};
        for (std::size_t i = 0; i < group.size(); ++i)
            lines << tr("%1: %2 before, %3 after")
                         .arg(QString::fromStdString(group[i]), percent(medianShare(before, i)),
                              percent(medianShare(after, i)));
        text.details = lines.join(QLatin1Char('\n'));
    } catch (const std::exception& e) {
        text.sentence.clear();
        text.details = QString::fromStdString(e.what());
    }
    return text;
}

} // namespace featscale::ui
