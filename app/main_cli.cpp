// SPDX-License-Identifier: GPL-3.0-or-later
// featscale-cli: headless feature-scale analysis. All logic lives in app/cli/.
#include "app/cli/commands.h"

int main(int argc, char** argv) { return featscale::cli::runCli(argc, argv); }
