// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace featscale::analysis {

/// An object box in 0-based pixel coordinates of the original image, half-open: it holds the
/// points (x, y) with x0 <= x < x1 and y0 <= y < y1. VOC's 1-based inclusive boxes become
/// [xmin - 1, xmax) x [ymin - 1, ymax); COCO's and WIDER FACE's [x, y, w, h] become [x, x + w) x [y, y + h).
struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::string label; ///< class name (VOC), category id (COCO), "face" (WIDER FACE)
    double area() const { return (x1 - x0) * (y1 - y0); }
    bool contains(double x, double y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};

/// The boxes of one image, as its annotation file gives them.
struct ImageAnnotation {
    std::string name;          ///< the key it is matched by: the stem (VOC) or file name (COCO, WIDER FACE)
    std::string source;        ///< the file it was read from, for messages
    int width = 0, height = 0; ///< the size the annotation states (0: not stated)
    std::vector<Box> boxes;
};

/// Annotations read from `--annotations PATH`, matched to images by name. Plain data; any thread.
///
/// Every reader is bounded: a file is read only when it is a regular file within kMaxFileBytes,
/// parsing is linear with a nesting cap, and no image keeps more than kMaxBoxesPerImage boxes.
/// Malformed entries never fail the whole set: each is listed in problems() by file and entry,
/// and left out.
class Annotations {
public:
    enum class Format { Voc, Coco, WiderFace };
    static constexpr std::uint64_t kMaxFileBytes = std::uint64_t{2} << 30; ///< 2 GiB (COCO train2017: 448 MB)
    static constexpr std::size_t kMaxBoxesPerImage = 10000;                ///< WIDER FACE's most: 1968
    static constexpr int kMaxDepth = 64;                                   ///< JSON and XML nesting

    /// A folder of NAME.xml (VOC), a .json file (COCO instances) or a .txt file (WIDER FACE ground
    /// truth). Throws Error naming the path when it is none of these or cannot be read at all.
    static Annotations read(const std::string& path);
    /// From a file's contents already in memory (what the fuzz target feeds); `name` is used in messages.
    static Annotations parse(Format format, const std::string& text, const std::string& name);

    Format format() const { return m_format; }
    const std::string& path() const { return m_path; }
    /// The annotation of an image file, matched by stem (VOC) or file name (COCO, WIDER FACE); nullptr when none.
    const ImageAnnotation* find(const std::string& imagePath) const;
    /// The name an image file is matched by: its stem (VOC) or file name (COCO, WIDER FACE).
    std::string keyOf(const std::string& imagePath) const;
    /// Entries that were left out, each naming its file and what is wrong.
    const std::vector<std::string>& problems() const { return m_problems; }
    std::size_t size() const { return m_images.size(); }
    /// Every annotated name, sorted.
    std::vector<std::string> names() const;

    /// The problems of one image's boxes against the size it was read at: boxes reaching outside
    /// the width x height image, and a stated size that differs. Empty when all is well.
    static std::vector<std::string> check(const ImageAnnotation& annotation, int width, int height);

    // used by the readers
    void add(ImageAnnotation annotation);
    void problem(std::string text)
    {
        if (m_problems.size() < kMaxProblems)
            m_problems.push_back(std::move(text));
        else
            ++m_problemsLeftOut;
    }
    /// Problems beyond the first kMaxProblems are counted, not kept (a forged file may have millions).
    std::size_t problemsLeftOut() const { return m_problemsLeftOut; }
    static constexpr std::size_t kMaxProblems = 1000;

private:
    Format m_format = Format::Voc;
    std::string m_path;
    std::map<std::string, ImageAnnotation> m_images;
    std::vector<std::string> m_problems;
    std::size_t m_problemsLeftOut = 0;
};

std::string toString(Annotations::Format format);

} // namespace featscale::analysis
