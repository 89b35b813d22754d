// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace featscale::analysis {

/// File-name extensions (lower case, without the dot) that folder scans treat as images, in the
/// CLI and the GUI alike. A file named explicitly is tried whatever its name: content decides.
const std::vector<std::string>& imageExtensions();

/// The image formats the engine decodes, as people name them ("JPEG", "PNG", …), in the order
/// messages list them. The one list: error messages, the GUI's dialogs and the docs read it.
const std::vector<std::string>& decodableFormats();
/// decodableFormats() joined for a sentence: "JPEG, PNG, BMP, TIFF, WebP, PNM or PAM".
std::string decodableFormatsText();

/// True when `path` ends in one of imageExtensions(), in any letter case.
bool hasImageExtension(const std::string& path);

/// Image files (by extension) under `folder`, recursively, sorted. Symlinked folders are not
/// followed, so link loops cannot make the walk endless or list a file twice; symlinked files
/// are listed. Files are listed whether or not they can be read (reading them reports the
/// problem per image). A folder that cannot be listed is reported in `problems` ("DIR: cannot
/// read directory (Permission denied); skipped") and the walk goes on.
std::vector<std::string> listImageFiles(const std::string& folder, std::vector<std::string>& problems);

} // namespace featscale::analysis
