// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/images/image_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace featscale::analysis {

const std::vector<std::string>& imageExtensions()
{
    static const std::vector<std::string> kExtensions = {"jpg",  "jpeg", "jpe", "png", "bmp", "tif", "tiff",
                                                         "webp", "pbm",  "pgm", "ppm", "pnm", "pam"};
    return kExtensions;
}

const std::vector<std::string>& decodableFormats()
{
    // GIF is recognised (to refuse it by name) but not decodable with OpenCV 4.6: not listed.
    static const std::vector<std::string> kFormats = {"JPEG", "PNG", "BMP", "TIFF", "WebP", "PNM", "PAM"};
    return kFormats;
}

std::string decodableFormatsText()
{
    const auto& all = decodableFormats();
    std::string out;
    for (std::size_t i = 0; i < all.size(); ++i)
        out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i];
    return out;
}

bool hasImageExtension(const std::string& path)
{
    const auto dot = path.find_last_of("./");
    if (dot == std::string::npos || path[dot] != '.')
        return false;
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto& all = imageExtensions();
    return std::find(all.begin(), all.end(), ext) != all.end();
}

std::vector<std::string> listImageFiles(const std::string& folder, std::vector<std::string>& problems)
{
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    // Depth-first over real directories only.
    std::vector<fs::path> pending{fs::path(folder)};
    while (!pending.empty()) {
        const fs::path dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec), end;
        if (ec) {
            problems.push_back(dir.string() + ": cannot read directory (" + ec.message() + "); skipped");
            continue;
        }
        for (; it != end; it.increment(ec)) {
            if (ec) {
                problems.push_back(dir.string() + ": error while listing (" + ec.message() + ")");
                break;
            }
            std::error_code e2;
            const auto status = it->symlink_status(e2);
            if (fs::is_directory(status))
                pending.push_back(it->path());
            else if (!fs::is_symlink(status) || !fs::is_directory(it->path(), e2)) {
                if (hasImageExtension(it->path().filename().string()))
                    out.push_back(it->path().string());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace featscale::analysis
