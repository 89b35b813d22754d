// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/feature_cache_store.h"

#include "analysis/core/types.h"

#include <algorithm>
#include <chrono>

namespace featscale::ui {

namespace an = featscale::analysis;

int FeatureCacheStore::size() const { return static_cast<int>(m_slots.size()); }

bool FeatureCacheStore::valid(int index) const { return index >= 0 && index < size(); }

void FeatureCacheStore::insert(int index)
{
    if (index < 0 || index > size())
        return;
    m_slots.insert(m_slots.begin() + index, Slot{});
    if (m_current >= index)
        ++m_current;
}

void FeatureCacheStore::erase(int index)
{
    if (!valid(index))
        return;
    m_slots.erase(m_slots.begin() + index);
    if (m_current == index)
        m_current = -1;
    else if (m_current > index)
        --m_current;
}

void FeatureCacheStore::clear()
{
    m_slots.clear();
    m_current = -1;
}

void FeatureCacheStore::reset(int count)
{
    clear();
    m_slots.resize(static_cast<std::size_t>(std::max(count, 0)));
}

void FeatureCacheStore::setCache(int index, std::shared_ptr<const an::FeatureCache> cache)
{
    if (!valid(index))
        return;
    Slot& s = m_slots[static_cast<std::size_t>(index)];
    s.cache = std::move(cache);
    s.revision.reset();
    s.after.clear();
    touch(index);
    enforceBudget();
}

void FeatureCacheStore::drop(int index)
{
    if (!valid(index))
        return;
    Slot& s = m_slots[static_cast<std::size_t>(index)];
    s.cache.reset();
    s.revision.reset();
    s.after.clear();
}

std::shared_ptr<const an::FeatureCache> FeatureCacheStore::cache(int index) const
{
    return valid(index) ? m_slots[static_cast<std::size_t>(index)].cache : nullptr;
}

void FeatureCacheStore::setCurrent(int index)
{
    m_current = valid(index) ? index : -1;
    touch(m_current);
    enforceBudget();
}

int FeatureCacheStore::current() const { return m_current; }

void FeatureCacheStore::setBudget(std::size_t bytes)
{
    m_budget = bytes;
    enforceBudget();
}

std::size_t FeatureCacheStore::budget() const { return m_budget; }

std::size_t FeatureCacheStore::bytes() const
{
    std::size_t total = 0;
    for (const Slot& s : m_slots)
        if (s.cache)
            total += s.cache->bytes();
    return total;
}

void FeatureCacheStore::touch(int index)
{
    if (valid(index))
        m_slots[static_cast<std::size_t>(index)].lastUsed = ++m_clock;
}

void FeatureCacheStore::enforceBudget()
{
    for (;;) {
        std::size_t total = 0;
        int oldest = -1;
        for (int i = 0; i < size(); ++i) {
            const Slot& s = m_slots[static_cast<std::size_t>(i)];
            if (!s.cache || i == m_current)
                continue;
            total += s.cache->bytes();
            if (oldest < 0 || s.lastUsed < m_slots[static_cast<std::size_t>(oldest)].lastUsed)
                oldest = i;
        }
        if (total <= m_budget || oldest < 0)
            return;
        drop(oldest);
    }
}

const FeatureCacheStore::AfterLayers* FeatureCacheStore::after(int index, const an::ImageResult& result,
                                                               const Gamma& gamma, std::uint64_t revision)
{
    if (!valid(index))
        return nullptr;
    Slot& s = m_slots[static_cast<std::size_t>(index)];
    if (!s.cache)
        return nullptr;
    if (s.revision == revision)
        return &s.after;
    const auto start = std::chrono::steady_clock::now();
    s.after.clear();
    for (const std::string& layer : s.cache->normalizedLayers()) {
        const auto g = gamma.find(layer);
        const an::LayerResult* lr = result.find(layer);
        if (g == gamma.end() || !lr || static_cast<int>(g->second.size()) != lr->channels)
            continue;
        try {
            s.after[layer] = s.cache->after(layer, g->second, lr->afterHist.scheme);
        } catch (const an::Error&) {
            // A cache that cannot serve this layer falls back to the stored after-data.
        }
    }
    s.revision = revision;
    m_lastComputeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return &s.after;
}

const an::AfterResult* FeatureCacheStore::after(int index, const std::string& layer, const an::ImageResult& result,
                                                const Gamma& gamma, std::uint64_t revision)
{
    const AfterLayers* layers = after(index, result, gamma, revision);
    if (!layers)
        return nullptr;
    const auto it = layers->find(layer);
    return it == layers->end() ? nullptr : &it->second;
}

double FeatureCacheStore::lastComputeMs() const { return m_lastComputeMs; }

} // namespace featscale::ui
