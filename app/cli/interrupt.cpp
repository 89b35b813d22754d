// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/interrupt.h"

#include <atomic>
#include <csignal>

namespace featscale::cli {
namespace {

std::atomic<bool> gRequested{false};
void (*gPrevious)(int) = SIG_DFL;

void onSigint(int) { gRequested = true; }

} // namespace

InterruptScope::InterruptScope()
{
    gRequested = false;
    gPrevious = std::signal(SIGINT, onSigint);
}

InterruptScope::~InterruptScope()
{
    std::signal(SIGINT, gPrevious);
}

bool InterruptScope::requested() { return gRequested.load(); }

} // namespace featscale::cli
