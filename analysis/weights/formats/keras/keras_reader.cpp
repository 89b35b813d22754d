// SPDX-License-Identifier: GPL-3.0-or-later
// Keras VGG16 weight files (keras.applications' vgg16_weights_tf_dim_ordering_tf_kernels[_notop].h5,
// or a model saved with model.save / save_weights). Read with libhdf5. Datasets are found by walking
// the file, so both path layouts work, with or without a model_weights/ group:
//   Keras 1: block1_conv1/block1_conv1_W_1:0, .../block1_conv1_b_1:0
//   Keras 2: block1_conv1/block1_conv1/kernel:0, .../bias:0
// Keras stores convolution kernels HWIO (TensorFlow) and Dense kernels as in x out; fc1's inputs
// are the flattened pool5 in (h, w, c) order. torch wants OIHW and out x in with (c, h, w) inputs.
// SSD ports (pierluigiferrari/ssd_keras) name the layers as Caffe's SSD does: conv1_1 ... conv5_3,
// fc6 and fc7 as convolutions, conv6_1 ... conv10_2, and an L2Normalization layer conv4_3_norm whose
// one weight, conv4_3_norm_gamma:0, is conv4_3's learned gamma.
#include "analysis/weights/bytes/internal/file_bytes.h"
#include "analysis/weights/formats/internal/reader_errors.h"
#include "analysis/weights/internal/state_dict.h"
#include "analysis/weights/layouts/internal/canonical.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace featscale::analysis::weights {
namespace {

// A file with more objects than this is not a VGG16 weight file (Keras writes about 50).
constexpr std::size_t kMaxLinks = 100000;
// zlib's deflate cannot compress better than about 1032:1; a filtered dataset that claims more
// than this many bytes per stored byte cannot be honest.
constexpr std::uint64_t kMaxCompressionRatio = 1100;

/// Closes an HDF5 handle with the matching function when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : m_id(id), m_close(close) { }
    ~Handle()
    {
        if (m_id >= 0)
            m_close(m_id);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }

private:
    hid_t m_id;
    herr_t (*m_close)(hid_t);
};

struct KerasLayer {
    const char* keras; // e.g. "block4_conv3"
    const char* caffe; // e.g. "conv4_3" (the canonical table's layer name)
};

constexpr KerasLayer kConvLayers[] = {
    {"block1_conv1", "conv1_1"}, {"block1_conv2", "conv1_2"}, {"block2_conv1", "conv2_1"}, {"block2_conv2", "conv2_2"},
    {"block3_conv1", "conv3_1"}, {"block3_conv2", "conv3_2"}, {"block3_conv3", "conv3_3"}, {"block4_conv1", "conv4_1"},
    {"block4_conv2", "conv4_2"}, {"block4_conv3", "conv4_3"}, {"block5_conv1", "conv5_1"}, {"block5_conv2", "conv5_2"},
    {"block5_conv3", "conv5_3"}};
constexpr KerasLayer kDenseLayers[] = {{"fc1", "fc6"}, {"fc2", "fc7"}, {"predictions", "fc8"}};
// ssd_keras: the VGG16 convolutions under their Caffe names, the reduced fc6/fc7, and the extra
// layers in the order of the canonical extras.N (SSD300 has the first 8, SSD512 all 10).
constexpr const char* kSsdExtras[] = {"conv6_1", "conv6_2", "conv7_1", "conv7_2",  "conv8_1",
                                      "conv8_2", "conv9_1", "conv9_2", "conv10_1", "conv10_2"};

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// 'W' for a kernel, 'b' for a bias, 'g' for an L2Normalization gamma, 0 for anything else. Keras 1 names them
/// <layer>_W[_n]:0 and <layer>_b[_n]:0, Keras 2 kernel:0 and bias:0.
char datasetKind(std::string leaf)
{
    if (leaf == "kernel:0" || leaf == "kernel")
        return 'W';
    if (leaf == "bias:0" || leaf == "bias")
        return 'b';
    if (leaf == "gamma:0" || leaf == "gamma" || endsWith(leaf, "_gamma:0") || endsWith(leaf, "_gamma"))
        return 'g';
    if (endsWith(leaf, ":0"))
        leaf.resize(leaf.size() - 2);
    // strip a _<digits> suffix (the session counter Keras 1 appended)
    std::size_t end = leaf.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(leaf[end - 1])))
        --end;
    if (end < leaf.size() && end > 0 && leaf[end - 1] == '_')
        leaf.resize(end - 1);
    if (endsWith(leaf, "_W"))
        return 'W';
    if (endsWith(leaf, "_b"))
        return 'b';
    return 0;
}

struct Found {
    std::map<std::string, std::string> paths; // "<keras layer>/W" -> dataset path
    std::set<std::string> ignored;            // layers holding datasets that are none of the above
    std::size_t links = 0;
    std::string error;
};

bool isCaffeTap(const std::string& name)
{
    for (const auto& l : kConvLayers)
        if (name == l.caffe)
            return true;
    return name == "fc7";
}

/// Whether a group named `name` holds weights featscale reads, for a dataset of this kind.
bool knownLayer(const std::string& name, char kind)
{
    if (kind == 'g')
        return endsWith(name, "_norm") && isCaffeTap(name.substr(0, name.size() - 5));
    for (const auto& l : kConvLayers)
        if (name == l.keras || name == l.caffe)
            return true;
    for (const auto& l : kDenseLayers)
        if (name == l.keras)
            return true;
    for (const char* e : kSsdExtras)
        if (name == e)
            return true;
    return name == "fc6" || name == "fc7";
}

herr_t visitLink(hid_t group, const char* name, const H5L_info_t* info, void* data)
{
    auto* found = static_cast<Found*>(data);
    if (++found->links > kMaxLinks) {
        found->error = "more than " + std::to_string(kMaxLinks) + " objects; not a VGG16 weight file";
        return 1;
    }
    if (info->type != H5L_TYPE_HARD)
        return 0; // soft/external links could point anywhere: never followed
    const std::string path = name;
    if (path.rfind("optimizer_weights", 0) == 0)
        return 0;
    Handle obj(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
    if (!obj.valid() || H5Iget_type(obj.get()) != H5I_DATASET)
        return 0;
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= path.size();) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    const char kind = datasetKind(parts.back());
    for (std::size_t i = 0; kind && i + 1 < parts.size(); ++i) {
        if (!knownLayer(parts[i], kind))
            continue;
        const std::string key = parts[i] + "/" + kind;
        if (found->paths.count(key)) {
            found->error = "two datasets for " + key + ": " + found->paths[key] + " and " + path;
            return 1;
        }
        found->paths[key] = path;
        return 0;
    }
    // Detection heads and the like: named in a warning (a few hundred at most are remembered).
    const std::size_t layer = parts.size() > 2 && parts[0] == "model_weights" ? 1 : 0;
    if (layer + 1 < parts.size() && found->ignored.size() < 200)
        found->ignored.insert(parts[layer]);
    return 0;
}

/// The dimensions of an open dataset, from its header alone; nullopt for an unreadable or absurd rank.
std::optional<std::vector<std::int64_t>> dimensionsOf(hid_t dataset)
{
    Handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0 || rank > 4)
        return std::nullopt;
    std::array<hsize_t, 4> dims{};
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return std::vector<std::int64_t>(dims.begin(), dims.begin() + rank);
}

/// The dimensions of the dataset at path (empty when it cannot be opened or read).
std::vector<std::int64_t> datasetShape(hid_t file, const std::string& path)
{
    Handle ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        return {};
    return dimensionsOf(ds.get()).value_or(std::vector<std::int64_t>{});
}

/// Reads one dataset as float32 after checking its type, shape and that its size is justified by
/// the bytes it really occupies in the file.
torch::Tensor readDataset(hid_t file, const std::string& path, const std::vector<std::int64_t>& expected,
                          std::uintmax_t fileSize, const std::string& what)
{
    Handle ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        throw Error("cannot open dataset " + path);
    Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_FLOAT)
        throw Error(what + " (" + path + ") is not floating point");
    const std::size_t fileElem = H5Tget_size(type.get());
    const auto dims = dimensionsOf(ds.get());
    if (!dims)
        throw Error(what + " (" + path + ") has an unreadable or absurd rank");
    const std::vector<std::int64_t>& shape = *dims;
    bool ok = shape.size() == expected.size();
    for (std::size_t i = 0; ok && i < shape.size(); ++i)
        ok = shape[i] == expected[i];
    if (!ok) {
        std::string hint;
        if (shape.size() == 4 && expected.size() == 4 && shape[0] == expected[3] && shape[2] == expected[0])
            hint = " (Theano dim ordering? use the tf_dim_ordering_tf_kernels file)";
        throw Error("shape mismatch for " + what + ": expected " + shapeString(expected) + ", found " +
                    shapeString(shape) + hint);
    }
    std::uint64_t n = 1;
    for (auto d : shape)
        n *= static_cast<std::uint64_t>(d);

    Handle dcpl(H5Dget_create_plist(ds.get()), H5Pclose);
    if (!dcpl.valid())
        throw Error("cannot read the storage properties of " + path);
    const H5D_layout_t layout = H5Pget_layout(dcpl.get());
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
        throw Error(what + " (" + path + ") uses virtual storage, which is not supported");
    if (H5Pget_external_count(dcpl.get()) != 0)
        throw Error(what + " (" + path +
                    ") keeps its data in an external file; featscale never follows "
                    "paths written in a weight file");
    const std::uint64_t stored = H5Dget_storage_size(ds.get());
    const std::uint64_t logical = n * fileElem;
    const bool filtered = H5Pget_nfilters(dcpl.get()) > 0;
    if (stored > fileSize || (!filtered && stored < logical) || (filtered && logical > stored * kMaxCompressionRatio))
        throw Error(what + " (" + path + ") claims " + std::to_string(logical) + " bytes but stores " +
                    std::to_string(stored));

    torch::Tensor t = torch::empty(shape, torch::kFloat32);
    if (n > 0 && H5Dread(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.data_ptr<float>()) < 0)
        throw Error("cannot read " + what + " (" + path + "): corrupt or truncated data");
    return t;
}

} // namespace

RawTensors readKerasH5(const std::string& path)
{
    // The file is read once and libhdf5 opens that image in memory (without a copy): the bytes
    // parsed are the bytes hashed, and a file truncated during the load is reported, not read past.
    const FileBytes bytes(path);
    const std::uintmax_t fileSize = bytes.data().size();
    // libhdf5 prints its error stack to stderr by default; errors are reported through Error instead.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    Handle file(H5LTopen_file_image(const_cast<std::uint8_t*>(bytes.data().data()), bytes.data().size(),
                                    H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE),
                H5Fclose);
    if (!file.valid())
        throw Error(path + ": not a readable HDF5 file (truncated or corrupt?)");

    Found found;
    if (H5Lvisit(file.get(), H5_INDEX_NAME, H5_ITER_INC, visitLink, &found) < 0 && found.error.empty())
        found.error = "cannot list the file's contents (truncated or corrupt?)";
    if (!found.error.empty())
        throw Error(path + ": " + found.error);

    RawTensors out;
    out.format = "keras-h5";
    out.sha256 = bytes.sha256();
    rethrowWithFile(path, "Keras file", [&] {
        const auto table = canonicalParams(Arch::Vgg16);
        std::map<std::string, std::string> prefixOf; // Caffe layer -> canonical prefix
        for (const auto& p : table)
            prefixOf[p.layer] = p.name.substr(0, p.name.rfind('.'));
        std::map<std::string, std::vector<std::int64_t>> shapeOf;
        for (const auto& p : table)
            shapeOf[p.name] = p.shape;

        auto get = [&](const std::string& keras, char kind, const std::vector<std::int64_t>& expected) {
            auto it = found.paths.find(keras + "/" + kind);
            if (it == found.paths.end())
                return torch::Tensor();
            return readDataset(file.get(), it->second, expected, fileSize, keras + (kind == 'W' ? " kernel" : " bias"));
        };
        if (!found.ignored.empty()) {
            std::string list;
            for (const auto& name : found.ignored)
                list += (list.empty() ? "" : ", ") + name;
            out.warnings.push_back("ignored Keras layers that are not part of the VGG16 backbone and its extra "
                                   "layers (detection heads and the like): " +
                                   list);
        }
        // ssd_keras: Caffe's layer names. Its learned gammas are read first: small, and a wrong one
        // is reported before megabytes of kernels are read.
        if (found.paths.count("conv1_1/W") || found.paths.count("conv4_3_norm/g")) {
            for (const auto& [key, dataset] : found.paths) {
                if (key.back() != 'g')
                    continue;
                const std::string group = key.substr(0, key.size() - 2);
                const std::string tap = group.substr(0, group.size() - 5);
                const std::int64_t channels = tap == "fc7" ? 1024 : shapeOf[prefixOf[tap] + ".bias"][0];
                const auto shape = datasetShape(file.get(), dataset);
                if (shape != std::vector<std::int64_t>{channels})
                    throw Error(group + " gamma (" + dataset + "): expected " + std::to_string(channels) + " values (" +
                                tap + "'s channels), found " + shapeString(shape));
                out.tensors.emplace_back(gammaName(tap),
                                         readDataset(file.get(), dataset, {channels}, fileSize, group + " gamma"));
            }
            auto conv = [&](const std::string& keras, const std::string& what, const std::string& prefix,
                            const std::vector<std::int64_t>& oihw) {
                torch::Tensor w = get(keras, 'W', {oihw[2], oihw[3], oihw[1], oihw[0]});
                torch::Tensor b = get(keras, 'b', {oihw[0]});
                if (!w.defined() || !b.defined())
                    throw Error("no " + std::string(w.defined() ? "bias" : "kernel") + " for " + what);
                out.tensors.emplace_back(prefix + ".weight", w.permute({3, 2, 0, 1}).contiguous());
                out.tensors.emplace_back(prefix + ".bias", b);
            };
            for (const auto& l : kConvLayers)
                conv(l.caffe, l.caffe, prefixOf[l.caffe], shapeOf[prefixOf[l.caffe] + ".weight"]);
            conv("fc6", "fc6", "features.31", {1024, 512, 3, 3});
            conv("fc7", "fc7", "features.33", {1024, 1024, 1, 1});
            const auto ssd512 = canonicalParams(Arch::Ssd512, /*withExtras=*/true);
            for (int i = 0; i < 10 && found.paths.count(std::string(kSsdExtras[i]) + "/W"); ++i) {
                const std::string prefix = "extras." + std::to_string(i);
                const auto it = std::find_if(ssd512.begin(), ssd512.end(),
                                             [&](const CanonicalParam& p) { return p.name == prefix + ".weight"; });
                conv(kSsdExtras[i], kSsdExtras[i], prefix, it->shape);
            }
            for (int i = 1; i < 10; ++i)
                if (found.paths.count(std::string(kSsdExtras[i]) + "/W") &&
                    !found.paths.count(std::string(kSsdExtras[i - 1]) + "/W"))
                    throw Error("extra layer " + std::string(kSsdExtras[i]) + " without " + kSsdExtras[i - 1] +
                                " (truncated or not an SSD file?)");
            return;
        }
        for (const auto& l : kConvLayers) {
            const std::string prefix = prefixOf[l.caffe];
            const auto& oihw = shapeOf[prefix + ".weight"];
            torch::Tensor w = get(l.keras, 'W', {oihw[2], oihw[3], oihw[1], oihw[0]});
            torch::Tensor b = get(l.keras, 'b', {oihw[0]});
            if (!w.defined())
                throw Error("no kernel for " + std::string(l.keras) + " (" + l.caffe + ")");
            if (!b.defined())
                throw Error("no bias for " + std::string(l.keras) + " (" + l.caffe + ")");
            out.tensors.emplace_back(prefix + ".weight", w.permute({3, 2, 0, 1}).contiguous());
            out.tensors.emplace_back(prefix + ".bias", b);
        }
        bool anyDense = false;
        for (const auto& l : kDenseLayers)
            anyDense = anyDense || found.paths.count(std::string(l.keras) + "/W");
        if (!anyDense) {
            out.warnings.push_back("no fully connected layers (an include_top=False '_notop' file): fc6, fc7 "
                                   "and fc8 are not available");
            return;
        }
        // fc1 sees pool5 (7x7x512) flattened in (h, w, c) order; torch flattens (c, h, w).
        torch::Tensor fc1 = get("fc1", 'W', {25088, 4096});
        torch::Tensor fc1b = get("fc1", 'b', {4096});
        torch::Tensor fc2 = get("fc2", 'W', {4096, 4096});
        torch::Tensor fc2b = get("fc2", 'b', {4096});
        if (!fc1.defined() || !fc1b.defined() || !fc2.defined() || !fc2b.defined())
            throw Error("incomplete classifier: fc1 and fc2 need a kernel and a bias each");
        out.tensors.emplace_back(
            "classifier.0.weight",
            fc1.reshape({7, 7, 512, 4096}).permute({3, 2, 0, 1}).reshape({4096, 25088}).contiguous());
        out.tensors.emplace_back("classifier.0.bias", fc1b);
        out.tensors.emplace_back("classifier.3.weight", fc2.t().contiguous());
        out.tensors.emplace_back("classifier.3.bias", fc2b);
        // fc8 is ImageNet's 1000-way classifier. A fine-tuned head of another width is not fc8 and
        // is left unread: its shape is taken from the dataset header before any data is read.
        auto kernel = found.paths.find("predictions/W");
        if (kernel == found.paths.end()) {
            out.warnings.push_back("no predictions layer: fc8 is not available");
            return;
        }
        const auto fc8Shape = datasetShape(file.get(), kernel->second);
        if (fc8Shape != std::vector<std::int64_t>{4096, 1000}) {
            out.warnings.push_back("predictions is " + shapeString(fc8Shape) +
                                   ", not ImageNet's 4096x1000 classifier: fc8 is not loaded (conv1_1 to fc7 are)");
            return;
        }
        torch::Tensor fc8 = get("predictions", 'W', {4096, 1000});
        torch::Tensor fc8b = get("predictions", 'b', {1000});
        if (!fc8b.defined())
            throw Error("predictions has a kernel but no bias");
        out.tensors.emplace_back("classifier.6.weight", fc8.t().contiguous());
        out.tensors.emplace_back("classifier.6.bias", fc8b);
    });
    return out;
}

} // namespace featscale::analysis::weights
