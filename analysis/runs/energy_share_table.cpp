// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/runs/energy_share_table.h"

#include "analysis/core/csv.h"
#include "analysis/engine/energy_share.h"
#include "analysis/runs/internal/run_format.h"

namespace featscale::analysis {
namespace {

void appendRow(std::string& out, const std::string& image, const std::string& group, const std::string& layer,
               Stage stage, const LayerStats& s)
{
    out += csvText(image) + "," + csvText(group) + "," + csvText(layer) + "," + toString(stage) + "," +
           csvNumber(s.p50) + "," + csvNumber(s.mean()) + "\n";
}

} // namespace

BinScheme EnergyShareTable::shareBins() { return BinScheme::parse("linear:0:1:" + std::to_string(kShareBins)); }

EnergyShareTable::EnergyShareTable(const std::string& path, std::vector<std::string> group)
    : m_file(path), m_group(std::move(group)), m_groupName(energyGroupName(m_group)), m_before(m_group.size()),
      m_after(m_group.size())
{
    m_file.append("image,group,layer,stage,median_share,mean_share\n");
}

void EnergyShareTable::add(const std::string& imageColumn, const ImageResult& result)
{
    static const BinScheme bins = shareBins();
    std::string rows;
    for (const Stage stage : {Stage::Before, Stage::After}) {
        const EnergyShares shares = concatEnergyShares(result, m_group, stage);
        for (std::size_t l = 0; l < shares.layers.size(); ++l) {
            const LayerEnergyShare& s = shares.layers[l];
            appendRow(rows, imageColumn, m_groupName, s.layer, stage, s.stats);
            Histogram h(bins);
            h.addAll(s.shares);
            (stage == Stage::Before ? m_before : m_after)[l].add(s.stats, h);
        }
    }
    m_file.append(rows);
}

StagedFile& EnergyShareTable::close()
{
    std::string rows;
    for (const Stage stage : {Stage::Before, Stage::After})
        for (std::size_t l = 0; l < m_group.size(); ++l) {
            const StageAggregator& agg = (stage == Stage::Before ? m_before : m_after)[l];
            if (agg.images() > 0)
                appendRow(rows, kAllImages, m_groupName, m_group[l], stage, agg.stats());
        }
    m_file.append(rows);
    return m_file;
}

} // namespace featscale::analysis
