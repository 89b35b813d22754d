// SPDX-License-Identifier: GPL-3.0-or-later
// COCO instances JSON, read by a SAX pass: nothing but the fields used is kept (train2017's
// 448 MB of segmentation polygons are parsed and dropped), nesting is bounded, and each image's
// and annotation's fields are checked as its object closes.
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"
#include "analysis/regions/internal/annotation_parsers.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>

namespace featscale::analysis::annotations {
namespace {

using nlohmann::json;

struct CocoImage {
    std::optional<std::int64_t> id;
    std::optional<std::string> fileName;
    int width = 0, height = 0;
};

struct CocoBox {
    std::int64_t imageId = 0;
    Box box;
};

class CocoScanner : public nlohmann::json_sax<json> {
public:
    CocoScanner(Annotations& out, const std::string& file) : m_out(out), m_file(file) { }

    std::string error;
    std::map<std::int64_t, CocoImage> images;
    std::vector<CocoBox> boxes;

    bool null() override { return scalar(std::nullopt, nullptr); }
    bool boolean(bool) override { return scalar(std::nullopt, nullptr); }
    bool number_integer(number_integer_t v) override { return scalar(static_cast<double>(v), nullptr, v); }
    bool number_unsigned(number_unsigned_t v) override
    {
        return scalar(static_cast<double>(v), nullptr,
                      v <= static_cast<number_unsigned_t>(INT64_MAX) ? std::optional<std::int64_t>(v) : std::nullopt);
    }
    bool number_float(number_float_t v, const string_t&) override { return scalar(v, nullptr); }
    bool string(string_t& s) override { return scalar(std::nullopt, &s); }
    bool binary(binary_t&) override { return scalar(std::nullopt, nullptr); }

    bool start_object(std::size_t) override
    {
        if (!open())
            return false;
        if (m_depth == 3 && m_section == Section::Images)
            m_image = CocoImage{};
        if (m_depth == 3 && m_section == Section::Annotations) {
            m_ann = Ann{};
            ++m_annotations;
        }
        return true;
    }
    bool end_object() override
    {
        if (m_depth == 3 && m_section == Section::Images)
            endImage();
        if (m_depth == 3 && m_section == Section::Annotations)
            endAnnotation();
        return close();
    }
    bool start_array(std::size_t) override
    {
        if (m_depth == 0) {
            error = "the top level is an array, not an object (a COCO instances file is {\"images\": ..., "
                    "\"annotations\": ...})";
            return false;
        }
        if (!open())
            return false;
        if (m_depth == 4 && m_section == Section::Annotations && m_key == "bbox") {
            m_ann.bboxSeen = true;
            m_ann.bbox.clear();
        }
        return true;
    }
    bool end_array() override { return close(); }
    bool key(string_t& k) override
    {
        if (m_depth == 1)
            m_section = k == "images" ? Section::Images : k == "annotations" ? Section::Annotations : Section::Other;
        m_key = m_depth <= 3 ? k : m_key;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const json::exception& e) override
    {
        error = std::string(e.id == 406 ? "a number out of range (" : "not valid JSON (") +
                printable(std::string(e.what()).substr(0, 160)) + ") at byte " + std::to_string(position);
        return false;
    }

private:
    enum class Section { None, Images, Annotations, Other };
    struct Ann {
        std::optional<std::int64_t> imageId;
        bool bboxSeen = false;
        bool bboxBad = false;
        std::vector<double> bbox;
        std::string category;
    };

    bool open()
    {
        if (++m_depth > Annotations::kMaxDepth) {
            error = "nested deeper than " + std::to_string(Annotations::kMaxDepth) + " levels";
            return false;
        }
        return true;
    }
    bool close()
    {
        --m_depth;
        return true;
    }

    bool scalar(std::optional<double> number, const std::string* text, std::optional<std::int64_t> integer = {})
    {
        if (m_depth == 0) {
            error = "the top level is not an object (a COCO instances file is {\"images\": ..., \"annotations\": ...})";
            return false;
        }
        if (m_depth == 3 && m_section == Section::Images) {
            if (m_key == "id")
                m_image.id = integer;
            else if (m_key == "file_name" && text)
                m_image.fileName = *text;
            else if ((m_key == "width" || m_key == "height") && integer && *integer > 0 && *integer < (1 << 30))
                (m_key == "width" ? m_image.width : m_image.height) = static_cast<int>(*integer);
        } else if (m_depth == 3 && m_section == Section::Annotations) {
            if (m_key == "image_id")
                m_ann.imageId = integer;
            else if (m_key == "category_id" && integer)
                m_ann.category = std::to_string(*integer);
        } else if (m_depth == 4 && m_section == Section::Annotations && m_key == "bbox") {
            if (number && m_ann.bbox.size() < 4)
                m_ann.bbox.push_back(*number);
            else
                m_ann.bboxBad = true;
        }
        return true;
    }

    void endImage()
    {
        ++m_imageEntries;
        const std::string where = printable(m_file) + ": images entry " + std::to_string(m_imageEntries);
        if (!m_image.id || !m_image.fileName) {
            m_out.problem(where + ": no integer \"id\" or no \"file_name\"; left out");
            return;
        }
        if (!images.emplace(*m_image.id, m_image).second)
            m_out.problem(where + ": image id " + std::to_string(*m_image.id) + " is listed twice; the first is used");
    }

    void endAnnotation()
    {
        const std::string where = printable(m_file) + ": annotation " + std::to_string(m_annotations);
        if (!m_ann.imageId) {
            m_out.problem(where + ": no integer \"image_id\"; left out");
            return;
        }
        if (!m_ann.bboxSeen || m_ann.bboxBad || m_ann.bbox.size() != 4) {
            m_out.problem(where + ": \"bbox\" is not [x, y, width, height]; left out");
            return;
        }
        const double x = m_ann.bbox[0], y = m_ann.bbox[1], w = m_ann.bbox[2], h = m_ann.bbox[3];
        if (!(w >= 0 && h >= 0) || !std::isfinite(x + y + w + h)) {
            m_out.problem(where + ": \"bbox\" has a negative width or height; left out");
            return;
        }
        boxes.push_back({*m_ann.imageId, Box{x, y, x + w, y + h, m_ann.category}});
    }

    Annotations& m_out;
    const std::string& m_file;
    int m_depth = 0;
    Section m_section = Section::None;
    std::string m_key;
    CocoImage m_image;
    Ann m_ann;
    std::size_t m_imageEntries = 0, m_annotations = 0;
};

} // namespace

void parseCoco(Annotations& out, const std::string& text, const std::string& file)
{
    CocoScanner scanner(out, file);
    const bool ok = json::sax_parse(text, &scanner);
    if (!ok)
        throw Error(printable(file) + ": not a COCO instances file: " + scanner.error);
    // Every listed image is annotated, with no box at all when none names it: background throughout.
    std::map<std::int64_t, ImageAnnotation> byId;
    for (const auto& [id, img] : scanner.images) {
        ImageAnnotation a;
        a.name = baseName(*img.fileName);
        a.source = file;
        a.width = img.width;
        a.height = img.height;
        byId.emplace(id, std::move(a));
    }
    std::map<std::int64_t, std::size_t> unknown;
    for (CocoBox& b : scanner.boxes) {
        const auto it = byId.find(b.imageId);
        if (it == byId.end())
            ++unknown[b.imageId];
        else if (it->second.boxes.size() <= Annotations::kMaxBoxesPerImage)
            it->second.boxes.push_back(std::move(b.box));
    }
    for (const auto& [id, count] : unknown)
        out.problem(printable(file) + ": " + std::to_string(count) + " annotation(s) name image id " +
                    std::to_string(id) + ", which \"images\" does not list; left out");
    for (auto& [id, a] : byId)
        out.add(std::move(a));
}

} // namespace featscale::analysis::annotations
