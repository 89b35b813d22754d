// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/run_entry.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

// A gamma vector in one short phrase: uniform ones by their value, others by their range.
QString gammaText(const std::vector<float>& g)
{
    if (g.empty())
        return RunEntry::tr("weights' gamma or 20");
    const auto [lo, hi] = std::minmax_element(g.begin(), g.end());
    if (*lo == *hi)
        return QStringLiteral("γ = %1").arg(static_cast<double>(*lo), 0, 'g', 4);
    return QStringLiteral("γ %1 … %2")
        .arg(static_cast<double>(*lo), 0, 'g', 4)
        .arg(static_cast<double>(*hi), 0, 'g', 4);
}

} // namespace

an::RunAggregates RunEntry::aggregates() const
{
    an::RunAggregates out;
    out.name = name.toStdString();
    if (data) {
        out.untrained = data->meta.weights.untrained;
        out.images = data->images.size();
    }
    if (stages)
        out.stages = *stages;
    return out;
}

QString RunEntry::settingsText() const
{
    QStringList lines;
    if (source == Source::Folder)
        lines << tr("Run folder (read-only): %1").arg(folder);
    else
        lines << tr("Computed here from the model settings over %n image(s)", nullptr, static_cast<int>(images.size()));
    if (!data) {
        if (source == Source::Settings) {
            const an::AnalyzerOptions& o = options;
            lines << tr("Weights: %1").arg(o.weightsPath.empty() ? tr("default (UNTRAINED)") : str(o.weightsPath));
            lines << tr("Size: %1, eps: %2")
                         .arg(str(an::toString(o.size)),
                              o.eps ? str(an::toString(*o.eps)) : tr("the weights' family's"));
        }
        return lines.join(QLatin1Char('\n'));
    }
    const an::RunMetadata& m = data->meta;
    QString weights = str(m.weights.displayName.empty() ? m.weights.path : m.weights.displayName);
    if (m.weights.untrained)
        weights += QStringLiteral(" — ") + tr("UNTRAINED");
    lines << tr("Weights: %1").arg(weights);
    lines << tr("Topology: %1, preset: %2").arg(str(an::toString(m.arch)), str(an::toString(m.preset)));
    lines << tr("Size: %1, eps: %2").arg(str(an::toString(m.size)), str(an::toString(m.eps)));
    QStringList norm;
    for (const auto& layer : m.l2normLayers) {
        const auto it = m.gamma.find(layer);
        norm << QStringLiteral("%1 (%2)").arg(str(layer), it != m.gamma.end() ? gammaText(it->second) : gammaText({}));
    }
    lines << tr("L2Norm: %1").arg(norm.isEmpty() ? tr("none") : norm.join(QStringLiteral(", ")));
    lines << tr("Images: %1 analysed, %2 failed").arg(data->images.size()).arg(data->failures.size());
    if (!m.mergedFrom.empty())
        lines << tr("Merged from %n run(s)", nullptr, static_cast<int>(m.mergedFrom.size()));
    return lines.join(QLatin1Char('\n'));
}

} // namespace featscale::ui
