// SPDX-License-Identifier: GPL-3.0-or-later
// Pascal VOC annotation XML. Not a general XML parser: one linear scan over tags and text that
// keeps only what VOC's devkit writes (<size>, <object><name>, <object><bndbox>), with nesting
// bounded by Annotations::kMaxDepth. Attributes, comments, processing instructions and DOCTYPE are
// skipped; entities are never expanded, so no input costs more than its length.
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"
#include "analysis/regions/internal/annotation_parsers.h"

#include <array>
#include <optional>

namespace featscale::analysis::annotations {
namespace {

struct VocObject {
    std::string name;
    std::array<std::optional<double>, 4> box; ///< xmin, ymin, xmax, ymax as written
    std::string bad;                          ///< the first field that is not a number
};

constexpr const char* kBoxFields[4] = {"xmin", "ymin", "xmax", "ymax"};
// No VOC element's text is longer; a longer one is kept truncated and fails as a number.
constexpr std::size_t kMaxText = 256;

class VocScanner {
public:
    VocScanner(const std::string& text, const std::string& file) : m_text(text), m_file(file) { }

    void run(ImageAnnotation& image, std::vector<std::string>& problems)
    {
        std::size_t i = 0;
        const std::size_t n = m_text.size();
        std::size_t objects = 0;
        while (i < n) {
            if (m_text[i] != '<') {
                const std::size_t next = m_text.find('<', i);
                const std::size_t end = next == std::string::npos ? n : next;
                if (m_current.size() < kMaxText)
                    m_current.append(m_text, i, std::min(end - i, kMaxText - m_current.size()));
                i = end;
                continue;
            }
            if (m_text.compare(i, 4, "<!--") == 0) {
                i = skipPast(i + 4, "-->");
            } else if (m_text.compare(i, 9, "<![CDATA[") == 0) {
                const std::size_t end = m_text.find("]]>", i + 9);
                const std::size_t stop = end == std::string::npos ? n : end;
                if (m_current.size() < kMaxText)
                    m_current.append(m_text, i + 9, std::min(stop - i - 9, kMaxText - m_current.size()));
                i = end == std::string::npos ? n : end + 3;
            } else if (m_text.compare(i, 2, "<?") == 0 || m_text.compare(i, 2, "<!") == 0) {
                i = skipPast(i + 2, ">");
            } else {
                const std::size_t close = m_text.find('>', i);
                if (close == std::string::npos)
                    fail("a tag opened at byte " + std::to_string(i) + " is never closed");
                const bool end = m_text[i + 1] == '/';
                const bool empty = m_text[close - 1] == '/';
                std::size_t a = i + (end ? 2 : 1);
                std::size_t b = a;
                while (b < close && m_text[b] != ' ' && m_text[b] != '\t' && m_text[b] != '\n' && m_text[b] != '\r' &&
                       m_text[b] != '/')
                    ++b;
                const std::string name = m_text.substr(a, b - a);
                if (name.empty())
                    fail("a tag without a name at byte " + std::to_string(i));
                if (end) {
                    if (m_stack.empty() || m_stack.back() != name)
                        fail("</" + printable(name) + "> at byte " + std::to_string(i) + " closes " +
                             (m_stack.empty() ? std::string("nothing") : "<" + printable(m_stack.back()) + ">"));
                    endElement(image, problems, objects);
                    m_stack.pop_back();
                } else {
                    if (m_stack.size() >= static_cast<std::size_t>(Annotations::kMaxDepth))
                        fail("nested deeper than " + std::to_string(Annotations::kMaxDepth) + " elements");
                    m_stack.push_back(name);
                    m_current.clear();
                    if (m_stack.size() == 2 && name == "object")
                        m_object = VocObject{};
                    if (empty) {
                        endElement(image, problems, objects);
                        m_stack.pop_back();
                    }
                }
                i = close + 1;
            }
        }
        if (!m_stack.empty())
            fail("ends inside <" + printable(m_stack.back()) + ">");
        if (!m_sawRoot)
            fail("no <annotation> element");
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(printable(m_file) + ": not a Pascal VOC annotation: " + what);
    }

    std::size_t skipPast(std::size_t from, const char* marker) const
    {
        const std::size_t end = m_text.find(marker, from);
        if (end == std::string::npos)
            fail("a comment or declaration is never closed");
        return end + std::char_traits<char>::length(marker);
    }

    void endElement(ImageAnnotation& image, std::vector<std::string>& problems, std::size_t& objects)
    {
        const std::size_t depth = m_stack.size();
        const std::string& name = m_stack.back();
        if (depth == 1) {
            if (name != "annotation")
                fail("the root element is <" + printable(name) + ">, not <annotation>");
            m_sawRoot = true;
            return;
        }
        if (m_stack[0] != "annotation")
            return;
        double v = 0;
        if (depth == 3 && m_stack[1] == "size" && (name == "width" || name == "height")) {
            if (parseNumber(m_current, v) && v >= 1 && v <= 1e9 && v == static_cast<int>(v))
                (name == "width" ? image.width : image.height) = static_cast<int>(v);
            else
                problems.push_back(printable(m_file) + ": <size><" + name + "> '" + printable(m_current) +
                                   "' is not a size in pixels; the stated size is ignored");
        } else if (depth == 3 && m_stack[1] == "object" && name == "name") {
            m_object.name = m_current;
        } else if (depth == 4 && m_stack[1] == "object" && m_stack[2] == "bndbox") {
            for (int k = 0; k < 4; ++k)
                if (name == kBoxFields[k]) {
                    if (parseNumber(m_current, v))
                        m_object.box[static_cast<std::size_t>(k)] = v;
                    else if (m_object.bad.empty())
                        m_object.bad = name + " '" + printable(m_current) + "'";
                }
        } else if (depth == 2 && name == "object") {
            ++objects;
            const std::string where = printable(m_file) + ": object " + std::to_string(objects) + " (" +
                                      printable(m_object.name) + ")";
            if (!m_object.bad.empty()) {
                problems.push_back(where + ": " + m_object.bad + " is not a number; the object is left out");
                return;
            }
            for (int k = 0; k < 4; ++k)
                if (!m_object.box[static_cast<std::size_t>(k)]) {
                    problems.push_back(where + ": no <bndbox><" + kBoxFields[k] + ">; the object is left out");
                    return;
                }
            const double xmin = *m_object.box[0], ymin = *m_object.box[1], xmax = *m_object.box[2],
                         ymax = *m_object.box[3];
            if (xmax < xmin || ymax < ymin) {
                problems.push_back(where + ": xmax < xmin or ymax < ymin (a negative size); the object is left out");
                return;
            }
            // Still counted past the cap, so that Annotations::add can name the image and the count,
            // but without keeping what would cost memory.
            Box box{xmin - 1, ymin - 1, xmax, ymax, m_object.name};
            if (image.boxes.size() <= Annotations::kMaxBoxesPerImage)
                image.boxes.push_back(std::move(box));
        }
    }

    const std::string& m_text;
    const std::string& m_file;
    std::vector<std::string> m_stack;
    std::string m_current;
    VocObject m_object;
    bool m_sawRoot = false;
};

} // namespace

void parseVoc(Annotations& out, const std::string& text, const std::string& file, const std::string& stem)
{
    ImageAnnotation image;
    image.name = stem;
    image.source = file;
    std::vector<std::string> problems;
    VocScanner(text, file).run(image, problems);
    for (auto& p : problems)
        out.problem(std::move(p));
    out.add(std::move(image));
}

} // namespace featscale::analysis::annotations
