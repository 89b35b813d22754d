// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/trajectory/trajectory.h"

#include "analysis/core/file_names.h"
#include "analysis/trajectory/checkpoint_gammas.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>

namespace featscale::analysis {

GammaSummary summarizeGamma(const std::vector<float>& gamma)
{
    GammaSummary g;
    g.channels = static_cast<int>(gamma.size());
    if (gamma.empty())
        return g;
    double sum = 0;
    g.min = g.max = gamma[0];
    for (float v : gamma) {
        sum += v;
        g.min = std::min<double>(g.min, v);
        g.max = std::max<double>(g.max, v);
    }
    g.mean = sum / static_cast<double>(gamma.size());
    double m2 = 0;
    for (float v : gamma)
        m2 += (v - g.mean) * (v - g.mean);
    g.std = std::sqrt(m2 / static_cast<double>(gamma.size()));
    g.cv = g.mean != 0 ? g.std / std::abs(g.mean) : std::nan("");
    g.nearUniform = std::isfinite(g.cv) && g.cv < kNearUniformCv;
    return g;
}

std::vector<std::string> checkpointFiles(const std::string& dir)
{
    static const std::set<std::string> kExtensions = {".pth", ".pt",         ".pkl", ".tar", ".ckpt",
                                                      ".bin", ".caffemodel", ".t7",  ".h5",  ".onnx"};
    std::vector<std::string> out;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    if (ec)
        throw Error(escapeFileName(dir) + ": cannot list the checkpoint directory (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
        if (ec)
            throw Error(escapeFileName(dir) + ": cannot list the checkpoint directory (" + ec.message() + ")");
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        std::error_code fe;
        if (kExtensions.count(ext) && it->is_regular_file(fe))
            out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void orderByStep(Trajectory& t)
{
    auto& c = t.checkpoints;
    std::stable_sort(c.begin(), c.end(), [](const TrajectoryCheckpoint& a, const TrajectoryCheckpoint& b) {
        if (a.step.has_value() != b.step.has_value())
            return a.step.has_value();
        if (a.step && *a.step != *b.step)
            return *a.step < *b.step;
        return a.given < b.given;
    });
    std::vector<std::string> unnumbered;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!c[i].step) {
            unnumbered.push_back(escapeFileName(c[i].path));
            continue;
        }
        std::size_t j = i;
        while (j + 1 < c.size() && c[j + 1].step == c[i].step)
            ++j;
        if (j > i) {
            std::string names;
            for (std::size_t k = i; k <= j; ++k)
                names += (k > i ? ", " : "") + escapeFileName(c[k].path);
            t.notes.push_back(std::to_string(j - i + 1) + " checkpoints share step " + std::to_string(*c[i].step) +
                              " and keep the order given: " + names);
            i = j;
        }
    }
    if (!unnumbered.empty()) {
        std::string names;
        for (const auto& n : unnumbered)
            names += (names.empty() ? "" : ", ") + n;
        t.notes.push_back(std::to_string(unnumbered.size()) +
                          " checkpoint(s) without a step (none recorded in the file, no number in the name) come "
                          "last, in the order given: " +
                          names);
    }
    std::set<std::string> sources;
    for (const auto& k : c)
        if (k.step)
            sources.insert(k.stepSource);
    if (sources.size() > 1) {
        std::string list;
        for (const auto& s : sources)
            list += (list.empty() ? "" : ", ") + s;
        t.notes.push_back("steps come from different sources (" + list +
                          "): the order compares numbers that may not count the same thing");
    }
}

Trajectory loadTrajectory(const std::vector<std::string>& paths, const ProgressFn& progress)
{
    Trajectory t;
    const int total = static_cast<int>(paths.size());
    for (int i = 0; i < total; ++i) {
        TrajectoryCheckpoint c;
        c.path = paths[static_cast<std::size_t>(i)];
        c.given = i;
        try {
            CheckpointGammas g = readCheckpointGammas(c.path);
            c.gammas = std::move(g.gammas);
            c.step = g.step;
            c.stepSource = g.stepSource;
            c.readMode = g.readMode;
            c.bytesRead = g.bytesRead;
            c.fileBytes = g.fileBytes;
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            c.error = e.what();
        }
        if (!c.step) {
            std::string source;
            c.step = stepFromFileName(c.path, &source);
            c.stepSource = source;
        }
        t.checkpoints.push_back(std::move(c));
        if (progress && !progress(i + 1, total)) {
            t.complete = false;
            break;
        }
    }
    orderByStep(t);
    return t;
}

} // namespace featscale::analysis
