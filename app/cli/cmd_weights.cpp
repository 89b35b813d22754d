// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder: this subcommand lands with its issue.
#include "app/cli/commands.h"

#include <iostream>

namespace featscale::cli {

int cmdWeights(const std::vector<std::string>&)
{
    std::cerr << "featscale-cli: this subcommand is not available yet\n";
    return kExitUsage;
}

} // namespace featscale::cli
