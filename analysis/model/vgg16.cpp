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
    m_features = nn::Sequential();
    int in = 3, index = 0, pools = 0;
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
            m_ops.push_back({Op::Pool, index++, l.tap, 0, 1, nullptr, pool});
            continue;
        }
        nn::Conv2d conv(nn::Conv2dOptions(in, l.channels, 3).padding(1));
        m_features->push_back(conv);
        m_ops.push_back({Op::Conv, index++, "", /*padding=*/1, /*dilation=*/1, conv, nullptr});
        m_features->push_back(nn::Functional(torch::relu));
        m_ops.push_back({Op::Relu, index++, l.tap, 0, 1, nullptr, nullptr});
        in = l.channels;
    }
    if (arch == Arch::Vgg16Reduced) {
        nn::Conv2d fc6(nn::Conv2dOptions(512, 1024, 3).padding(6).dilation(6));
        m_features->push_back(fc6);
        m_ops.push_back({Op::Conv, index++, "", /*padding=*/6, /*dilation=*/6, fc6, nullptr});
        m_features->push_back(nn::Functional(torch::relu));
        m_ops.push_back({Op::Relu, index++, "fc6", 0, 1, nullptr, nullptr});
        nn::Conv2d fc7(nn::Conv2dOptions(1024, 1024, 1));
        m_features->push_back(fc7);
        m_ops.push_back({Op::Conv, index++, "", /*padding=*/0, /*dilation=*/1, fc7, nullptr});
        m_features->push_back(nn::Functional(torch::relu));
        m_ops.push_back({Op::Relu, index++, "fc7", 0, 1, nullptr, nullptr});
    }
    register_module("features", m_features);
    if (arch == Arch::Vgg16) {
        m_classifier = nn::Sequential(nn::Linear(512 * 7 * 7, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 4096), nn::Functional(torch::relu), nn::Dropout(0.5),
                                      nn::Linear(4096, 1000));
        register_module("classifier", m_classifier);
    }
    if (m_withExtras) {
        m_extrasSeq = nn::Sequential();
        for (const auto& e : kExtras) {
            nn::Conv2d conv(nn::Conv2dOptions(e.in, e.out, e.k).stride(e.s).padding(e.p));
            m_extrasSeq->push_back(conv);
            m_extras.push_back(conv);
        }
        register_module("extras", m_extrasSeq);
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

torch::Tensor Vgg16Impl::fc6Conv(const torch::Tensor& pool5In)
{
    torch::Tensor pool5 = pool5In;
    if (pool5.size(2) < 7 || pool5.size(3) < 7)
        pool5 = torch::adaptive_avg_pool2d(pool5, {7, 7});
    auto* fc6 = m_classifier[0]->as<nn::Linear>();
    const auto w = fc6->weight.view({4096, 512, 7, 7});
    return torch::relu(torch::conv2d(pool5, w, fc6->bias));
}

std::map<std::string, torch::Tensor> Vgg16Impl::forward(const torch::Tensor& input, const std::vector<std::string>& taps,
                                                        const std::function<bool()>& keepGoing)
{
    const int deepest = deepestTap(taps);
    auto wanted = [&](const std::string& name) { return std::find(taps.begin(), taps.end(), name) != taps.end(); };
    auto check = [&] {
        if (keepGoing && !keepGoing())
            throw Cancelled();
    };
    if (!torch::GradMode::is_enabled() && at::hasMKLDNN() && input.device().is_cpu() &&
        input.scalar_type() == torch::kFloat32 && input.dim() == 4 && input.size(0) == 1)
        return forwardBlocked(input, taps, deepest, check);

    std::map<std::string, torch::Tensor> out;
    torch::Tensor x = input;
    int depth = 0;
    for (auto& op : m_ops) {
        if (depth > deepest)
            break;
        switch (op.kind) {
        case Op::Conv: x = op.conv->forward(x); break;
        case Op::Relu: x = torch::relu_(x); break;
        case Op::Pool: x = op.pool->forward(x); break;
        }
        if (!op.tap.empty()) {
            if (wanted(op.tap))
                out[op.tap] = x;
            ++depth;
            check();
        }
    }
    if (m_arch == Arch::Vgg16 && depth <= deepest) {
        x = fc6Conv(x);
        if (wanted("fc6"))
            out["fc6"] = x;
        ++depth;
        if (depth <= deepest) {
            check();
            auto* fc7 = m_classifier[3]->as<nn::Linear>();
            x = torch::relu(torch::conv2d(x, fc7->weight.view({4096, 4096, 1, 1}), fc7->bias));
            if (wanted("fc7"))
                out["fc7"] = x;
            ++depth;
        }
    }
    if (m_withExtras && depth <= deepest) {
        for (std::size_t i = 0; i < m_extras.size() && depth <= deepest; ++i) {
            x = torch::relu(m_extras[i]->forward(x));
            if (kExtras[i].tap) {
                if (wanted(kExtras[i].tap))
                    out[kExtras[i].tap] = x;
                ++depth;
                check();
            }
        }
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

void Vgg16Impl::packWeights()
{
    m_packed.clear();
    for (const auto& op : m_ops)
        if (op.kind == Op::Conv)
            m_packed.push_back(at::mkldnn_reorder_conv2d_weight(op.conv->weight.detach().to_mkldnn(), {op.padding, op.padding},
                                                                {1, 1}, {op.dilation, op.dilation}, /*groups=*/1));
    for (std::size_t i = 0; i < m_extras.size(); ++i)
        m_packed.push_back(at::mkldnn_reorder_conv2d_weight(m_extras[i]->weight.detach().to_mkldnn(), {kExtras[i].p, kExtras[i].p},
                                                            {kExtras[i].s, kExtras[i].s}, {1, 1}, /*groups=*/1));
}

std::map<std::string, torch::Tensor> Vgg16Impl::forwardBlocked(const torch::Tensor& input,
                                                               const std::vector<std::string>& taps, int deepest,
                                                               const std::function<void()>& check)
{
    if (m_packed.empty())
        packWeights();
    auto wanted = [&](const std::string& name) { return std::find(taps.begin(), taps.end(), name) != taps.end(); };
    std::map<std::string, torch::Tensor> out;
    // A tapped activation leaves the blocked layout once; the network continues on the blocked copy.
    auto tap = [&](const std::string& name, const torch::Tensor& x) {
        if (wanted(name))
            out[name] = x.to_dense();
    };
    torch::Tensor x = input.contiguous().to_mkldnn();
    int depth = 0;
    std::size_t conv = 0;
    for (const auto& op : m_ops) {
        if (depth > deepest)
            break;
        switch (op.kind) {
        case Op::Conv:
            x = at::mkldnn_convolution(x, m_packed[conv++], op.conv->bias.detach(), {op.padding, op.padding}, {1, 1},
                                       {op.dilation, op.dilation}, /*groups=*/1);
            break;
        case Op::Relu: x = at::relu_(x); break;
        case Op::Pool: {
            const auto& o = op.pool->options;
            x = at::mkldnn_max_pool2d(x, o.kernel_size(), o.stride(), o.padding(), o.dilation(), o.ceil_mode());
            break;
        }
        }
        if (!op.tap.empty()) {
            tap(op.tap, x);
            ++depth;
            check();
        }
    }
    if (m_arch == Arch::Vgg16 && depth <= deepest) {
        const auto pool5 = out.count("pool5") ? out.at("pool5") : x.to_dense();
        const bool withFc7 = depth + 1 <= deepest;
        auto fc = fcMatmul(pool5, withFc7);
        if (wanted("fc6"))
            out["fc6"] = fc.first;
        if (withFc7 && wanted("fc7"))
            out["fc7"] = fc.second;
        depth += withFc7 ? 2 : 1;
        check();
    }
    if (m_withExtras && depth <= deepest) {
        for (std::size_t i = 0; i < m_extras.size() && depth <= deepest; ++i) {
            const auto& e = kExtras[i];
            x = at::mkldnn_convolution(x, m_packed[conv + i], m_extras[i]->bias.detach(), {e.p, e.p}, {e.s, e.s},
                                       {1, 1}, /*groups=*/1);
            x.relu_();
            if (e.tap) {
                tap(e.tap, x);
                ++depth;
                check();
            }
        }
    }
    return out;
}

std::pair<torch::Tensor, torch::Tensor> Vgg16Impl::fcMatmul(const torch::Tensor& pool5In, bool withFc7)
{
    torch::Tensor pool5 = pool5In;
    if (pool5.size(2) < 7 || pool5.size(3) < 7)
        pool5 = torch::adaptive_avg_pool2d(pool5, {7, 7});
    const auto oh = pool5.size(2) - 6, ow = pool5.size(3) - 6;
    // The 7x7 windows of pool5 as columns, rows ordered (channel, y, x) like the Linear weight's
    // inputs: fc6 at every position is then one product with the weight as stored (row-major
    // 4096 x 25088), which the BLAS streams once, instead of a convolution that would first
    // reorder all 411 MB of it.
    const auto columns = at::im2col(pool5, {7, 7}, {1, 1}, {0, 0}, {1, 1})[0];
    auto* fc6 = m_classifier[0]->as<nn::Linear>();
    auto y6 = at::addmm(fc6->bias.detach().unsqueeze(1), fc6->weight.detach(), columns).relu_();
    torch::Tensor y7;
    if (withFc7) {
        auto* fc7 = m_classifier[3]->as<nn::Linear>();
        y7 = at::addmm(fc7->bias.detach().unsqueeze(1), fc7->weight.detach(), y6).relu_().view({1, 4096, oh, ow});
    }
    return {y6.view({1, 4096, oh, ow}), y7};
}

void Vgg16Impl::initDefault(std::uint64_t seed)
{
    m_packed.clear();
    m_winograd.clear();
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
    m_packed.clear();
    m_winograd.clear();
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
