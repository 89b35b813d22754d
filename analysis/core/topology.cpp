// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/topology.h"

namespace featscale::analysis {
namespace {

// The prior grids as the PyTorch ports configure them (each port's data/config.py: feature_maps,
// steps, min_sizes, max_sizes, aspect_ratios), which follow the Caffe originals' prototxts.
const std::vector<PriorLayer> kSsd300Voc = {{"conv4_3", 38, 8, 30, 60, "2"},      {"fc7", 19, 16, 60, 111, "2,3"},
                                            {"conv8_2", 10, 32, 111, 162, "2,3"}, {"conv9_2", 5, 64, 162, 213, "2,3"},
                                            {"conv10_2", 3, 100, 213, 264, "2"},  {"conv11_2", 1, 300, 264, 315, "2"}};
const std::vector<PriorLayer> kSsd300Coco = {{"conv4_3", 38, 8, 21, 45, "2"},     {"fc7", 19, 16, 45, 99, "2,3"},
                                             {"conv8_2", 10, 32, 99, 153, "2,3"}, {"conv9_2", 5, 64, 153, 207, "2,3"},
                                             {"conv10_2", 3, 100, 207, 261, "2"}, {"conv11_2", 1, 300, 261, 315, "2"}};
const std::vector<PriorLayer> kSsd512Voc = {{"conv4_3", 64, 8, 20, 51, "2"},       {"fc7", 32, 16, 51, 133, "2,3"},
                                            {"conv8_2", 16, 32, 133, 215, "2,3"},  {"conv9_2", 8, 64, 215, 296, "2,3"},
                                            {"conv10_2", 4, 128, 296, 378, "2,3"}, {"conv11_2", 2, 256, 378, 460, "2"},
                                            {"conv12_2", 1, 512, 460, 542, "2"}};
// RefineDet's ARM/ODM source layers (conv4_3, conv5_3, fc7, conv6_2): one square prior, no max size.
const std::vector<PriorLayer> kRefineDet320 = {{"conv4_3", 40, 8, 32, 0, "2"},
                                               {"conv5_3", 20, 16, 64, 0, "2"},
                                               {"fc7", 10, 32, 128, 0, "2"},
                                               {"conv6_2", 5, 64, 256, 0, "2"}};
const std::vector<PriorLayer> kRefineDet512 = {{"conv4_3", 64, 8, 32, 0, "2"},
                                               {"conv5_3", 32, 16, 64, 0, "2"},
                                               {"fc7", 16, 32, 128, 0, "2"},
                                               {"conv6_2", 8, 64, 256, 0, "2"}};
// S3FD's scale-equitable anchors: one square anchor of 4 x its stride per location.
const std::vector<PriorLayer> kS3fd640 = {{"conv3_3", 160, 4, 16, 0, ""},  {"conv4_3", 80, 8, 32, 0, ""},
                                          {"conv5_3", 40, 16, 64, 0, ""},  {"fc7", 20, 32, 128, 0, ""},
                                          {"conv6_2", 10, 64, 256, 0, ""}, {"conv7_2", 5, 128, 512, 0, ""}};

} // namespace

const std::vector<TopologyInfo>& topologies()
{
    // The L2Norm layers and their inits are those of each family's published prototxt (Normalize
    // layers' scale_filler) and PyTorch port (L2Norm(channels, scale)).
    static const std::vector<TopologyInfo> table = {
        {Arch::Vgg16,
         "vgg16",
         "VGG16 (torchvision classifier; fc6/fc7 slid as convolutions)",
         "torchvision.models.vgg16",
         {},
         Preset::Torchvision,
         EpsMode::Caffe,
         {}},
        {Arch::Vgg16Reduced,
         "vgg16-reduced",
         "SSD300 reduced VGG16 (conv4_3 L2Norm; extras conv8_2 ... conv11_2)",
         "weiliu89/caffe SSD300, amdegroot/ssd.pytorch",
         {{"conv4_3", 20.0f}},
         Preset::Caffe,
         EpsMode::Caffe,
         {{"ssd300-voc", 300, "amdegroot/ssd.pytorch data/config.py (voc)", kSsd300Voc},
          {"ssd300-coco", 300, "amdegroot/ssd.pytorch data/config.py (coco)", kSsd300Coco}}},
        {Arch::Vgg16Bn,
         "vgg16-bn",
         "VGG16 with BatchNorm (torchvision classifier)",
         "torchvision.models.vgg16_bn",
         {},
         Preset::Torchvision,
         EpsMode::Caffe,
         {}},
        {Arch::Ssd512,
         "ssd512",
         "SSD512 reduced VGG16 (conv4_3 L2Norm; extras conv8_2 ... conv12_2)",
         "weiliu89/caffe SSD512, open-mmlab/mmdetection SSDVGG(input_size=512)",
         {{"conv4_3", 20.0f}},
         Preset::Caffe,
         EpsMode::Caffe,
         {{"ssd512-voc", 512,
           "luuuyi/RefineDet.PyTorch data/config.py (voc '512', after weiliu89/caffe ssd_pascal_512.py)", kSsd512Voc}}},
        {Arch::RefineDet,
         "refinedet",
         "RefineDet VGG16 (conv4_3 and conv5_3 L2Norm)",
         "sfzhang15/RefineDet, luuuyi/RefineDet.PyTorch",
         {{"conv4_3", 10.0f}, {"conv5_3", 8.0f}},
         Preset::Caffe,
         EpsMode::Caffe,
         {{"refinedet320", 320, "luuuyi/RefineDet.PyTorch data/config.py (voc_refinedet '320')", kRefineDet320},
          {"refinedet512", 512, "luuuyi/RefineDet.PyTorch data/config.py (voc_refinedet '512')", kRefineDet512}}},
        {Arch::S3fd,
         "s3fd",
         "S3FD VGG16 (conv3_3, conv4_3 and conv5_3 L2Norm)",
         "sfzhang15/SFD (deploy.prototxt), 1adrianb/face-alignment; yxlijun/S3FD.pytorch (fc6 dilation 3)",
         {{"conv3_3", 10.0f}, {"conv4_3", 8.0f}, {"conv5_3", 5.0f}},
         Preset::Caffe,
         EpsMode::Caffe,
         {{"s3fd640", 640, "yxlijun/S3FD.pytorch data/config.py (FEATURE_MAPS, STEPS, ANCHOR_SIZES)", kS3fd640}}},
    };
    return table;
}

const TopologyInfo& topologyInfo(Arch arch)
{
    for (const TopologyInfo& t : topologies())
        if (t.arch == arch)
            return t;
    throw Error("unknown topology");
}

float initialGamma(Arch arch, const std::string& layer)
{
    for (const L2NormSpec& s : topologyInfo(arch).l2norm)
        if (s.layer == layer)
            return s.init;
    return kDefaultGamma;
}

std::vector<std::string> familyL2NormLayers(Arch arch)
{
    std::vector<std::string> out;
    for (const L2NormSpec& s : topologyInfo(arch).l2norm)
        out.push_back(s.layer);
    return out;
}

} // namespace featscale::analysis
