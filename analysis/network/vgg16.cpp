// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/network/internal/vgg16.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <algorithm>
#include <mutex>

namespace featscale::analysis {
namespace {

namespace nn = torch::nn;

// Configuration "D" of the VGG paper: channels per conv, 0 = max pool; with the Caffe tap names.
struct Layer {
    int channels; // 0: pool
    const char* tap;
};
constexpr Layer kConfigD[] = {{64, "conv1_1"},  {64, "conv1_2"},  {0, "pool1"},     {128, "conv2_1"}, {128, "conv2_2"},
                              {0, "pool2"},     {256, "conv3_1"}, {256, "conv3_2"}, {256, "conv3_3"}, {0, "pool3"},
                              {512, "conv4_1"}, {512, "conv4_2"}, {512, "conv4_3"}, {0, "pool4"},     {512, "conv5_1"},
                              {512, "conv5_2"}, {512, "conv5_3"}, {0, "pool5"}};

// Extra layers after fc7: (in, out, kernel, stride, padding) and the tap read after the ReLU that
// follows each (every port applies F.relu after every extra layer, as the prototxts do).
struct Extra {
    int in, out, k, s, p;
    const char* tap;
};
// SSD300: weiliu89's ssd_pascal.py AddExtraLayers, ssd.pytorch's add_extras(extras['300']).
constexpr Extra kSsd300Extras[] = {{1024, 256, 1, 1, 0, nullptr}, {256, 512, 3, 2, 1, "conv8_2"},
                                   {512, 128, 1, 1, 0, nullptr},  {128, 256, 3, 2, 1, "conv9_2"},
                                   {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 1, 0, "conv10_2"},
                                   {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 1, 0, "conv11_2"}};
// SSD512: ssd_pascal_512.py and mmdetection's SSDVGG extra_setting[512]: four stride-2 3x3 stages,
// then conv12_2 with a 4x4 kernel, stride 1, pad 1 (2x2 -> 1x1 at 512 px).
constexpr Extra kSsd512Extras[] = {{1024, 256, 1, 1, 0, nullptr}, {256, 512, 3, 2, 1, "conv8_2"},
                                   {512, 128, 1, 1, 0, nullptr},  {128, 256, 3, 2, 1, "conv9_2"},
                                   {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 2, 1, "conv10_2"},
                                   {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 2, 1, "conv11_2"},
                                   {256, 128, 1, 1, 0, nullptr},  {128, 256, 4, 1, 1, "conv12_2"}};
// RefineDet (VGG16, 320 and 512): conv6_1 1x1 -> 256, conv6_2 3x3 stride 2 -> 512
// (sfzhang15/RefineDet's prototxt, luuuyi/RefineDet.PyTorch extras['320']).
constexpr Extra kRefineDetExtras[] = {{1024, 256, 1, 1, 0, nullptr}, {256, 512, 3, 2, 1, "conv6_2"}};
// S3FD: conv6_1/conv6_2 and conv7_1/conv7_2 (sfzhang15/SFD deploy.prototxt, yxlijun's extras_cfg).
constexpr Extra kS3fdExtras[] = {{1024, 256, 1, 1, 0, nullptr},
                                 {256, 512, 3, 2, 1, "conv6_2"},
                                 {512, 128, 1, 1, 0, nullptr},
                                 {128, 256, 3, 2, 1, "conv7_2"}};

// How a topology departs from torchvision's VGG16 after conv5_3.
struct Head {
    bool pool3Ceil; // every detector: 75 -> 38 at SSD300's 300 px, as Caffe rounds up
    bool pool5Same; // SSD: pool5 3x3 stride 1 pad 1; else 2x2 stride 2
    int fc6Padding, fc6Dilation;
    const Extra* extras;
    int extraCount;
};

template <std::size_t N> constexpr Head head(bool pool5Same, int padding, int dilation, const Extra (&extras)[N])
{
    return {true, pool5Same, padding, dilation, extras, static_cast<int>(N)};
}

Head headOf(Arch arch)
{
    switch (arch) {
    case Arch::Vgg16Reduced:
        return head(true, 6, 6, kSsd300Extras); // SSD300: weiliu89/caffe, ssd.pytorch
    case Arch::Ssd512:
        return head(true, 6, 6, kSsd512Extras); // SSD512: same base network
    case Arch::RefineDet:
        return head(false, 3, 3, kRefineDetExtras); // fc6: kernel 3, pad 3, dilation 3
    case Arch::S3fd:
        return head(false, 3, 1, kS3fdExtras); // fc6: kernel 3, pad 3, no dilation
    case Arch::Vgg16:
    case Arch::Vgg16Bn:
        break;
    }
    return {false, false, 0, 1, nullptr, 0};
}

bool isClassifierNet(Arch arch) { return arch == Arch::Vgg16 || arch == Arch::Vgg16Bn; }

std::mutex gSeedMutex; // the default generator is process-wide

} // namespace

Vgg16Impl::Vgg16Impl(Arch arch, bool withExtras, int fc6Dilation)
    : m_arch(arch), m_withExtras(withExtras && !isClassifierNet(arch))
{
    // Every Conv2d below initialises itself from the process-wide generator: a model built on
    // another thread while initDefault runs would shift the seeded sequence and give different
    // "default" weights (the GUI builds engines for several runs at once).
    std::lock_guard<std::mutex> lock(gSeedMutex);
    const Head h = headOf(arch);
    m_fc6Dilation = fc6Dilation > 0 ? fc6Dilation : h.fc6Dilation;
    const bool batchNorm = arch == Arch::Vgg16Bn;
    // Registered as torchvision registers them, so parameter names match its state dicts: ReLU and
    // pooling are entries of `features` too, which keeps the indices (features.28 = conv5_3; in
    // vgg16_bn, BatchNorm2d follows each convolution: conv5_3 = features.40, its bn features.41).
    m_features = nn::Sequential();
    auto addConv = [&](nn::Sequential& seq, int in, int out, int kernel, int stride, int padding, int dilation) {
        nn::Conv2d conv(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).dilation(dilation));
        seq->push_back(conv);
        NetOp op;
        op.kind = NetOp::Conv;
        op.stride = stride;
        op.padding = padding;
        op.dilation = dilation;
        op.kernel = kernel;
        op.conv = conv;
        if (batchNorm && &seq == &m_features) {
            op.stored = conv;
            op.bn = nn::BatchNorm2d(nn::BatchNormOptions(out).eps(1e-5));
            seq->push_back(op.bn);
            op.conv = nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).dilation(dilation));
        }
        const bool sameSize3x3 = kernel == 3 && stride == 1 && padding == dilation;
        const bool pointwise = kernel == 1 && stride == 1 && padding == 0;
        m_hwcCapable = m_hwcCapable && (sameSize3x3 || pointwise);
        m_net.push_back(std::move(op));
    };
    auto addRelu = [&](nn::Sequential* seq, const char* tap) {
        if (seq)
            (*seq)->push_back(nn::Functional(torch::relu));
        NetOp op;
        op.kind = NetOp::Relu;
        op.tap = tap ? tap : "";
        m_net.push_back(std::move(op));
    };
    int in = 3, pools = 0;
    for (const auto& l : kConfigD) {
        if (l.channels == 0) {
            ++pools;
            nn::MaxPool2dOptions opts(2);
            opts.stride(2);
            if (h.pool3Ceil && pools == 3)
                opts.ceil_mode(true);
            if (h.pool5Same && pools == 5)
                opts = nn::MaxPool2dOptions(3).stride(1).padding(1);
            nn::MaxPool2d pool(opts);
            m_features->push_back(pool);
            NetOp op;
            op.kind = NetOp::Pool;
            op.tap = l.tap;
            op.pool = pool;
            m_net.push_back(std::move(op));
            continue;
        }
        addConv(m_features, in, l.channels, 3, /*stride=*/1, /*padding=*/1, /*dilation=*/1);
        addRelu(&m_features, l.tap);
        in = l.channels;
    }
    if (!isClassifierNet(arch)) {
        addConv(m_features, 512, 1024, 3, /*stride=*/1, h.fc6Padding, m_fc6Dilation); // fc6
        addRelu(&m_features, "fc6");
        addConv(m_features, 1024, 1024, 1, /*stride=*/1, /*padding=*/0, /*dilation=*/1); // fc7
        addRelu(&m_features, "fc7");
    }
    register_module("features", m_features);
    if (isClassifierNet(arch)) {
        m_classifier = nn::Sequential(nn::Linear(512 * 7 * 7, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 1000));
        register_module("classifier", m_classifier);
        for (const int index : {0, 3}) {
            NetOp op;
            op.kind = NetOp::Fc;
            op.tap = index == 0 ? "fc6" : "fc7";
            op.kernel = index == 0 ? 7 : 1;
            op.linear = nn::Linear(std::dynamic_pointer_cast<nn::LinearImpl>(m_classifier->ptr(index)));
            m_net.push_back(std::move(op));
        }
    }
    if (m_withExtras) {
        m_extras = nn::Sequential();
        for (int i = 0; i < h.extraCount; ++i) {
            const Extra& e = h.extras[i];
            addConv(m_extras, e.in, e.out, e.k, e.s, e.p, /*dilation=*/1);
            addRelu(nullptr, e.tap);
        }
        register_module("extras", m_extras);
    }
    refold();
}

std::vector<std::string> Vgg16Impl::tapNames() const
{
    std::vector<std::string> names;
    const LayerCatalog catalog(m_arch, m_withExtras);
    for (const auto& t : catalog.taps())
        if (m_hasFc || (t.name != "fc6" && t.name != "fc7"))
            names.push_back(t.name);
    return names;
}

std::vector<std::string> Vgg16Impl::reachableTaps(int height, int width) const
{
    std::vector<std::string> out;
    std::int64_t h = height, w = width;
    // The output side of a window of `k` (dilated) with stride, padding and rounding; 0 when the
    // input is smaller than the window.
    auto side = [](std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t pad, bool ceil) -> std::int64_t {
        const std::int64_t span = in + 2 * pad - k;
        if (span < 0)
            return 0;
        std::int64_t o = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (o - 1) * stride >= in + pad) // the last window must start inside the input
            --o;
        return o;
    };
    for (const NetOp& op : m_net) {
        if (op.kind == NetOp::Conv) {
            const std::int64_t k = static_cast<std::int64_t>(op.dilation) * (op.kernel - 1) + 1;
            h = side(h, k, op.stride, op.padding, false);
            w = side(w, k, op.stride, op.padding, false);
        } else if (op.kind == NetOp::Pool) {
            const auto& o = op.pool->options;
            h = side(h, (*o.kernel_size())[0], (*o.stride())[0], (*o.padding())[0], o.ceil_mode());
            w = side(w, (*o.kernel_size())[1], (*o.stride())[1], (*o.padding())[1], o.ceil_mode());
        } // Fc: fc6 pools pool5 to 7x7 whatever its size
        if (h < 1 || w < 1)
            break;
        if (!op.tap.empty() && (m_hasFc || (op.tap != "fc6" && op.tap != "fc7")))
            out.push_back(op.tap);
    }
    return out;
}

int Vgg16Impl::deepestTap(const std::vector<std::string>& taps) const
{
    const LayerCatalog catalog(m_arch, m_withExtras);
    int deepest = -1;
    for (const auto& t : taps) {
        const auto info = catalog.find(t);
        if (!info || (!m_hasFc && (t == "fc6" || t == "fc7")))
            throw Error("layer " + t + " is not available in this model");
        deepest = std::max(deepest, info->depthIndex);
    }
    return deepest;
}

void Vgg16Impl::walk(int deepest, const std::function<void()>& check,
                     const std::function<void(std::size_t, const NetOp&)>& run,
                     const std::function<void(const std::string&)>& tapped) const
{
    int depth = 0;
    for (std::size_t i = 0; i < m_net.size() && depth <= deepest; ++i) {
        const NetOp& op = m_net[i];
        run(i, op);
        if (!op.tap.empty()) {
            tapped(op.tap);
            ++depth;
            check();
        }
    }
}

std::map<std::string, torch::Tensor> Vgg16Impl::forward(const torch::Tensor& input,
                                                        const std::vector<std::string>& taps,
                                                        const std::function<bool()>& keepGoing)
{
    const int deepest = deepestTap(taps);
    auto check = [&] {
        if (keepGoing && !keepGoing())
            throw Cancelled();
    };
    if (!torch::GradMode::is_enabled() && at::hasMKLDNN() && input.device().is_cpu() &&
        input.scalar_type() == torch::kFloat32 && input.dim() == 4 && input.size(0) == 1)
        return forwardBlocked(input, taps, deepest, check);
    return forwardAutograd(input, taps, deepest, check);
}

torch::Tensor Vgg16Impl::fcProduct(const NetOp& op, const torch::Tensor& input) const
{
    const auto& weight = op.linear->weight;
    const auto& bias = op.linear->bias;
    if (op.kernel == 1) { // fc7 over fc6's positions: [4096 x 4096] x [4096 x positions]
        const auto positions = input.size(2) * input.size(3);
        return at::addmm(bias.detach().unsqueeze(1), weight.detach(), input.reshape({input.size(1), positions}))
            .relu_()
            .view({1, weight.size(0), input.size(2), input.size(3)});
    }
    torch::Tensor pool5 = input;
    if (pool5.size(2) < 7 || pool5.size(3) < 7)
        pool5 = torch::adaptive_avg_pool2d(pool5, {7, 7});
    const auto oh = pool5.size(2) - 6, ow = pool5.size(3) - 6;
    // The 7x7 windows of pool5 as columns, rows ordered (channel, y, x) like the Linear weight's
    // inputs: fc6 at every position is then one product with the weight as stored (row-major
    // 4096 x 25088), which the BLAS streams once, instead of a convolution that would first
    // reorder all 411 MB of it.
    const auto columns = at::im2col(pool5, {7, 7}, {1, 1}, {0, 0}, {1, 1})[0];
    return at::addmm(bias.detach().unsqueeze(1), weight.detach(), columns).relu_().view({1, weight.size(0), oh, ow});
}

void Vgg16Impl::dropPacked()
{
    m_packed.clear();
    m_winograd.clear();
}

void Vgg16Impl::refold()
{
    torch::NoGradGuard noGrad;
    for (NetOp& op : m_net) {
        if (!op.bn)
            continue;
        // Eval-mode BatchNorm after a convolution is an affine map per output channel:
        // y = (conv(x) + b - mean) * s + beta with s = weight / sqrt(var + eps).
        const auto& bn = *op.bn;
        const auto scale = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
        op.conv->weight.copy_(op.stored->weight * scale.view({-1, 1, 1, 1}));
        op.conv->bias.copy_((op.stored->bias - bn.running_mean) * scale + bn.bias);
    }
}

void Vgg16Impl::initDefault(std::uint64_t seed)
{
    dropPacked();
    std::lock_guard<std::mutex> lock(gSeedMutex);
    torch::NoGradGuard noGrad;
    torch::manual_seed(seed);
    for (auto& module : modules(/*include_self=*/false)) {
        if (auto* conv = module->as<nn::Conv2d>()) {
            nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
            nn::init::zeros_(conv->bias);
        } else if (auto* linear = module->as<nn::Linear>()) {
            nn::init::normal_(linear->weight, 0.0, 0.01);
            nn::init::zeros_(linear->bias);
        } else if (auto* bn = module->as<nn::BatchNorm2d>()) {
            bn->reset_parameters(); // weight 1, bias 0, running mean 0, running var 1
        }
    }
    m_hasFc = true;
    refold();
}

void Vgg16Impl::loadCanonical(const std::map<std::string, torch::Tensor>& params, const std::string& source)
{
    dropPacked();
    torch::NoGradGuard noGrad;
    auto own = named_parameters(/*recurse=*/true);
    for (const auto& b : named_buffers(/*recurse=*/true))
        own.insert(b.key(), b.value()); // BatchNorm's running statistics
    const bool fileHasFc = !isClassifierNet(m_arch) || params.count("classifier.0.weight") > 0;
    for (const auto& p : weights::canonicalParams(m_arch, m_withExtras)) {
        const bool isClassifier = p.name.rfind("classifier.", 0) == 0;
        auto it = params.find(p.name);
        if (it == params.end()) {
            if (isClassifier && !fileHasFc)
                continue;
            throw Error(source + ": missing parameter " + p.name + " (" + p.layer + ", expected " +
                        weights::shapeString(p.shape) + ")");
        }
        if (it->second.sizes().vec() != p.shape)
            throw Error(source + ": shape mismatch for " + p.layer + " (" + p.name + "): expected " +
                        weights::shapeString(p.shape) + ", found " + weights::shapeString(it->second.sizes().vec()));
        const torch::Tensor* dst = own.find(p.name);
        if (!dst)
            throw Error("internal: model has no parameter " + p.name);
        const_cast<torch::Tensor*>(dst)->copy_(it->second.to(torch::kFloat32));
    }
    m_hasFc = fileHasFc;
    refold();
}

} // namespace featscale::analysis
