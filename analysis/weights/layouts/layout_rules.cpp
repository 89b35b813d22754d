// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/layouts/internal/layout_rules.h"

#include "analysis/core/topology.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <cctype>
#include <initializer_list>

namespace featscale::analysis::weights {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Parses "<digits>." at pos (at most 4 digits), advancing past the dot.
bool takeIndex(const std::string& s, std::size_t& pos, int& n)
{
    std::size_t p = pos;
    n = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])) && p - pos < 4)
        n = n * 10 + (s[p++] - '0');
    if (p == pos || p >= s.size() || s[p] != '.')
        return false;
    pos = p + 1;
    return true;
}

bool isParam(const std::string& rest) { return rest == "weight" || rest == "bias"; }

Renamed mapped(const std::string& name) { return {Renamed::Mapped, name}; }

Renamed unknown() { return {Renamed::Unknown, {}}; }

Renamed ignored() { return {Renamed::Ignored, {}}; }

Renamed head() { return {Renamed::Head, {}}; }

// "<prefix>N.weight" -> "<to>N.weight"
Renamed renumber(const std::string& key, const std::string& prefix, const std::string& to)
{
    std::size_t pos = prefix.size();
    int n = 0;
    if (!startsWith(key, prefix) || !takeIndex(key, pos, n) || !isParam(key.substr(pos)))
        return unknown();
    return mapped(to + std::to_string(n) + "." + key.substr(pos));
}

// torchvision's VGG16 and vgg16_bn, and featscale's canonical names (also what the Caffe, Keras
// and ONNX readers emit). "L2Norm.weight" is what featscale called conv4_3's gamma before gammas
// were per layer.
Renamed renameCanonical(const std::string& key)
{
    if (key == kLegacyGammaName)
        return mapped(kGammaName);
    if (!gammaLayer(key).empty())
        return mapped(key);
    for (const char* prefix : {"features.", "classifier.", "extras."}) {
        if (!startsWith(key, prefix))
            continue;
        std::size_t pos = std::string(prefix).size();
        int n = 0;
        if (!takeIndex(key, pos, n))
            return unknown();
        const std::string rest = key.substr(pos);
        if (rest == "running_mean" || rest == "running_var") // vgg16_bn's BatchNorm statistics
            return mapped(prefix + std::to_string(n) + "." + rest);
        if (rest == "num_batches_tracked")
            return ignored();
        return renumber(key, prefix, prefix);
    }
    return unknown();
}

// ssd.pytorch's vgg16_reducedfc.pth: the backbone ModuleList saved on its own ("0.weight" ... "33.bias").
Renamed renameSsdPytorchBackbone(const std::string& key) { return renumber(key, "", "features."); }

// What ssd.pytorch and the repositories built on it (RefineDet.PyTorch, S3FD.pytorch) share once
// their L2Norm gammas are named: the detection heads under headPrefixes, the backbone ModuleList
// vgg.N (indices as torchvision's features) and extras.N.
Renamed renameSsdPytorchBody(const std::string& key, std::initializer_list<const char*> headPrefixes)
{
    for (const char* prefix : headPrefixes)
        if (startsWith(key, prefix))
            return head();
    if (startsWith(key, "vgg."))
        return renumber(key, "vgg.", "features.");
    if (startsWith(key, "extras."))
        return renumber(key, "extras.", "extras.");
    return unknown();
}

// ssd.pytorch's SSD (SSD300, and SSD512 in the forks that add its fifth extra stage): vgg.N,
// L2Norm.weight (conv4_3's), extras.N; loc/conf are the detection heads.
Renamed renameSsdPytorch(const std::string& key)
{
    if (key == kLegacyGammaName)
        return mapped(kGammaName);
    return renameSsdPytorchBody(key, {"loc.", "conf."});
}

// torchvision.models.detection.ssd300_vgg16 (SSDFeatureExtractorVGG): features.0..21 end at
// conv4_3; extra.0 is Sequential(maxpool4, conv5_1, relu, conv5_2, relu, conv5_3, relu,
// Sequential(pool5, fc6, relu, fc7, relu)); extra.1..4 are (1x1 conv, relu, 3x3 conv, relu).
Renamed renameTorchvisionSsd(const std::string& full)
{
    if (startsWith(full, "head.") || startsWith(full, "anchor_generator."))
        return head();
    const std::string key = startsWith(full, "backbone.") ? full.substr(9) : full;
    if (key == "scale_weight")
        return mapped(kGammaName);
    if (startsWith(key, "features.")) {
        Renamed r = renumber(key, "features.", "features.");
        std::size_t pos = 9;
        int n = 0;
        return takeIndex(key, pos, n) && n <= 22 ? r : unknown();
    }
    std::size_t pos = 6;
    int block = 0, layer = 0, sub = 0;
    if (!startsWith(key, "extra.") || !takeIndex(key, pos, block) || !takeIndex(key, pos, layer))
        return unknown();
    if (block == 0 && (layer == 1 || layer == 3 || layer == 5) && isParam(key.substr(pos)))
        return mapped("features." + std::to_string(23 + layer) + "." + key.substr(pos)); // conv5_1..3
    if (block == 0 && layer == 7 && takeIndex(key, pos, sub) && (sub == 1 || sub == 3) && isParam(key.substr(pos)))
        return mapped(std::string(sub == 1 ? "features.31." : "features.33.") + key.substr(pos)); // fc6, fc7
    if (block >= 1 && block <= 4 && (layer == 0 || layer == 2) && isParam(key.substr(pos)))
        return mapped("extras." + std::to_string(2 * (block - 1) + layer / 2) + "." + key.substr(pos));
    return unknown(); // includes SSD512's extra.5 (conv12), which featscale's SSD300 has not
}

// mmdetection's SSD: SSDVGG backbone (features.N as ssd.pytorch, fc6 = 31, fc7 = 33) and, since
// mmdet 2.18, SSDNeck (l2_norm.weight, extra_layers.K.J.conv.*); before that the backbone held
// l2_norm.weight and extra.N itself.
Renamed renameMmdetSsd(const std::string& key)
{
    if (startsWith(key, "bbox_head."))
        return head();
    if (key == "neck.l2_norm.weight" || key == "backbone.l2_norm.weight")
        return mapped(kGammaName);
    if (startsWith(key, "backbone.features."))
        return renumber(key, "backbone.features.", "features.");
    if (startsWith(key, "backbone.extra."))
        return renumber(key, "backbone.extra.", "extras.");
    std::size_t pos = 18;
    int level = 0, conv = 0;
    if (startsWith(key, "neck.extra_layers.") && takeIndex(key, pos, level) && takeIndex(key, pos, conv) && conv <= 1 &&
        key.compare(pos, 5, "conv.") == 0 && isParam(key.substr(pos + 5)))
        return mapped("extras." + std::to_string(2 * level + conv) + "." + key.substr(pos + 5));
    return unknown();
}

// luuuyi/RefineDet.PyTorch: vgg.N as ssd.pytorch (pool5 at 30, fc6 at 31, fc7 at 33),
// conv4_3_L2Norm and conv5_3_L2Norm, extras.0/1 (conv6_1, conv6_2); the anchor refinement (arm_*),
// object detection (odm_*) and transfer connection blocks (tcb0/1/2) are heads.
Renamed renameRefineDetPytorch(const std::string& key)
{
    if (key == "conv4_3_L2Norm.weight")
        return mapped(gammaName("conv4_3"));
    if (key == "conv5_3_L2Norm.weight")
        return mapped(gammaName("conv5_3"));
    return renameSsdPytorchBody(key, {"arm_loc.", "arm_conf.", "odm_loc.", "odm_conf.", "tcb0.", "tcb1.", "tcb2."});
}

// yxlijun/S3FD.pytorch: vgg.N (pool5 2x2 at 30, fc6 at 31 with dilation 3, fc7 at 33),
// L2Norm3_3/4_3/5_3, extras.0..3 (conv6_1 ... conv7_2); loc/conf are the heads.
Renamed renameS3fdPytorch(const std::string& key)
{
    if (key == "L2Norm3_3.weight")
        return mapped(gammaName("conv3_3"));
    if (key == "L2Norm4_3.weight")
        return mapped(gammaName("conv4_3"));
    if (key == "L2Norm5_3.weight")
        return mapped(gammaName("conv5_3"));
    return renameSsdPytorchBody(key, {"loc.", "conf."});
}

// 1adrianb/face-alignment's S3FD (net_s3fd.py): every layer a named attribute, as in Caffe's SFD
// prototxt: conv1_1 ... conv5_3, fc6, fc7, conv6_1 ... conv7_2, the L2Norm modules conv3_3_norm,
// conv4_3_norm and conv5_3_norm, and the detection heads <source>_mbox_conf / _mbox_loc.
Renamed renameFaceAlignmentS3fd(const std::string& key)
{
    if (key.find("_mbox_") != std::string::npos)
        return head();
    const std::size_t dot = key.find('.');
    if (dot == std::string::npos)
        return unknown();
    const std::string layer = key.substr(0, dot);
    const std::string param = key.substr(dot + 1);
    const std::string suffix = "_norm";
    if (param == "weight" && layer.size() > suffix.size() &&
        layer.compare(layer.size() - suffix.size(), suffix.size(), suffix) == 0)
        return mapped(gammaName(layer.substr(0, layer.size() - suffix.size())));
    if (!isParam(param))
        return unknown();
    static const char* const kVgg[] = {"conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3",
                                       "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3"};
    static const int kIndex[] = {0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28};
    for (int i = 0; i < 13; ++i)
        if (layer == kVgg[i])
            return mapped("features." + std::to_string(kIndex[i]) + "." + param);
    if (layer == "fc6" || layer == "fc7")
        return mapped(std::string(layer == "fc6" ? "features.31." : "features.33.") + param);
    static const char* const kExtras[] = {"conv6_1", "conv6_2", "conv7_1", "conv7_2"};
    for (int i = 0; i < 4; ++i)
        if (layer == kExtras[i])
            return mapped("extras." + std::to_string(i) + "." + param);
    return unknown();
}

// lufficc/SSD's SSDDetector: backbone.vgg.N as ssd.pytorch, backbone.extras.N (8 for SSD300, 10
// for SSD512), backbone.l2_norm.weight (conv4_3); box_head.predictor.{cls,reg}_headers are heads.
Renamed renameLufficcSsd(const std::string& key)
{
    if (startsWith(key, "box_head."))
        return head();
    if (key == "backbone.l2_norm.weight")
        return mapped(kGammaName);
    if (startsWith(key, "backbone.vgg."))
        return renumber(key, "backbone.vgg.", "features.");
    if (startsWith(key, "backbone.extras."))
        return renumber(key, "backbone.extras.", "extras.");
    return unknown();
}

const LayoutRule kRules[] = {
    {"face-alignment-s3fd",
     Arch::S3fd,
     {"conv3_3_norm.weight", "conv3_3_norm_mbox_conf.weight"},
     renameFaceAlignmentS3fd,
     /*fixesArch=*/true},
    // Before mmdet-ssd, whose old backbone also has backbone.l2_norm.weight.
    {"lufficc-ssd",
     Arch::Vgg16Reduced,
     {"backbone.vgg.0.weight", "box_head.predictor.cls_headers.0.weight"},
     renameLufficcSsd},
    {"torchvision-ssd300",
     Arch::Vgg16Reduced,
     {"backbone.scale_weight", "backbone.extra.0.1.weight", "scale_weight", "extra.0.7.1.weight"},
     renameTorchvisionSsd},
    {"mmdet-ssd",
     Arch::Vgg16Reduced,
     {"neck.l2_norm.weight", "neck.extra_layers.0.0.conv.weight", "backbone.l2_norm.weight",
      "backbone.features.31.weight"},
     renameMmdetSsd},
    {"refinedet.pytorch",
     Arch::RefineDet,
     {"conv4_3_L2Norm.weight", "conv5_3_L2Norm.weight", "arm_loc.0.weight", "tcb0.0.weight"},
     renameRefineDetPytorch,
     /*fixesArch=*/true},
    {"s3fd.pytorch",
     Arch::S3fd,
     {"L2Norm3_3.weight", "L2Norm4_3.weight", "L2Norm5_3.weight"},
     renameS3fdPytorch,
     /*fixesArch=*/true,
     /*fc6Dilation=*/3},
    {"ssd.pytorch", Arch::Vgg16Reduced, {"vgg.0.weight"}, renameSsdPytorch},
    {"ssd.pytorch-backbone", Arch::Vgg16Reduced, {"0.weight"}, renameSsdPytorchBackbone},
    {"torchvision-vgg16", Arch::Vgg16, {"features.0.weight"}, renameCanonical},
};

} // namespace

const LayoutRule* detectLayout(const RawTensors& raw, bool (*hasKey)(const RawTensors&, const std::string&))
{
    for (const LayoutRule& rule : kRules)
        for (const char* marker : rule.markers)
            if (hasKey(raw, marker))
                return &rule;
    return nullptr;
}

} // namespace featscale::analysis::weights
