// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/energy_share.h"

#include "analysis/core/topology.h"
#include "analysis/engine/probe.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::analysis {

EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<const NormMap*>& maps)
{
    EnergyShares out;
    if (maps.empty())
        return out;
    std::size_t finest = 0;
    for (std::size_t i = 0; i < maps.size(); ++i) {
        const NormMap* m = maps[i];
        if (!m)
            throw Error(result.path + ": energy share: a layer's norm map is missing");
        const LayerResult* lr = result.find(m->layer);
        if (!lr || lr->before.height != m->height || lr->before.width != m->width ||
            m->values.size() != static_cast<std::size_t>(m->height) * static_cast<std::size_t>(m->width))
            throw Error(result.path + ": energy share: the norm map of " + m->layer +
                        " does not match the layer's map in the analysed image");
        if (static_cast<long>(m->height) * m->width > static_cast<long>(maps[finest]->height) * maps[finest]->width)
            finest = i;
    }
    const NormMap& base = *maps[finest];
    out.finest = base.layer;
    out.height = base.height;
    out.width = base.width;
    const std::size_t cells = base.values.size();
    // Where each finest cell reads every layer: cellAt of the centre of the cell's image rectangle.
    std::vector<std::vector<std::size_t>> at(maps.size(), std::vector<std::size_t>(cells));
    for (int y = 0; y < base.height; ++y)
        for (int x = 0; x < base.width; ++x) {
            const PixelRect r = cellRect(result, base.layer, Cell{y, x});
            const double cx = r.x + r.width / 2, cy = r.y + r.height / 2;
            const std::size_t i = static_cast<std::size_t>(y) * base.width + x;
            for (std::size_t l = 0; l < maps.size(); ++l) {
                const Cell c = cellAt(result, maps[l]->layer, cx, cy);
                at[l][i] = static_cast<std::size_t>(c.y) * maps[l]->width + c.x;
            }
        }
    for (const NormMap* m : maps)
        out.layers.push_back({m->layer, std::vector<float>(cells), {}});
    std::vector<double> energy(maps.size());
    for (std::size_t i = 0; i < cells; ++i) {
        double total = 0;
        for (std::size_t l = 0; l < maps.size(); ++l) {
            const double v = maps[l]->values[at[l][i]];
            energy[l] = v * v;
            total += energy[l];
        }
        const bool defined = total > 0 && std::isfinite(total);
        for (std::size_t l = 0; l < maps.size(); ++l)
            out.layers[l].shares[i] = defined ? static_cast<float>(energy[l] / total)
                                              : std::numeric_limits<float>::quiet_NaN();
    }
    for (LayerEnergyShare& l : out.layers)
        l.stats = LayerStats::of(l.shares);
    return out;
}

EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<std::string>& group, Stage stage)
{
    std::vector<const NormMap*> maps;
    for (const std::string& layer : group) {
        const LayerResult* lr = result.find(layer);
        if (!lr)
            throw Error(result.path + ": energy share: layer " + layer + " was not analysed");
        maps.push_back(stage == Stage::After && lr->normalized ? &lr->after : &lr->before);
    }
    return concatEnergyShares(result, maps);
}

EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<std::string>& group,
                                const std::function<const std::vector<float>*(const std::string& layer)>& gamma)
{
    // the histogram of the recomputed norms is not used: one bin keeps it cheap
    static const BinScheme oneBin = BinScheme::parse("linear:0:1:1");
    std::vector<NormMap> recomputed;
    recomputed.reserve(group.size()); // pointers into it stay valid
    std::vector<const NormMap*> maps;
    for (const std::string& layer : group) {
        const LayerResult* lr = result.find(layer);
        if (!lr)
            throw Error(result.path + ": energy share: layer " + layer + " was not analysed");
        const std::vector<float>* g = gamma ? gamma(layer) : nullptr;
        if (!g) {
            maps.push_back(&lr->before);
            continue;
        }
        if (!result.cache)
            throw Error(result.path + ": energy share: the features of " + layer + " were not kept");
        recomputed.push_back(result.cache->after(layer, *g, oneBin).after);
        maps.push_back(&recomputed.back());
    }
    return concatEnergyShares(result, maps);
}

std::vector<std::string> defaultEnergyGroup(Arch arch, const std::vector<std::string>& analysed)
{
    std::vector<std::string> wanted = familyL2NormLayers(arch);
    if (wanted.empty())
        wanted.push_back("conv4_3"); // classifiers: the layer featscale normalizes unless told otherwise
    wanted.push_back("fc7");
    std::vector<std::string> out;
    for (const std::string& layer : analysed) // analysed is in network order
        if (std::find(wanted.begin(), wanted.end(), layer) != wanted.end())
            out.push_back(layer);
    return out;
}

std::string energyGroupName(const std::vector<std::string>& group)
{
    std::string out;
    for (const std::string& layer : group)
        out += (out.empty() ? "" : "+") + layer;
    return out;
}

} // namespace featscale::analysis
