// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/data_dir.h"

#include <filesystem>
#include <system_error>

namespace featscale::analysis {

namespace fs = std::filesystem;

std::string executablePath()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.string();
}

std::string dataDir()
{
    const std::string exe = executablePath();
    if (exe.empty())
        return {};
    std::error_code ec;
    // Canonical, so a symlinked build-tree folder and a moved install tree both give real paths.
    const fs::path dir = fs::weakly_canonical(fs::path(exe).parent_path() / ".." / "share" / "featscale", ec);
    if (ec || !fs::is_directory(dir, ec))
        return {};
    return dir.string();
}

} // namespace featscale::analysis
