// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Scratch files for tests: a per-process temporary folder, raw bytes written into it and read
// back, and the message an image decode fails with. Header-only; each test executable gets its
// own folder.
#include "analysis/images/preprocess.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace featscale::test {

/// `<tmp>/<prefix>_<pid>`, created on first use.
inline std::filesystem::path scratchDir(const std::string& prefix)
{
    static const std::filesystem::path dir = [&] {
        auto d = std::filesystem::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

/// Writes `bytes` to `dir/name` and returns the path.
inline std::string writeScratch(const std::filesystem::path& dir, const std::string& name, const std::string& bytes)
{
    const auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

/// The whole content of a file; "" when it cannot be read.
inline std::string readAll(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

/// The Error message decodeImage(path) throws, or "" when the file decodes.
inline std::string decodeError(const std::string& path)
{
    try {
        analysis::decodeImage(path);
    } catch (const analysis::Error& e) {
        return e.what();
    }
    return "";
}

} // namespace featscale::test
