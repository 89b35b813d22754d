// SPDX-License-Identifier: GPL-3.0-or-later
// The three annotation formats' parsers, on text already in memory: what Annotations::read runs
// per file and the annotations fuzz target feeds. Each is one linear pass with a nesting cap.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/regions/annotations.h"

#include <string>

namespace featscale::analysis::annotations {

/// One Pascal VOC XML file (`stem` is the image it annotates): its <size> and every <object>'s
/// <name> and <bndbox>.
void parseVoc(Annotations& out, const std::string& text, const std::string& file, const std::string& stem);
/// A COCO instances file: "images" (id, file_name, width, height) and "annotations" (image_id,
/// bbox, category_id); everything else (segmentations, categories, info) is skipped unread.
void parseCoco(Annotations& out, const std::string& text, const std::string& file);
/// WIDER FACE ground truth (wider_face_train_bbx_gt.txt): per image its path, the number of
/// faces, then one "x y w h blur expression illumination invalid occlusion pose" line per face
/// (one all-zero line when there are none).
void parseWider(Annotations& out, const std::string& text, const std::string& file);

/// A number that is the whole of text (spaces around allowed) and finite; false otherwise.
bool parseNumber(const std::string& text, double& value);
/// The file name without folders: "a/b/c.jpg" -> "c.jpg".
std::string baseName(const std::string& path);
/// baseName without its last extension: "a/b/c.jpg" -> "c".
std::string stemOf(const std::string& path);

} // namespace featscale::analysis::annotations
