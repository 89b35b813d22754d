// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/regions/annotations.h"

#include "analysis/core/file_names.h"
#include "analysis/core/regular_file.h"
#include "analysis/core/types.h"
#include "analysis/regions/internal/annotation_parsers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace featscale::analysis {
namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

std::string coord(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// A VOC folder holds one small file per image (VOC2012: 17 125, each under 3 kB); a single file
// beyond 16 MiB is no annotation.
constexpr std::uint64_t kMaxVocFileBytes = std::uint64_t{16} << 20;

} // namespace

std::string toString(Annotations::Format format)
{
    switch (format) {
    case Annotations::Format::Voc:
        return "voc";
    case Annotations::Format::Coco:
        return "coco";
    case Annotations::Format::WiderFace:
        return "wider-face";
    }
    return "?";
}

Annotations Annotations::read(const std::string& path)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
        throw Error(printable(path) + ": annotations not found" + (ec ? " (" + ec.message() + ")" : std::string()));
    Annotations out;
    out.m_path = path;
    if (fs::is_directory(st)) {
        out.m_format = Format::Voc;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            if (endsWith(it->path().filename().string(), ".xml"))
                files.push_back(it->path());
        if (ec)
            throw Error(printable(path) + ": cannot list the annotation folder (" + ec.message() + ")");
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            const std::string name = f.string();
            try {
                const std::string text = readRegularFile(name, kMaxVocFileBytes, printable(name));
                annotations::parseVoc(out, text, name, f.stem().string());
            } catch (const Error& e) {
                out.problem(e.what());
            }
        }
        if (files.empty())
            throw Error(printable(path) + ": a folder of annotations, but it holds no NAME.xml (Pascal VOC) file");
        return out;
    }
    if (endsWith(path, ".json"))
        out.m_format = Format::Coco;
    else if (endsWith(path, ".txt"))
        out.m_format = Format::WiderFace;
    else
        throw Error(printable(path) +
                    ": not an annotation file featscale reads (a folder of Pascal VOC NAME.xml, a COCO "
                    "instances .json or a WIDER FACE ground-truth .txt)");
    const std::string text = readRegularFile(path, kMaxFileBytes, printable(path));
    Annotations parsed = parse(out.m_format, text, path);
    parsed.m_path = path;
    return parsed;
}

Annotations Annotations::parse(Format format, const std::string& text, const std::string& name)
{
    Annotations out;
    out.m_format = format;
    out.m_path = name;
    switch (format) {
    case Format::Voc:
        annotations::parseVoc(out, text, name, annotations::stemOf(name));
        break;
    case Format::Coco:
        annotations::parseCoco(out, text, name);
        break;
    case Format::WiderFace:
        annotations::parseWider(out, text, name);
        break;
    }
    return out;
}

void Annotations::add(ImageAnnotation annotation)
{
    const std::string key = annotation.name;
    if (annotation.boxes.size() > kMaxBoxesPerImage) {
        problem(printable(annotation.source) + ": " + printable(key) + ": more than the " +
                std::to_string(kMaxBoxesPerImage) + " boxes one image may have; its annotation is left out");
        return;
    }
    if (m_images.count(key)) {
        problem(printable(annotation.source) + ": " + printable(key) +
                " is annotated more than once; the first annotation is used");
        return;
    }
    m_images.emplace(key, std::move(annotation));
}

std::string Annotations::keyOf(const std::string& imagePath) const
{
    return m_format == Format::Voc ? annotations::stemOf(imagePath) : annotations::baseName(imagePath);
}

const ImageAnnotation* Annotations::find(const std::string& imagePath) const
{
    const auto it = m_images.find(keyOf(imagePath));
    return it == m_images.end() ? nullptr : &it->second;
}

std::vector<std::string> Annotations::names() const
{
    std::vector<std::string> out;
    for (const auto& [name, a] : m_images)
        out.push_back(name);
    return out;
}

std::vector<std::string> Annotations::check(const ImageAnnotation& a, int width, int height)
{
    std::vector<std::string> out;
    const std::string where = printable(a.source) + ": " + printable(a.name);
    if (a.width > 0 && a.height > 0 && (a.width != width || a.height != height))
        out.push_back(where + ": the annotation states " + std::to_string(a.width) + " x " + std::to_string(a.height) +
                      " pixels, the image reads as " + std::to_string(width) + " x " + std::to_string(height));
    for (std::size_t k = 0; k < a.boxes.size(); ++k) {
        const Box& b = a.boxes[k];
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height)
            out.push_back(where + ": box " + std::to_string(k + 1) + " (" + printable(b.label) + ") [" + coord(b.x0) +
                          ", " + coord(b.x1) + ") x [" + coord(b.y0) + ", " + coord(b.y1) + ") reaches outside the " +
                          std::to_string(width) + " x " + std::to_string(height) +
                          " image; only its part inside counts");
    }
    return out;
}

namespace annotations {

bool parseNumber(const std::string& text, double& value)
{
    std::size_t a = text.find_first_not_of(" \t\r\n");
    std::size_t b = text.find_last_not_of(" \t\r\n");
    if (a == std::string::npos || b - a > 64)
        return false;
    const std::string s = text.substr(a, b - a + 1);
    char* end = nullptr;
    errno = 0;
    value = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(value) && errno != ERANGE;
}

std::string baseName(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string stemOf(const std::string& path)
{
    const std::string base = baseName(path);
    const auto dot = base.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

} // namespace annotations
} // namespace featscale::analysis
