// SPDX-License-Identifier: GPL-3.0-or-later
// `featscale-cli weights --available | --download NAME...` over analysis/weights/download/catalog.h and download.h.
#include "app/cli/weights_catalog.h"

#include "analysis/core/file_names.h"
#include "analysis/weights/download/download.h"
#include "analysis/weights/download/verified_files.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace featscale::cli {
namespace {

namespace wt = analysis::weights;
using Clock = std::chrono::steady_clock;

std::string duration(double seconds)
{
    if (seconds < 0)
        return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

std::uint64_t partBytes(const std::string& target)
{
    std::error_code ec;
    const auto n = std::filesystem::file_size(target + ".part", ec);
    return ec ? 0 : n;
}

/// "verified", "missing", "MISMATCH (sha256 ...)", "partial: 12.0 MB in FILE.part".
std::string stateText(const wt::CatalogEntry& e, const wt::FileCheck& c)
{
    if (c.state == wt::FileState::Missing) {
        const std::uint64_t part = partBytes(c.path);
        return part ? "partial: " + wt::formatBytes(part) + " in .part (--download resumes)" : "not downloaded";
    }
    if (c.state == wt::FileState::Mismatch)
        return "MISMATCH: " + wt::toString(e.hashKind) + " " + wt::digestOf(e.hashKind, c.digests).substr(0, 16) +
               "…, expected " + wt::describeCheck(e);
    return wt::toString(c.state);
}

/// A progress line redrawn in place on a terminal.
class ProgressLine {
public:
    explicit ProgressLine(std::string file) : m_file(std::move(file)) { }
    void draw(const wt::DownloadProgress& p)
    {
        const auto now = Clock::now();
        if (now - m_last < std::chrono::milliseconds(200))
            return;
        m_last = now;
        char pct[16] = "";
        if (p.total)
            std::snprintf(pct, sizeof pct, "%5.1f%%",
                          100.0 * static_cast<double>(p.bytes) / static_cast<double>(p.total));
        std::cerr << "\r\033[K" << m_file << "  " << wt::formatBytes(p.bytes)
                  << (p.total ? " / " + wt::formatBytes(p.total) + "  " + pct : std::string()) << "  "
                  << wt::formatBytes(static_cast<std::uint64_t>(p.bytesPerSecond)) << "/s  ETA "
                  << duration(p.etaSeconds) << std::flush;
        m_drawn = true;
    }
    void finish()
    {
        if (m_drawn)
            std::cerr << "\r\033[K" << std::flush;
        m_drawn = false;
    }

private:
    std::string m_file;
    Clock::time_point m_last{};
    bool m_drawn = false;
};

} // namespace

std::set<std::string> catalogValueOptions() { return {"catalog", "mirror"}; }

wt::CatalogSettings catalogSettings(const ArgParser& args)
{
    wt::CatalogSettings s = wt::CatalogSettings::fromEnvironment();
    if (auto v = args.value("catalog"))
        s.catalogFile = *v;
    if (auto v = args.value("mirror"))
        s.mirror = *v;
    if (auto v = args.value("to"))
        s.toDir = *v;
    return s;
}

int weightsAvailable(const ArgParser& args, bool json)
{
    const wt::CatalogSettings settings = catalogSettings(args);
    const std::vector<wt::CatalogEntry> catalog = wt::loadCatalog(settings);
    nlohmann::json j = nlohmann::json::array();
    if (!json)
        std::cout << "Trained weights featscale can download (featscale-cli weights --download NAME):\n";
    for (const wt::CatalogEntry& e : catalog) {
        const std::string path = wt::destinationPath(e, settings);
        const wt::FileCheck check = wt::checkEntryFile(e, path, /*hash=*/true);
        if (json) {
            nlohmann::json row{{"name", e.name},
                               {"file", e.file},
                               {"url", wt::downloadUrl(e, settings)},
                               {"size_bytes", e.sizeBytes ? nlohmann::json(e.sizeBytes) : nlohmann::json(nullptr)},
                               {"approx_bytes", e.sizeBytes ? e.sizeBytes : e.approxBytes},
                               {"check", e.verifiable() ? nlohmann::json{{wt::toString(e.hashKind), e.hash}}
                                                        : nlohmann::json(nullptr)},
                               {"verifiable", e.verifiable()},
                               {"family", e.family},
                               {"topology", e.topology},
                               {"description", e.description},
                               {"attribution", e.attribution},
                               {"lab", e.lab},
                               {"destination", path},
                               {"state", wt::toString(check.state)},
                               {"part_bytes", partBytes(path)}};
            if (!e.unsupported.empty())
                row["unsupported"] = e.unsupported;
            if (check.state == wt::FileState::Verified || check.state == wt::FileState::Mismatch)
                row["sha256"] = check.digests.sha256;
            j.push_back(row);
            continue;
        }
        // Lab entries come from a file: every text of theirs is escaped, so no control byte reaches the terminal.
        std::cout << "\n  " << analysis::printable(e.name) << (e.lab ? "  [lab]" : "") << "  —  "
                  << analysis::printable(e.file) << ", " << wt::describeSize(e) << "\n      "
                  << analysis::printable(e.description) << "\n      check: " << wt::describeCheck(e) << "\n      "
                  << stateText(e, check) << ": " << analysis::printable(path) << "\n";
        if (!e.unsupported.empty())
            std::cout << "      featscale cannot open it yet: it " << e.unsupported << "\n";
        std::cout << "      " << e.attribution << "\n";
    }
    if (json)
        std::cout << j.dump(2, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
}

int weightsDownload(const ArgParser& args)
{
    const wt::CatalogSettings settings = catalogSettings(args);
    const std::vector<wt::CatalogEntry> catalog = wt::loadCatalog(settings);
    if (args.positionals().empty())
        throw UsageError("--download needs at least one NAME (see 'featscale-cli weights --available')");
    std::vector<const wt::CatalogEntry*> entries;
    for (const std::string& name : args.positionals()) {
        const wt::CatalogEntry* e = wt::findEntry(catalog, name);
        if (!e) {
            std::string names;
            for (const auto& c : catalog)
                names += (names.empty() ? "" : ", ") + c.name;
            throw UsageError("no catalogue entry '" + name + "' (available: " + names + ")");
        }
        entries.push_back(e);
    }
    const wt::DownloadLimits limits = wt::DownloadLimits::fromEnvironment();
    const bool quiet = args.has("quiet");
    const bool showProgress = !quiet && ::isatty(STDERR_FILENO);
    int exitCode = kExitOk;
    InterruptScope interruptScope;
    for (const wt::CatalogEntry* e : entries) {
        const std::string url = wt::downloadUrl(*e, settings);
        if (!quiet)
            std::cerr << analysis::printable(e->name) << ": " << analysis::printable(url) << " -> "
                      << analysis::printable(wt::destinationPath(*e, settings)) << "\n";
        ProgressLine line(e->file);
        try {
            const wt::DownloadResult r = wt::downloadEntry(*e, settings, limits, [&](const wt::DownloadProgress& p) {
                if (showProgress)
                    line.draw(p);
                return !InterruptScope::requested();
            });
            line.finish();
            if (!quiet)
                for (const std::string& n : r.notes)
                    std::cerr << "  note: " << n << "\n";
            const char* verdict = r.verified ? (r.alreadyPresent ? "already there, verified: " : "verified: ")
                                             : (r.alreadyPresent ? "already there, not verifiable (no published full "
                                                                   "digest): "
                                                                 : "downloaded, not verifiable (no published full "
                                                                   "digest): ");
            std::cout << e->name << ": " << verdict << r.path << "\n  sha256 " << r.digests.sha256
                      << (e->hashKind == wt::HashKind::Md5 ? "\n  md5    " + r.digests.md5 : "") << "\n  " << r.bytes
                      << " bytes";
            if (!r.alreadyPresent && r.seconds > 0)
                std::cout << ", " << wt::formatBytes(r.transferred) << " received in " << r.seconds << " s ("
                          << wt::formatBytes(static_cast<std::uint64_t>(static_cast<double>(r.transferred) / r.seconds))
                          << "/s)";
            std::cout << "\n";
            if (!e->unsupported.empty())
                std::cerr << "note: featscale cannot open " << e->file << " yet: it " << e->unsupported << "\n";
        } catch (const analysis::Cancelled&) {
            line.finish();
            const std::string part = wt::destinationPath(*e, settings) + ".part";
            std::cerr << e->name << ": interrupted; " << partBytes(wt::destinationPath(*e, settings))
                      << " bytes kept in " << part << " (the same command resumes from there)\n";
            return InterruptScope::exitCode();
        } catch (const analysis::Error& err) {
            line.finish();
            std::cerr << "featscale-cli weights: error: " << err.what() << "\n";
            exitCode = kExitFatal;
        }
    }
    return exitCode;
}

} // namespace featscale::cli
