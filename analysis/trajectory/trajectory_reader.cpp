// SPDX-License-Identifier: GPL-3.0-or-later
// Reading trajectory directories (writing: trajectory_writer.cpp).
#include "analysis/core/csv.h"
#include "analysis/core/file_names.h"
#include "analysis/core/regular_file.h"
#include "analysis/trajectory/trajectory_files.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <limits>

namespace featscale::analysis {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxFileBytes = 256ull << 20;
const char* kHint = "a trajectory directory holds the files `featscale-cli trajectory` writes";

std::string readWhole(const std::string& path)
{
    const RegularFile f(path, kHint);
    if (f.size() > kMaxFileBytes)
        throw Error(path + ": " + std::to_string(f.size() >> 20) + " MiB is more than a trajectory file holds (limit " +
                    std::to_string(kMaxFileBytes >> 20) + " MiB)");
    return f.text();
}

double number(const std::string& s, const std::string& where, const char* column)
{
    if (s == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (s.empty() || used != s.size())
        throw Error(where + ": " + column + " '" + printable(s.substr(0, 40)) + "' is not a number");
    return v;
}

std::int64_t integer(const std::string& s, const std::string& where, const char* column, std::int64_t lo,
                     std::int64_t hi)
{
    const bool digits = !s.empty() && s.size() <= 19 &&
                        s.find_first_not_of("0123456789", s[0] == '-' ? 1 : 0) == std::string::npos && s != "-";
    std::int64_t v = 0;
    bool ok = digits;
    if (ok) {
        try {
            v = std::stoll(s);
        } catch (const std::exception&) {
            ok = false; // beyond int64
        }
    }
    if (!ok || v < lo || v > hi)
        throw Error(where + ": " + column + " '" + printable(s.substr(0, 40)) + "' is not an integer from " +
                    std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

/// Rows of a CSV file after its header, which must be `header`.
std::vector<std::vector<std::string>> rowsOf(const std::string& path, const std::string& header, std::size_t columns)
{
    auto rows = parseCsv(readWhole(path), path);
    if (rows.empty())
        throw Error(path + ": empty file; expected the header " + header);
    std::string got;
    for (const auto& f : rows[0])
        got += (got.empty() ? "" : ",") + f;
    if (got != header)
        throw Error(path + ": line 1: header '" + printable(got.substr(0, 200)) + "' is not " + header);
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i].size() != columns)
            throw Error(path + ": line " + std::to_string(i + 1) + ": " + std::to_string(rows[i].size()) +
                        " fields, expected " + std::to_string(columns));
    rows.erase(rows.begin());
    return rows;
}

} // namespace

TrajectoryData readTrajectory(const std::string& dir)
{
    namespace fs = std::filesystem;
    const std::string metaPath = (fs::path(dir) / "trajectory.json").string();
    const std::string gammaPath = (fs::path(dir) / "gamma.csv").string();
    const std::string tablePath = (fs::path(dir) / "trajectory.csv").string();
    TrajectoryData out;
    std::map<std::string, std::size_t> index; // escaped checkpoint name -> out.checkpoints
    try {
        const json doc = json::parse(readWhole(metaPath));
        if (doc.at("format").get<std::string>() != "featscale-trajectory")
            throw Error("not a featscale trajectory (format " + doc.at("format").dump() + ")");
        if (doc.at("format_version").get<int>() != 1)
            throw Error("format_version " + doc.at("format_version").dump() + " is not one this featscale reads (1)");
        out.reference = doc.at("reference").get<std::string>();
        out.interrupted = doc.at("interrupted").get<bool>();
        for (const auto& n : doc.at("notes"))
            out.notes.push_back(unescapeFileName(n.get<std::string>(), metaPath));
        for (const auto& f : doc.at("flags"))
            out.flags.push_back(unescapeFileName(f.get<std::string>(), metaPath));
        for (const auto& f : doc.at("failed"))
            out.failed.emplace_back(unescapeFileName(f.at("checkpoint").get<std::string>(), metaPath),
                                    unescapeFileName(f.at("error").get<std::string>(), metaPath));
        for (const auto& c : doc.at("checkpoints")) {
            TrajectoryData::Point p;
            const std::string name = c.at("checkpoint").get<std::string>();
            p.checkpoint = unescapeFileName(name, metaPath);
            if (!c.at("step").is_null())
                p.step = c.at("step").get<std::int64_t>();
            p.stepSource = c.at("step_source").get<std::string>();
            if (c.contains("images"))
                p.images = c.at("images").get<std::size_t>();
            if (!index.emplace(name, out.checkpoints.size()).second)
                throw Error("checkpoint " + printable(name) + " is listed twice");
            out.checkpoints.push_back(std::move(p));
        }
    } catch (const json::exception& e) {
        throw Error(metaPath + ": malformed (" + std::string(e.what()) + ")");
    } catch (const Error& e) {
        const std::string what = e.what();
        throw Error(what.rfind(metaPath, 0) == 0 ? what : metaPath + ": " + what);
    }

    auto pointOf = [&](const std::string& name, const std::string& where) -> TrajectoryData::Point& {
        const auto it = index.find(csvTextValue(name));
        if (it == index.end())
            throw Error(where + ": checkpoint '" + printable(name.substr(0, 200)) +
                        "' is not among trajectory.json's checkpoints");
        return out.checkpoints[it->second];
    };

    const auto gammaRows = rowsOf(gammaPath, kGammaCsvHeader, 5);
    // Channels come in order, 0 to n-1, as written: memory then grows with the rows read, never
    // with a channel number a row claims.
    for (std::size_t i = 0; i < gammaRows.size(); ++i) {
        const auto& r = gammaRows[i];
        const std::string where = gammaPath + ": line " + std::to_string(i + 2);
        TrajectoryData::Point& p = pointOf(r[0], where);
        const std::string layer = csvTextValue(r[2]);
        const auto channel = static_cast<std::size_t>(integer(r[3], where, "channel", 0, 1 << 20));
        const double g = number(r[4], where, "gamma");
        if (!std::isfinite(g) || std::abs(g) > std::numeric_limits<float>::max())
            throw Error(where + ": gamma " + printable(r[4].substr(0, 40)) + " is not a finite float");
        auto& values = p.gammas[layer];
        if (channel != values.size())
            throw Error(where + ": channel " + std::to_string(channel) + " of " + printable(layer) + " follows " +
                        (values.empty() ? std::string("no channel") : "channel " + std::to_string(values.size() - 1)) +
                        "; expected channel " + std::to_string(values.size()));
        values.push_back(static_cast<float>(g));
    }

    const auto tableRows = rowsOf(tablePath, kTrajectoryCsvHeader, 20);
    for (std::size_t i = 0; i < tableRows.size(); ++i) {
        const auto& r = tableRows[i];
        const std::string where = tablePath + ": line " + std::to_string(i + 2);
        TrajectoryData::Point& p = pointOf(r[0], where);
        if (r[4] == "gamma")
            continue; // γ itself is gamma.csv's; its summary is recomputed from it
        if (r[4] != "before" && r[4] != "after")
            throw Error(where + ": stage '" + printable(r[4].substr(0, 40)) + "' is not gamma, before or after");
        StageScale s;
        s.layer = csvTextValue(r[3]);
        s.stage = r[4] == "after" ? Stage::After : Stage::Before;
        s.median = number(r[13], where, "median");
        s.p5 = number(r[14], where, "p5");
        s.p95 = number(r[15], where, "p95");
        s.meanAbs = number(r[16], where, "mean_abs");
        s.ratio = number(r[18], where, "ratio");
        s.fromHistogram = r[19] == "histogram";
        p.scales.push_back(std::move(s));
    }
    return out;
}

} // namespace featscale::analysis
