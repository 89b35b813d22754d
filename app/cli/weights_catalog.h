// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/download/catalog.h"

#include <set>
#include <string>

namespace featscale::cli {

class ArgParser;

/// --catalog FILE and --mirror URL, accepted by every command that takes weights.
std::set<std::string> catalogValueOptions();
/// FEATSCALE_CATALOG / FEATSCALE_WEIGHTS_MIRROR, overridden by --catalog / --mirror (and --to
/// when the command has it).
analysis::weights::CatalogSettings catalogSettings(const ArgParser& args);

/// `featscale-cli weights --available`: built-in and lab entries with size, destination and
/// whether each is there and verified.
int weightsAvailable(const ArgParser& args, bool json);
/// `featscale-cli weights --download NAME...`: progress on stderr when it is a terminal (not with
/// --quiet); Ctrl-C stops and keeps FILE.part (exit 130).
int weightsDownload(const ArgParser& args);

} // namespace featscale::cli
