// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "analysis/stats/feature_cache.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace featscale::ui {

/// The FeatureCaches of AppModel's image list and the after-L2Norm statistics computed from them.
///
/// One slot per image, in list order: the image's cache (may be absent) and its after-data under
/// the gamma revision they were computed for. A cache costs a few MB (x̂ and x̂² of every normalized
/// layer, activations when kept), so the store holds them within a byte budget: when the caches of
/// the images not on screen exceed it, the least recently used are dropped; the current image's
/// cache is always kept. Statistics and norm maps live in the image's ImageResult, not here, and
/// stay for every analysed image.
///
/// The after-data are memoised per image and recomputed exactly when the gamma revision asked for
/// differs from the one they were computed with, or the image's cache was replaced. The store
/// compares revisions, never gamma vectors: the caller bumps the revision on every gamma change.
///
/// Named for what it owns: the caches serve the after-statistics, the probe and the γ fit alike;
/// the memo is derived from a cache and dies with it.
///
/// Plain C++, no Qt. Not thread-safe: AppModel uses it on the GUI thread only.
class FeatureCacheStore {
public:
    using Gamma = std::map<std::string, std::vector<float>>;
    using AfterLayers = std::map<std::string, analysis::AfterResult>;

    static constexpr std::size_t kDefaultBudget = std::size_t(512) << 20;

    // ---- slots, parallel to the image list ----------------------------------------------------
    int size() const;
    /// A new slot without a cache at `index` (0..size()); later slots and the current index shift.
    void insert(int index);
    /// Removes a slot; later slots shift down. Removing the current slot leaves no current one.
    void erase(int index);
    void clear();
    /// `count` empty slots, none current.
    void reset(int count);

    // ---- caches -------------------------------------------------------------------------------
    /// Stores the cache of image `index` (a new result), forgets its after-data, counts it as
    /// used now and enforces the budget. A null cache drops it.
    void setCache(int index, std::shared_ptr<const analysis::FeatureCache> cache);
    /// Drops the cache and after-data of image `index` (e.g. a failed re-run).
    void drop(int index);
    std::shared_ptr<const analysis::FeatureCache> cache(int index) const; ///< null if absent
    /// The image on screen (-1: none): its cache is never dropped. Counts it as used now and
    /// enforces the budget.
    void setCurrent(int index);
    int current() const;

    /// Byte budget for the caches of non-current images.
    void setBudget(std::size_t bytes);
    std::size_t budget() const;
    /// Bytes of every cache held, the current image's included.
    std::size_t bytes() const;

    // ---- after-statistics ---------------------------------------------------------------------
    /// After-data of image `index` for every normalized layer of its cache whose gamma (from
    /// `gamma`) has the channel count `result` records, binned with the result's after-histogram
    /// scheme. Computed when `revision` differs from the memoised one, else returned as memoised.
    /// nullptr when the image has no cache (the result's stored after-data then apply). The
    /// pointer stays valid until the slot's after-data are recomputed or dropped.
    const AfterLayers* after(int index, const analysis::ImageResult& result, const Gamma& gamma,
                             std::uint64_t revision);
    /// One layer of the above; nullptr when absent.
    const analysis::AfterResult* after(int index, const std::string& layer, const analysis::ImageResult& result,
                                       const Gamma& gamma, std::uint64_t revision);
    /// Duration of the last recomputation in milliseconds (memoised answers do not count).
    double lastComputeMs() const;

private:
    struct Slot {
        std::shared_ptr<const analysis::FeatureCache> cache;
        std::optional<std::uint64_t> revision; ///< of `after`; unset: not computed
        AfterLayers after;
        std::uint64_t lastUsed = 0; ///< m_clock when last used; 0: never
    };

    bool valid(int index) const;
    void touch(int index);
    void enforceBudget();

    std::vector<Slot> m_slots;
    int m_current = -1;
    std::uint64_t m_clock = 0;
    std::size_t m_budget = kDefaultBudget;
    double m_lastComputeMs = 0;
};

} // namespace featscale::ui
