// SPDX-License-Identifier: GPL-3.0-or-later
// Included first by every header in an internal/ folder of analysis/. Those headers are the
// engine's own: LibTorch types, parser and kernel internals. The engine, its tests and its fuzz
// targets compile with FEATSCALE_ANALYSIS_INTERNAL (target featscale::analysis_internal); ui/, app/
// and bench/ do not, so including one of them there fails the build instead of compiling quietly.
#pragma once

#ifndef FEATSCALE_ANALYSIS_INTERNAL
#error "internal header of analysis/: outside the engine use its public headers (plain C++ types)"
#endif
