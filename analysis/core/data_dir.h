// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace featscale::analysis {

/// The folder of featscale's read-only data (sample photos, translations): `share/featscale`
/// beside the folder of the running executable, i.e. `<exe>/../share/featscale`. That one rule
/// holds for an installed tree (`/usr/bin/featscale` → `/usr/share/featscale`), for an installed
/// tree moved elsewhere, and for the build tree, which CMake lays out the same way
/// (`build/app/featscale` → `build/share/featscale`). No source or build path is compiled in.
/// The executable is read from /proc/self/exe, so the answer does not depend on argv[0] or the
/// working directory. Returns an empty string when that folder does not exist. Any thread.
std::string dataDir();

/// The absolute path of the running executable (/proc/self/exe), or empty if unavailable.
std::string executablePath();

} // namespace featscale::analysis
