// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/state_dict_walk.h"
#include "analysis/core/file_names.h"

namespace featscale::analysis::weights {
namespace {

using pickle::Kind;
using pickle::Value;

// Entries under which training scripts commonly store the state dict, in order of preference
// ("weight": yxlijun/S3FD.pytorch saves {'weight': state_dict, 'epoch': N}).
constexpr const char* kWrapperKeys[] = {"state_dict", "model_state_dict", "model", "net", "network", "weight"};
constexpr int kMaxWrapDepth = 4;
constexpr std::size_t kMaxListedKeys = 12;

std::string keyText(const Value* key)
{
    if (key->isString())
        return "'" + key->s.substr(0, 60) + "'";
    if (key->kind == Kind::Int)
        return std::to_string(key->i);
    return std::string("<") + pickle::kindName(key->kind) + ">";
}

// "'epoch' (int), 'optimizer' (dict)": the keys of a dict, optionally without tensors or one key.
std::string listKeys(const Value* dict, bool skipTensors = false, const std::string& except = {})
{
    std::string out;
    std::size_t listed = 0;
    std::size_t total = 0;
    for (std::size_t k = 0; k < dict->items.size(); k += 2) {
        const Value* key = dict->items[k];
        if ((skipTensors && dict->items[k + 1]->kind == Kind::Tensor) ||
            (!except.empty() && key->isString() && key->s == except))
            continue;
        ++total;
        if (listed++ < kMaxListedKeys)
            out += (out.empty() ? "" : ", ") + keyText(dict->items[k]) + " (" +
                   pickle::kindName(dict->items[k + 1]->kind) + ")";
    }
    if (total > kMaxListedKeys)
        out += ", ... (" + std::to_string(total) + " in all)";
    return out.empty() ? "none" : out;
}

bool containsTensors(const Value* dict)
{
    for (std::size_t k = 1; k < dict->items.size(); k += 2)
        if (dict->items[k]->kind == Kind::Tensor)
            return true;
    return false;
}

constexpr int kMaxModuleDepth = 64;

void walkModule(const Value* object, const std::string& prefix, int depth, std::set<const Value*>& seen,
                std::vector<FoundTensor>& out, std::vector<std::string>& warnings, const std::string& path)
{
    if (depth > kMaxModuleDepth)
        throw Error(path + ": TorchScript modules nested deeper than " + std::to_string(kMaxModuleDepth));
    if (!seen.insert(object).second)
        return;
    if (object->i == 1)
        warnings.push_back("module " + (prefix.empty() ? std::string("(root)") : prefix.substr(0, prefix.size() - 1)) +
                           " (" + object->s.substr(0, 100) +
                           ") keeps its state in a custom __setstate__, "
                           "which is never run: its tensors were not read");
    for (std::size_t k = 0; k + 1 < object->items.size(); k += 2) {
        const Value* key = object->items[k];
        const Value* value = object->items[k + 1];
        if (!key->isString())
            continue;
        if (value->kind == Kind::Tensor && seen.insert(value).second)
            out.push_back({prefix + key->s, value->tensor.get()});
        else if (value->kind == Kind::Object)
            walkModule(value, prefix + key->s + ".", depth + 1, seen, out, warnings, path);
    }
}

} // namespace

std::vector<FoundTensor> findModuleTensors(const Value* root, const std::string& path,
                                           std::vector<std::string>& warnings)
{
    if (root->kind != Kind::Object)
        throw Error(path + ": the TorchScript archive's data.pkl holds a " + pickle::kindName(root->kind) +
                    ", not a module");
    std::vector<FoundTensor> out;
    std::set<const Value*> seen;
    walkModule(root, "", 0, seen, out, warnings, path);
    if (out.empty())
        throw Error(path + ": the TorchScript module (" + root->s.substr(0, 100) + ") holds no tensors" +
                    (warnings.empty() ? "" : "; " + warnings.front()));
    return out;
}

std::vector<FoundTensor> findStateDict(const Value* root, const std::string& path, std::vector<std::string>& warnings)
{
    if (root->kind == Kind::Tensor)
        return {{"tensor", root->tensor.get()}};
    const Value* v = root;
    std::string route;
    for (int depth = 0; depth <= kMaxWrapDepth; ++depth) {
        if (v->kind != Kind::Dict)
            throw Error(path + ": the pickled object" + (route.empty() ? "" : " under " + route) + " is a " +
                        pickle::kindName(v->kind) + ", not a state dict");
        const Value* inner = nullptr;
        std::string innerKey;
        for (const char* key : kWrapperKeys) {
            const Value* candidate = v->dictGet(key);
            if (candidate && candidate->kind == Kind::Dict) {
                inner = candidate;
                innerKey = key;
                break;
            }
        }
        if (inner) {
            route += "['" + innerKey + "']";
            warnings.push_back("state dict read from checkpoint entry " + route +
                               (v->dictSize() > 1 ? "; other entries ignored: " + listKeys(v, false, innerKey) : ""));
            v = inner;
            continue;
        }
        if (!containsTensors(v))
            break;
        std::vector<FoundTensor> out;
        std::size_t skipped = 0;
        for (std::size_t k = 0; k < v->items.size(); k += 2) {
            const Value* key = v->items[k];
            const Value* value = v->items[k + 1];
            if (value->kind == Kind::Tensor && key->isString())
                out.push_back({key->s, value->tensor.get()});
            else
                ++skipped;
        }
        if (skipped)
            warnings.push_back(std::to_string(skipped) +
                               " non-tensor entries ignored: " + listKeys(v, /*skipTensors=*/true));
        return out;
    }
    throw Error(path + ": no state dict found (no tensors" + (route.empty() ? "" : " under " + route) +
                ", and no 'state_dict', 'model_state_dict', 'model', 'net' or 'weight' entry); keys: " + listKeys(v));
}

ParsedTensors resolveTensors(const std::vector<FoundTensor>& found, const StorageLookup& lookup,
                             const std::string& path)
{
    ParsedTensors parsed;
    for (const FoundTensor& f : found) {
        const pickle::StorageInfo& s = *f.tensor->storage->storage;
        const std::size_t es = elementSize(s.dtype);
        const ByteView root = lookup(s);
        if (s.rootNumel > root.size / es)
            throw Error(path + ": storage " + excerpt(s.key) + " holds " + std::to_string(root.size) +
                        " bytes but the pickle claims " + std::to_string(s.rootNumel) + " " + dtypeName(s.dtype) +
                        " elements");
        TensorSource t;
        t.name = f.name;
        t.dtype = s.dtype;
        t.sizes = f.tensor->sizes;
        t.strides = f.tensor->strides;
        t.offset = f.tensor->offset;
        t.storage = {root.data + s.viewOffset * es, static_cast<std::size_t>(s.numel) * es};
        const std::int64_t extent = viewExtent(t.sizes, t.strides, t.offset, path + ": tensor " + f.name);
        if (static_cast<std::uint64_t>(extent) > s.numel)
            throw Error(path + ": tensor " + excerpt(f.name) + " reaches element " + std::to_string(extent) +
                        " of storage " + excerpt(s.key) + ", which has " + std::to_string(s.numel));
        parsed.tensors.push_back(std::move(t));
    }
    return parsed;
}

} // namespace featscale::analysis::weights
