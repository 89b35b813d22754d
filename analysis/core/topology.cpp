// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/topology.h"

namespace featscale::analysis {

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
         EpsMode::Caffe},
        {Arch::Vgg16Reduced,
         "vgg16-reduced",
         "SSD300 reduced VGG16 (conv4_3 L2Norm; extras conv8_2 ... conv11_2)",
         "weiliu89/caffe SSD300, amdegroot/ssd.pytorch",
         {{"conv4_3", 20.0f}},
         Preset::Caffe,
         EpsMode::Caffe},
        {Arch::Vgg16Bn,
         "vgg16-bn",
         "VGG16 with BatchNorm (torchvision classifier)",
         "torchvision.models.vgg16_bn",
         {},
         Preset::Torchvision,
         EpsMode::Caffe},
        {Arch::Ssd512,
         "ssd512",
         "SSD512 reduced VGG16 (conv4_3 L2Norm; extras conv8_2 ... conv12_2)",
         "weiliu89/caffe SSD512, open-mmlab/mmdetection SSDVGG(input_size=512)",
         {{"conv4_3", 20.0f}},
         Preset::Caffe,
         EpsMode::Caffe},
        {Arch::RefineDet,
         "refinedet",
         "RefineDet VGG16 (conv4_3 and conv5_3 L2Norm)",
         "sfzhang15/RefineDet, luuuyi/RefineDet.PyTorch",
         {{"conv4_3", 10.0f}, {"conv5_3", 8.0f}},
         Preset::Caffe,
         EpsMode::Caffe},
        {Arch::S3fd,
         "s3fd",
         "S3FD VGG16 (conv3_3, conv4_3 and conv5_3 L2Norm)",
         "sfzhang15/SFD (deploy.prototxt), 1adrianb/face-alignment; yxlijun/S3FD.pytorch (fc6 dilation 3)",
         {{"conv3_3", 10.0f}, {"conv4_3", 8.0f}, {"conv5_3", 5.0f}},
         Preset::Caffe,
         EpsMode::Caffe},
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
