// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/model/internal/vgg16.h"
#include "analysis/model/layer_catalog.h"
#include "analysis/weights/internal/canonical.h"

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
constexpr Layer kConfigD[] = {{64, "conv1_1"},  {64, "conv1_2"},  {0, "pool1"},    {128, "conv2_1"},
                              {128, "conv2_2"}, {0, "pool2"},     {256, "conv3_1"}, {256, "conv3_2"},
                              {256, "conv3_3"}, {0, "pool3"},     {512, "conv4_1"}, {512, "conv4_2"},
                              {512, "conv4_3"}, {0, "pool4"},     {512, "conv5_1"}, {512, "conv5_2"},
                              {512, "conv5_3"}, {0, "pool5"}};

// ssd.pytorch's extras: (in, out, kernel, stride, padding); odd entries are the SSD sources.
struct Extra {
    int in, out, k, s, p;
    const char* tap;
};
constexpr Extra kExtras[] = {{1024, 256, 1, 1, 0, nullptr}, {256, 512, 3, 2, 1, "conv8_2"},
                             {512, 128, 1, 1, 0, nullptr},  {128, 256, 3, 2, 1, "conv9_2"},
                             {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 1, 0, "conv10_2"},
                             {256, 128, 1, 1, 0, nullptr},  {128, 256, 3, 1, 0, "conv11_2"}};

std::mutex gSeedMutex; // the default generator is process-wide

} // namespace

Vgg16Impl::Vgg16Impl(Arch arch, bool withExtras)
    : m_arch(arch), m_withExtras(withExtras && arch == Arch::Vgg16Reduced)
{
    // Every Conv2d below initialises itself from the process-wide generator: a model built on
    // another thread while initDefault runs would shift the seeded sequence and give different
    // "default" weights (the GUI builds engines for several runs at once).
    std::lock_guard<std::mutex> lock(gSeedMutex);
    // Registered as torchvision registers them, so parameter names match its state dicts: ReLU and
    // pooling are entries of `features` too, which keeps the indices (features.28 = conv5_3).
    m_features = nn::Sequential();
    auto addConv = [&](nn::Sequential& seq, int in, int out, int kernel, int stride, int padding, int dilation) {
        nn::Conv2d conv(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).dilation(dilation));
        seq->push_back(conv);
        NetOp op{NetOp::Conv};
        op.stride = stride;
        op.padding = padding;
        op.dilation = dilation;
        op.kernel = kernel;
        op.conv = conv;
        m_net.push_back(std::move(op));
    };
    auto addRelu = [&](nn::Sequential* seq, const char* tap) {
        if (seq)
            (*seq)->push_back(nn::Functional(torch::relu));
        NetOp op{NetOp::Relu};
        op.tap = tap ? tap : "";
        m_net.push_back(std::move(op));
    };
    int in = 3, pools = 0;
    for (const auto& l : kConfigD) {
        if (l.channels == 0) {
            ++pools;
            nn::MaxPool2dOptions opts(2);
            opts.stride(2);
            if (arch == Arch::Vgg16Reduced && pools == 3)
                opts.ceil_mode(true); // SSD: 75 -> 38 at 300 px, as in the paper
            if (arch == Arch::Vgg16Reduced && pools == 5)
                opts = nn::MaxPool2dOptions(3).stride(1).padding(1);
            nn::MaxPool2d pool(opts);
            m_features->push_back(pool);
            NetOp op{NetOp::Pool};
            op.tap = l.tap;
            op.pool = pool;
            m_net.push_back(std::move(op));
            continue;
        }
        addConv(m_features, in, l.channels, 3, /*stride=*/1, /*padding=*/1, /*dilation=*/1);
        addRelu(&m_features, l.tap);
        in = l.channels;
    }
    if (arch == Arch::Vgg16Reduced) {
        addConv(m_features, 512, 1024, 3, /*stride=*/1, /*padding=*/6, /*dilation=*/6); // fc6
        addRelu(&m_features, "fc6");
        addConv(m_features, 1024, 1024, 1, /*stride=*/1, /*padding=*/0, /*dilation=*/1); // fc7
        addRelu(&m_features, "fc7");
    }
    register_module("features", m_features);
    if (arch == Arch::Vgg16) {
        m_classifier = nn::Sequential(nn::Linear(512 * 7 * 7, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 1000));
        register_module("classifier", m_classifier);
        for (const int index : {0, 3}) {
            NetOp op{NetOp::Fc};
            op.tap = index == 0 ? "fc6" : "fc7";
            op.kernel = index == 0 ? 7 : 1;
            op.linear = nn::Linear(std::dynamic_pointer_cast<nn::LinearImpl>(m_classifier->ptr(index)));
            m_net.push_back(std::move(op));
        }
    }
    if (m_withExtras) {
        m_extras = nn::Sequential();
        for (const auto& e : kExtras) {
            addConv(m_extras, e.in, e.out, e.k, e.s, e.p, /*dilation=*/1);
            addRelu(nullptr, e.tap); // ssd.pytorch applies F.relu after every extra layer
        }
        register_module("extras", m_extras);
    }
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

std::map<std::string, torch::Tensor> Vgg16Impl::forward(const torch::Tensor& input, const std::vector<std::string>& taps,
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
        }
    }
    m_hasFc = true;
}

void Vgg16Impl::loadCanonical(const std::map<std::string, torch::Tensor>& params, const std::string& source)
{
    dropPacked();
    torch::NoGradGuard noGrad;
    const auto own = named_parameters(/*recurse=*/true);
    const bool fileHasFc = m_arch != Arch::Vgg16 || params.count("classifier.0.weight") > 0;
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
}

} // namespace featscale::analysis
