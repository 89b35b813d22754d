// SPDX-License-Identifier: GPL-3.0-or-later
// WIDER FACE ground truth (wider_face_split/wider_face_{train,val}_bbx_gt.txt), line by line.
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"
#include "analysis/regions/internal/annotation_parsers.h"

#include <sstream>

namespace featscale::analysis::annotations {
namespace {

class Lines {
public:
    explicit Lines(const std::string& text) : m_text(text) { }
    bool next(std::string& line)
    {
        if (m_pos >= m_text.size())
            return false;
        const std::size_t end = m_text.find('\n', m_pos);
        const std::size_t stop = end == std::string::npos ? m_text.size() : end;
        line.assign(m_text, m_pos, stop - m_pos);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        m_pos = stop + 1;
        ++m_number;
        return true;
    }
    std::size_t number() const { return m_number; }

private:
    const std::string& m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
};

bool blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

// The first four fields of a face line: x y w h (the six attribute flags after them are not used).
bool faceBox(const std::string& line, double (&v)[4])
{
    std::size_t pos = 0;
    for (double& x : v) {
        const std::size_t a = line.find_first_not_of(" \t", pos);
        if (a == std::string::npos)
            return false;
        const std::size_t b = std::min(line.find_first_of(" \t", a), line.size());
        if (!parseNumber(line.substr(a, b - a), x))
            return false;
        pos = b;
    }
    return true;
}

} // namespace

void parseWider(Annotations& out, const std::string& text, const std::string& file)
{
    Lines lines(text);
    std::string line;
    const std::string where = printable(file);
    while (lines.next(line)) {
        if (blank(line))
            continue;
        ImageAnnotation image;
        image.name = baseName(line);
        image.source = file;
        const std::string named = where + ": line " + std::to_string(lines.number()) + " (" + printable(line) + ")";
        double count = 0;
        if (!lines.next(line) || !parseNumber(line, count) || count < 0 || count > 1e9 ||
            count != static_cast<double>(static_cast<std::size_t>(count))) {
            out.problem(named + ": not followed by a number of faces; the file is read up to here");
            return;
        }
        // One all-zero line stands for "no face".
        const std::size_t faces = static_cast<std::size_t>(count);
        const std::size_t rows = faces == 0 ? 1 : faces;
        bool complete = true;
        for (std::size_t k = 0; k < rows; ++k) {
            if (!lines.next(line)) {
                complete = false;
                break;
            }
            if (faces == 0)
                break;
            double v[4];
            if (!faceBox(line, v)) {
                out.problem(where + ": line " + std::to_string(lines.number()) + ": face " + std::to_string(k + 1) +
                            " of " + printable(image.name) + " is not \"x y w h ...\"; left out");
                continue;
            }
            if (v[2] < 0 || v[3] < 0) {
                out.problem(where + ": line " + std::to_string(lines.number()) + ": face " + std::to_string(k + 1) +
                            " of " + printable(image.name) + " has a negative width or height; left out");
                continue;
            }
            if (image.boxes.size() <= Annotations::kMaxBoxesPerImage)
                image.boxes.push_back(Box{v[0], v[1], v[0] + v[2], v[1] + v[3], "face"});
        }
        if (!complete) {
            out.problem(named + ": the file ends before its " + std::to_string(faces) + " faces; left out");
            return;
        }
        out.add(std::move(image));
    }
}

} // namespace featscale::analysis::annotations
