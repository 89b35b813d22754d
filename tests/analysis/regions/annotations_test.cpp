// SPDX-License-Identifier: GPL-3.0-or-later
// Pascal VOC, COCO and WIDER FACE annotations written here, well formed and hostile, and the
// region mask of hand-counted cells.
#include "analysis/core/types.h"
#include "analysis/regions/annotations.h"
#include "analysis/regions/region_mask.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <string>

using namespace featscale::analysis;
namespace test = featscale::test;

namespace {

std::string vocObject(const std::string& name, const std::string& box)
{
    return "<object><name>" + name + "</name><difficult>0</difficult><bndbox>" + box + "</bndbox></object>";
}

std::string vocBox(int xmin, int ymin, int xmax, int ymax)
{
    return "<xmin>" + std::to_string(xmin) + "</xmin><ymin>" + std::to_string(ymin) + "</ymin><xmax>" +
           std::to_string(xmax) + "</xmax><ymax>" + std::to_string(ymax) + "</ymax>";
}

std::string vocFile(const std::string& objects)
{
    return "<?xml version=\"1.0\"?>\n<!-- written by the test -->\n<annotation><folder>VOC2007</folder>"
           "<filename>a.jpg</filename><size><width>96</width><height>96</height><depth>3</depth></size>" +
           objects + "</annotation>\n";
}

bool mentions(const std::vector<std::string>& problems, const std::string& a, const std::string& b)
{
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
        return p.find(a) != std::string::npos && p.find(b) != std::string::npos;
    });
}

std::string joined(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& s : v)
        out += s + "\n";
    return out;
}

} // namespace

TEST(Annotations, VocBoxesBecomeHalfOpenZeroBased)
{
    const auto dir = test::scratchDir("annotations") / "voc";
    std::filesystem::create_directories(dir);
    test::writeScratch(dir, "a.xml",
                       vocFile(vocObject("dog", vocBox(5, 5, 12, 20)) + vocObject("cat", vocBox(41, 41, 96, 96))));
    test::writeScratch(dir, "notes.txt", "not an annotation");
    const Annotations a = Annotations::read(dir.string());
    EXPECT_EQ(a.format(), Annotations::Format::Voc);
    ASSERT_EQ(a.size(), 1u) << joined(a.problems());
    const ImageAnnotation* img = a.find("/photos/a.png"); // matched by stem
    ASSERT_NE(img, nullptr);
    EXPECT_EQ(img->width, 96);
    EXPECT_EQ(img->height, 96);
    ASSERT_EQ(img->boxes.size(), 2u);
    // VOC's 1-based inclusive xmin..xmax covers the 0-based pixels xmin - 1 .. xmax - 1
    EXPECT_EQ(img->boxes[0].x0, 4);
    EXPECT_EQ(img->boxes[0].y0, 4);
    EXPECT_EQ(img->boxes[0].x1, 12);
    EXPECT_EQ(img->boxes[0].y1, 20);
    EXPECT_EQ(img->boxes[0].label, "dog");
    EXPECT_EQ(img->boxes[1].area(), 56.0 * 56.0);
    EXPECT_TRUE(a.problems().empty()) << joined(a.problems());
    EXPECT_EQ(a.find("b.jpg"), nullptr);
}

TEST(Annotations, MalformedVocEntriesAreReportedByName)
{
    const auto dir = test::scratchDir("annotations") / "voc_bad";
    std::filesystem::create_directories(dir);
    test::writeScratch(dir, "a.xml",
                       vocFile(vocObject("nofield", "<xmin>1</xmin><ymin>1</ymin><xmax>5</xmax>") +
                               vocObject("negative", vocBox(20, 5, 10, 8)) +
                               vocObject("text", "<xmin>one</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>") +
                               vocObject("good", vocBox(1, 1, 8, 8))));
    test::writeScratch(dir, "broken.xml", "<annotation><object></annotation>");
    std::string deep;
    for (int i = 0; i < 100000; ++i)
        deep += "<a>";
    test::writeScratch(dir, "deep.xml", deep);
    test::writeScratch(dir, "empty.xml", "");
    const Annotations a = Annotations::read(dir.string());
    const auto& p = a.problems();
    EXPECT_TRUE(mentions(p, "a.xml", "object 1 (nofield): no <bndbox><ymax>")) << joined(p);
    EXPECT_TRUE(mentions(p, "a.xml", "object 2 (negative): xmax < xmin")) << joined(p);
    EXPECT_TRUE(mentions(p, "a.xml", "object 3 (text): xmin 'one' is not a number")) << joined(p);
    EXPECT_TRUE(mentions(p, "broken.xml", "</annotation>")) << joined(p);
    EXPECT_TRUE(mentions(p, "deep.xml", "nested deeper than 64")) << joined(p);
    EXPECT_TRUE(mentions(p, "empty.xml", "no <annotation>")) << joined(p);
    // the good object of a.xml stays; the unreadable files add no image
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(a.find("a.jpg")->boxes.size(), 1u);
    EXPECT_EQ(a.find("a.jpg")->boxes[0].label, "good");
}

TEST(Annotations, CocoInstancesMatchByFileName)
{
    const std::string coco = R"({"info": {"year": 2017}, "licenses": [],
        "images": [{"id": 7, "file_name": "a.jpg", "width": 96, "height": 96},
                   {"id": 8, "file_name": "train/b.jpg", "width": 50, "height": 40},
                   {"file_name": "noid.jpg"}],
        "annotations": [
          {"id": 1, "image_id": 7, "category_id": 18, "bbox": [4, 4, 8, 16], "area": 128, "iscrowd": 0,
           "segmentation": [[4, 4, 12, 4, 12, 20, 4, 20]]},
          {"id": 2, "image_id": 7, "category_id": 17, "bbox": [40.5, 40, 55.5, 56], "iscrowd": 1,
           "segmentation": {"counts": [1, 2, 3], "size": [96, 96]}},
          {"id": 3, "image_id": 7, "category_id": 1, "bbox": [1, 1, -3, 4]},
          {"id": 4, "image_id": 7, "category_id": 1},
          {"id": 5, "image_id": 99, "category_id": 1, "bbox": [1, 1, 3, 4]},
          {"id": 6, "image_id": 7, "bbox": [1, 2, 3]}],
        "categories": [{"id": 18, "name": "dog"}]})";
    const Annotations a = Annotations::parse(Annotations::Format::Coco, coco, "instances.json");
    ASSERT_EQ(a.size(), 2u) << joined(a.problems());
    const ImageAnnotation* img = a.find("/data/a.jpg");
    ASSERT_NE(img, nullptr);
    ASSERT_EQ(img->boxes.size(), 2u);
    EXPECT_EQ(img->boxes[0].x0, 4);
    EXPECT_EQ(img->boxes[0].x1, 12);
    EXPECT_EQ(img->boxes[0].y1, 20);
    EXPECT_EQ(img->boxes[0].label, "18");
    EXPECT_EQ(img->boxes[1].x0, 40.5);
    EXPECT_EQ(img->boxes[1].x1, 96);
    // listed without any annotation: annotated, all background
    ASSERT_NE(a.find("b.jpg"), nullptr);
    EXPECT_TRUE(a.find("b.jpg")->boxes.empty());
    EXPECT_EQ(a.find("b.jpg")->width, 50);
    const auto& p = a.problems();
    EXPECT_TRUE(mentions(p, "instances.json", "images entry 3: no integer \"id\"")) << joined(p);
    EXPECT_TRUE(mentions(p, "annotation 3", "negative width or height")) << joined(p);
    EXPECT_TRUE(mentions(p, "annotation 4", "\"bbox\" is not [x, y, width, height]")) << joined(p);
    EXPECT_TRUE(mentions(p, "annotation 6", "\"bbox\" is not [x, y, width, height]")) << joined(p);
    EXPECT_TRUE(mentions(p, "image id 99", "does not list")) << joined(p);
}

TEST(Annotations, HostileCocoFilesAreRefusedOrBounded)
{
    // nesting: refused at the cap, not by running out of stack
    const std::string deep = "{\"images\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    try {
        Annotations::parse(Annotations::Format::Coco, deep, "deep.json");
        FAIL() << "deep JSON accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("deep.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("nested deeper than 64"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Annotations::parse(Annotations::Format::Coco, "[1, 2]", "array.json"), Error);
    EXPECT_THROW(Annotations::parse(Annotations::Format::Coco, "{\"images\": [", "cut.json"), Error);
    // 10^6 boxes on one image: that image is left out, by name; the others stay
    std::string many = R"({"images": [{"id": 1, "file_name": "crowd.jpg"}, {"id": 2, "file_name": "ok.jpg"}],
        "annotations": [{"image_id": 2, "bbox": [0, 0, 1, 1]})";
    many.reserve(40u << 20);
    for (int i = 0; i < 1000000; ++i)
        many += ",{\"image_id\":1,\"bbox\":[1,2,3,4]}";
    many += "]}";
    const Annotations a = Annotations::parse(Annotations::Format::Coco, many, "crowd.json");
    EXPECT_EQ(a.find("crowd.jpg"), nullptr);
    ASSERT_NE(a.find("ok.jpg"), nullptr);
    EXPECT_TRUE(mentions(a.problems(), "crowd.jpg", "more than the 10000 boxes")) << joined(a.problems());
}

TEST(Annotations, WiderFaceGroundTruth)
{
    const std::string gt = "0--Parade/0_Parade_marchingband_1_849.jpg\n"
                           "2\n"
                           "449 330 122 149 0 0 0 0 0 0 \n"
                           "10 20 -5 8 0 0 0 0 0 0\n"
                           "0--Parade/0_Parade_Parade_0_904.jpg\n"
                           "0\n"
                           "0 0 0 0 0 0 0 0 0 0\n"
                           "1--Handshaking/1_Handshaking_0_1.jpg\r\n"
                           "1\r\n"
                           "4 4 8 16 1 0 0 0 0 0\r\n"
                           "2--Demonstration/cut.jpg\n"
                           "3\n"
                           "1 1 2 2 0 0 0 0 0 0\n";
    const Annotations a = Annotations::parse(Annotations::Format::WiderFace, gt, "wider_face_val_bbx_gt.txt");
    ASSERT_EQ(a.size(), 3u) << joined(a.problems());
    const ImageAnnotation* img = a.find("WIDER_val/images/0--Parade/0_Parade_marchingband_1_849.jpg");
    ASSERT_NE(img, nullptr);
    ASSERT_EQ(img->boxes.size(), 1u);
    EXPECT_EQ(img->boxes[0].x0, 449);
    EXPECT_EQ(img->boxes[0].x1, 571);
    EXPECT_EQ(img->boxes[0].y1, 479);
    EXPECT_TRUE(a.find("0_Parade_Parade_0_904.jpg")->boxes.empty());
    EXPECT_EQ(a.find("1_Handshaking_0_1.jpg")->boxes.size(), 1u);
    EXPECT_EQ(a.find("cut.jpg"), nullptr);
    const auto& p = a.problems();
    EXPECT_TRUE(mentions(p, "line 4", "face 2 of 0_Parade_marchingband_1_849.jpg has a negative width")) << joined(p);
    EXPECT_TRUE(mentions(p, "cut.jpg", "the file ends before its 3 faces")) << joined(p);
    // a count that is no number: reported, the images before it kept
    const Annotations b = Annotations::parse(Annotations::Format::WiderFace, "a.jpg\n0\n0 0 0 0\nb.jpg\nmany\n",
                                             "w.txt");
    EXPECT_EQ(b.size(), 1u);
    EXPECT_TRUE(mentions(b.problems(), "w.txt: line 4 (b.jpg)", "not followed by a number of faces"))
        << joined(b.problems());
}

TEST(Annotations, ReadRefusesWhatIsNoAnnotationFile)
{
    const auto dir = test::scratchDir("annotations");
    EXPECT_THROW(Annotations::read((dir / "missing.json").string()), Error);
    EXPECT_THROW(Annotations::read(test::writeScratch(dir, "boxes.csv", "x,y\n")), Error);
    EXPECT_THROW(Annotations::read("/dev/zero.json"), Error);
    std::filesystem::create_directories(dir / "fifo");
    const std::string fifo = (dir / "fifo" / "gt.txt").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    try {
        Annotations::read(fifo);
        FAIL() << "a FIFO was read";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("a FIFO, not a regular file"), std::string::npos) << e.what();
    }
}

TEST(Annotations, CheckNamesBoxesOutsideTheImage)
{
    ImageAnnotation a;
    a.name = "a.jpg";
    a.source = "gt.txt";
    a.width = 100;
    a.height = 80;
    a.boxes = {{-2, 0, 10, 10, "face"}, {0, 0, 96, 96, "face"}, {1, 1, 5, 5, "face"}};
    const auto p = Annotations::check(a, 96, 96);
    ASSERT_EQ(p.size(), 2u) << joined(p);
    EXPECT_NE(p[0].find("states 100 x 80 pixels, the image reads as 96 x 96"), std::string::npos) << p[0];
    EXPECT_NE(p[1].find("box 1 (face) [-2, 10) x [0, 10) reaches outside the 96 x 96 image"), std::string::npos)
        << p[1];
}

// A 96 x 96 image whose 12 x 12 map has 8-pixel cells, centred at 4, 12, ..., 92: cells whose
// centres lie on a box's left or top edge are in it, on its right or bottom edge are not.
TEST(RegionMask, HandCountedCells)
{
    const std::vector<Box> boxes = {{4, 4, 12, 20, "small"},     // centres x 4; y 4, 12: 2 cells
                                    {40, 40, 96, 96, "medium"},  // centres 44 ... 92: 7 x 7 cells
                                    {48, 48, 64, 64, "inside"}}; // centres 52, 60: 2 x 2 cells, smaller
    const RegionMask m = regionMask(12, 12, 96, 96, boxes);
    ASSERT_EQ(m.cells.size(), 144u);
    auto count = [&](Region r) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < m.cells.size(); ++i)
            n += m.inRegion(i, r);
        return n;
    };
    EXPECT_EQ(count(Region::Object), 51u);
    EXPECT_EQ(count(Region::Background), 93u);
    EXPECT_EQ(count(Region::Small), 6u); // a cell in several boxes counts for the smallest
    EXPECT_EQ(count(Region::Medium), 45u);
    EXPECT_EQ(count(Region::Large), 0u);
    EXPECT_EQ(m.at(0, 0), Region::Small);
    EXPECT_EQ(m.at(1, 0), Region::Small);
    EXPECT_EQ(m.at(2, 0), Region::Background); // centre y = 20: on the bottom edge, outside
    EXPECT_EQ(m.at(0, 1), Region::Background); // centre x = 12: on the right edge, outside
    EXPECT_EQ(m.at(5, 5), Region::Medium);     // centre 44
    EXPECT_EQ(m.at(6, 6), Region::Small);      // centre 52, inside the small box too
    EXPECT_EQ(m.at(11, 11), Region::Medium);
    // the size classes at COCO's bounds: 32² is medium, 96² large
    const RegionMask b2 = regionMask(1, 1, 32, 32, {{0, 0, 32, 32, ""}});
    EXPECT_EQ(b2.at(0, 0), Region::Medium);
    const RegionMask b3 = regionMask(1, 1, 96, 96, {{0, 0, 96, 96, ""}});
    EXPECT_EQ(b3.at(0, 0), Region::Large);
    const RegionMask b4 = regionMask(1, 1, 96, 96, {{0, 0, 95, 97, ""}});
    EXPECT_EQ(b4.at(0, 0), Region::Medium); // 9215 < 96²
}
