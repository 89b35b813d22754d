// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/atomic_file.h"
#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_data.h"

#include <string>
#include <vector>

namespace featscale::analysis {

/// energy_share.csv of a run, streamed as images are added: per image, stage and layer of the
/// group, the median and mean share of the concatenation's energy (concatEnergyShares), and at the
/// end the aggregate over all cells of all images (image "*"). The aggregate mean is exact; the
/// aggregate median of several images comes from a histogram of kShareBins equal bins over [0, 1]
/// (exact for one image), so memory stays one histogram per layer and stage. Not thread-safe.
class EnergyShareTable {
public:
    static constexpr int kShareBins = 10000;
    static constexpr const char* kFileName = "energy_share.csv";

    EnergyShareTable(const std::string& path, std::vector<std::string> group);
    /// The image's rows (imageColumn as in summary.csv); throws Error when a layer of the group
    /// was not analysed.
    void add(const std::string& imageColumn, const ImageResult& result);
    /// Appends the aggregate rows; the file is then ready for publishAll with the run's others.
    StagedFile& close();
    const std::vector<std::string>& group() const { return m_group; }
    static BinScheme shareBins();

private:
    StagedFile m_file;
    std::vector<std::string> m_group;
    std::string m_groupName;
    std::vector<StageAggregator> m_before, m_after; ///< per group layer
};

} // namespace featscale::analysis
