// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"

#include <iostream>
#include <new>
#include <string>

#ifndef FEATSCALE_VERSION
#define FEATSCALE_VERSION "dev"
#endif

namespace featscale::cli {
namespace {

const char* kUsage =
    "featscale-cli " FEATSCALE_VERSION " — feature scale of VGG16 layers (channel L2 norms), before and after L2Norm\n"
    "\n"
    "Usage: featscale-cli COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  analyze     run VGG16 on images and write per-layer norm statistics and histograms\n"
    "  merge       merge run directories (e.g. shards of one dataset) into one\n"
    "  compare     compare runs' per-layer medians, p5 and p95 (e.g. two sets of weights)\n"
    "  weights     inspect a weight file, or list weight files found in the usual caches\n"
    "  fit-gamma   fit L2Norm's per-channel gamma so a layer's median norm matches another's\n"
    "  probe       the concatenated feature vector at one location, before and after L2Norm\n"
    "  trajectory  gamma and feature scale across a training run's checkpoints\n"
    "  plot        figures comparing runs (layer scales, histograms) as SVG, PDF or PNG\n"
    "\n"
    "Run 'featscale-cli COMMAND --help' for a command's options.\n"
    "Exit codes: 0 success, 1 some inputs failed, 2 usage error, 3 fatal error, 128+signal stopped by\n"
    "Ctrl-C (130), SIGHUP (129) or SIGTERM (143) with the images done so far written.\n";

/// Error texts quote names from files and from the command line, each escaped with printable()
/// where it is quoted; this guards the terminal against any text that was not: control bytes
/// other than the line break between the lines of a message become \xNN.
std::string terminalSafe(const char* text)
{
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (const char* p = text; *p; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if ((c < 0x20 && c != '\n') || c == 0x7f) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

} // namespace

int runCli(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
        std::cout << "featscale-cli " FEATSCALE_VERSION "\n";
        return kExitOk;
    }
    const std::string command = args[0];
    const std::string shown = terminalSafe(command.c_str());
    args.erase(args.begin());
    try {
        if (command == "analyze")
            return cmdAnalyze(args);
        if (command == "merge")
            return cmdMerge(args);
        if (command == "compare")
            return cmdCompare(args);
        if (command == "weights")
            return cmdWeights(args);
        if (command == "fit-gamma")
            return cmdFitGamma(args);
        if (command == "probe")
            return cmdProbe(args);
        if (command == "trajectory")
            return cmdTrajectory(args);
        if (command == "plot") {
#ifdef FEATSCALE_HAVE_PLOT
            return cmdPlot(args);
#else
            std::cerr << "featscale-cli plot: this featscale-cli was built without the Qt GUI library "
                         "(FEATSCALE_BUILD_GUI=OFF), which draws the figures\n";
            return kExitFatal;
#endif
        }
    } catch (const UsageError& e) {
        std::cerr << "featscale-cli " << shown << ": " << terminalSafe(e.what()) << "\n(see 'featscale-cli " << shown
                  << " --help')\n";
        return kExitUsage;
    } catch (const analysis::Error& e) {
        std::cerr << "featscale-cli " << shown << ": error: " << terminalSafe(e.what()) << "\n";
        return kExitFatal;
    } catch (const std::bad_alloc&) {
        std::cerr << "featscale-cli " << shown
                  << ": error: out of memory (the inputs need more than this process may "
                     "allocate)\n";
        return kExitFatal;
    } catch (const std::exception& e) {
        std::cerr << "featscale-cli " << shown << ": unexpected error: " << terminalSafe(e.what()) << "\n";
        return kExitFatal;
    }
    std::cerr << "featscale-cli: unknown command '" << shown << "'\n\n" << kUsage;
    return kExitUsage;
}

} // namespace featscale::cli
