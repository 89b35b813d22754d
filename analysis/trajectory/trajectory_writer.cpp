// SPDX-License-Identifier: GPL-3.0-or-later
// Writing trajectory directories (reading: trajectory_reader.cpp).
#include "analysis/core/atomic_file.h"
#include "analysis/core/csv.h"
#include "analysis/core/file_names.h"
#include "analysis/trajectory/trajectory_files.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace featscale::analysis {
namespace {

using nlohmann::json;

std::string num(double v) { return csvNumber(v); }
json jnum(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
std::string stepText(const TrajectoryCheckpoint& c) { return c.step ? std::to_string(*c.step) : std::string(); }
json stepJson(const TrajectoryCheckpoint& c) { return c.step ? json(*c.step) : json(nullptr); }

std::string percentText(double cv)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %%", 100.0 * cv);
    return buf;
}

} // namespace

struct TrajectoryWriter::Impl {
    StagedFile gamma, table, meta;
    std::vector<std::string> notes, flags;
    std::size_t images = 0;
    json checkpoints = json::array(), failed = json::array();
    std::string reference;
    std::size_t added = 0;
    bool finished = false;

    Impl(const std::string& dir, std::vector<std::string> n, std::size_t i)
        : gamma((std::filesystem::path(dir) / "gamma.csv").string()),
          table((std::filesystem::path(dir) / "trajectory.csv").string()),
          meta((std::filesystem::path(dir) / "trajectory.json").string()), notes(std::move(n)), images(i)
    { }
};

TrajectoryWriter::TrajectoryWriter(const std::string& dir, std::vector<std::string> notes, std::size_t images)
    : m((ensureDirectory(dir), std::make_unique<Impl>(dir, std::move(notes), images)))
{
    m->gamma.append(std::string(kGammaCsvHeader) + "\n");
    m->table.append(std::string(kTrajectoryCsvHeader) + "\n");
}

TrajectoryWriter::~TrajectoryWriter() = default;

void TrajectoryWriter::add(const TrajectoryCheckpoint& c, const CheckpointScales* scales)
{
    if (m->finished)
        throw Error(m->table.path() + ": internal error, checkpoint added after the trajectory was written");
    const std::string name = csvText(escapeFileName(c.path)), step = stepText(c);
    const std::string head = name + "," + step + "," + csvText(c.stepSource) + ",";
    std::string gammaRows, rows;
    char value[32];
    json layers = json::object();
    for (const auto& [layer, g] : c.gammas) {
        const std::string prefix = name + "," + step + "," + csvText(layer) + ",";
        for (std::size_t k = 0; k < g.size(); ++k) {
            // 9 significant digits: a float read back is the float written
            std::snprintf(value, sizeof value, "%.9g", static_cast<double>(g[k]));
            gammaRows += prefix + std::to_string(k) + "," + value + "\n";
        }
        const GammaSummary s = summarizeGamma(g);
        rows += head + csvText(layer) + ",gamma," + std::to_string(s.channels) + "," + num(s.mean) + "," + num(s.std) +
                "," + num(s.min) + "," + num(s.max) + "," + num(s.cv) + "," + (s.nearUniform ? "true" : "false") +
                ",,,,,,,,\n";
        layers[layer] = {{"channels", s.channels},
                         {"mean", s.mean},
                         {"std", s.std},
                         {"min", s.min},
                         {"max", s.max},
                         {"cv", jnum(s.cv)},
                         {"near_uniform", s.nearUniform}};
        if (s.nearUniform)
            m->flags.push_back(layer + " at " + (c.step ? "step " + step : std::string("an unnumbered checkpoint")) +
                               " (" + escapeFileName(c.path) + "): γ is near-uniform (coefficient of variation " +
                               percentText(s.cv) + ", below 1 %): " + kNearUniformNote);
    }
    json entry = {{"checkpoint", escapeFileName(c.path)},
                  {"given", c.given},
                  {"step", stepJson(c)},
                  {"step_source", c.stepSource},
                  {"read", c.readMode},
                  {"bytes_read", c.bytesRead},
                  {"file_bytes", c.fileBytes},
                  {"gamma", layers}};
    if (scales) {
        m->reference = scales->reference;
        for (const StageScale& s : scales->stages)
            rows += head + csvText(s.layer) + "," + toString(s.stage) + ",,,,,,,," + std::to_string(scales->images) +
                    "," + num(s.median) + "," + num(s.p5) + "," + num(s.p95) + "," + num(s.meanAbs) + "," +
                    csvText(scales->reference) + "," + num(s.ratio) + "," + (s.fromHistogram ? "histogram" : "exact") +
                    "\n";
        json failures = json::array();
        for (const auto& f : scales->failures)
            failures.push_back({{"image", escapeFileName(f.image)}, {"error", escapeFileName(f.error)}});
        entry["images"] = scales->images;
        entry["image_failures"] = failures;
    }
    m->gamma.append(gammaRows);
    m->table.append(rows);
    m->checkpoints.push_back(std::move(entry));
    ++m->added;
}

void TrajectoryWriter::addFailure(const TrajectoryCheckpoint& c, const std::string& error)
{
    m->failed.push_back({{"checkpoint", escapeFileName(c.path)},
                         {"given", c.given},
                         {"step", stepJson(c)},
                         {"step_source", c.stepSource},
                         {"error", escapeFileName(error)}});
}

const std::vector<std::string>& TrajectoryWriter::flags() const { return m->flags; }
std::size_t TrajectoryWriter::added() const { return m->added; }

void TrajectoryWriter::finish(bool interrupted)
{
    if (m->finished)
        throw Error(m->table.path() + ": internal error, the trajectory was already written");
    std::vector<std::string> notes, flags;
    for (const auto& n : m->notes)
        notes.push_back(escapeFileName(n));
    for (const auto& f : m->flags)
        flags.push_back(escapeFileName(f));
    const json doc = {{"format", "featscale-trajectory"},
                      {"format_version", 1},
                      {"images", m->images},
                      {"reference", m->reference},
                      {"near_uniform_cv", kNearUniformCv},
                      {"interrupted", interrupted},
                      {"notes", notes},
                      {"flags", flags},
                      {"checkpoints", m->checkpoints},
                      {"failed", m->failed}};
    m->meta.append(doc.dump(1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace) + "\n");
    publishAll({&m->gamma, &m->table, &m->meta});
    m->finished = true;
}

} // namespace featscale::analysis
