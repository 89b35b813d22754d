// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/interrupt.h"

#include <atomic>
#include <csignal>

namespace featscale::cli {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
std::atomic<int> gSignal{0};
struct sigaction gPrevious[3];

extern "C" void onStopSignal(int sig)
{
    int none = 0;
    gSignal.compare_exchange_strong(none, sig); // the first signal decides the exit code
}

} // namespace

InterruptScope::InterruptScope()
{
    gSignal = 0;
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; // reads and writes carry on; the command polls requested()
    for (int i = 0; i < 3; ++i)
        sigaction(kSignals[i], &sa, &gPrevious[i]);
}

InterruptScope::~InterruptScope()
{
    for (int i = 0; i < 3; ++i)
        sigaction(kSignals[i], &gPrevious[i], nullptr);
}

bool InterruptScope::requested() { return gSignal.load() != 0; }
int InterruptScope::signal() { return gSignal.load(); }
int InterruptScope::exitCode() { return 128 + gSignal.load(); }

} // namespace featscale::cli
