// SPDX-License-Identifier: GPL-3.0-or-later
// The unpickler's whitelist and its interpretation of torch's reconstruction calls. This is the
// security boundary of the PyTorch readers: globals are resolved only to inert names, and the few
// "calls" a state dict needs are interpreted here as data, with their arguments validated.
#include "analysis/weights/formats/pytorch/internal/unpickler.h"

#include "analysis/weights/formats/pytorch/internal/pickle_text.h"

namespace featscale::analysis::weights::pickle {
namespace {

constexpr const char* kOrderedDict = "collections.OrderedDict";
constexpr const char* kRebuildTensor = "torch._utils._rebuild_tensor";
constexpr const char* kRebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
constexpr const char* kRebuildParameter = "torch._utils._rebuild_parameter";
constexpr const char* kRebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

struct StorageClass {
    const char* name;
    DType dtype;
};
constexpr StorageClass kStorageClasses[] = {
    {"torch.FloatStorage", DType::Float32}, {"torch.DoubleStorage", DType::Float64},
    {"torch.HalfStorage", DType::Float16},  {"torch.BFloat16Storage", DType::BFloat16},
    {"torch.LongStorage", DType::Int64},    {"torch.IntStorage", DType::Int32},
    {"torch.ShortStorage", DType::Int16},   {"torch.CharStorage", DType::Int8},
    {"torch.ByteStorage", DType::UInt8},    {"torch.BoolStorage", DType::Bool},
};

const StorageClass* storageClass(const std::string& qualified)
{
    for (const auto& c : kStorageClasses)
        if (qualified == c.name)
            return &c;
    return nullptr;
}

// torch.jit.save wraps typed lists in these; each takes the list (and a type tag) and returns it.
bool isTorchScriptListBuilder(const std::string& q)
{
    return q == "torch.jit._pickle.build_intlist" || q == "torch.jit._pickle.build_doublelist" ||
           q == "torch.jit._pickle.build_boollist" || q == "torch.jit._pickle.build_tensorlist" ||
           q == "torch.jit._pickle.restore_type_tag";
}

bool isTorchScriptClass(const std::string& module)
{
    return module == "__torch__" || module.compare(0, 10, "__torch__.") == 0;
}

bool isWhitelisted(const std::string& q)
{
    return q == kOrderedDict || q == kRebuildTensor || q == kRebuildTensorV2 || q == kRebuildParameter ||
           q == kRebuildParameterWithState || storageClass(q) != nullptr;
}

} // namespace

Value* Unpickler::resolveGlobal(const std::string& module, const std::string& name)
{
    const std::string qualified = module + "." + name;
    const bool scripted = m_dialect == Dialect::TorchScript && isTorchScriptClass(module);
    const bool allowed = isWhitelisted(qualified) ||
                         (m_dialect == Dialect::TorchScript && isTorchScriptListBuilder(qualified));
    if (!scripted && !allowed)
        fail("refused to load: unknown global " + printableName(qualified) +
             " (a weight file may only contain tensors, storages and dicts; nothing in it is executed)");
    Value* v = make(Kind::Global);
    v->s = qualified;
    v->i = scripted ? 1 : 0;
    return v;
}

std::int64_t Unpickler::intArg(const Value* v, const char* what) const
{
    if (v->kind != Kind::Int && v->kind != Kind::Bool)
        fail(std::string(what) + " must be an int, found " + kindName(v->kind));
    return v->i;
}

std::vector<std::int64_t> Unpickler::intTuple(const Value* v, const char* what) const
{
    if (v->kind != Kind::Tuple && v->kind != Kind::List)
        fail(std::string(what) + " must be a tuple of ints, found " + kindName(v->kind));
    if (v->items.size() > m_limits.maxDims)
        fail(std::string(what) + " has " + std::to_string(v->items.size()) + " dimensions");
    std::vector<std::int64_t> out;
    for (const Value* item : v->items)
        out.push_back(intArg(item, what));
    return out;
}

Value* Unpickler::rebuildTensor(const Value* args, bool v2)
{
    // _rebuild_tensor(storage, offset, size, stride)
    // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
    const std::size_t n = args->items.size();
    if (args->kind != Kind::Tuple || (v2 ? (n < 6 || n > 7) : n != 4))
        fail(std::string("malformed call to ") + (v2 ? kRebuildTensorV2 : kRebuildTensor));
    const Value* storage = args->items[0];
    if (storage->kind != Kind::Storage)
        fail(std::string("tensor storage must be a persistent storage, found ") + kindName(storage->kind));
    Value* t = make(Kind::Tensor);
    t->tensor = std::make_unique<TensorInfo>();
    t->tensor->storage = storage;
    t->tensor->offset = intArg(args->items[1], "storage offset");
    t->tensor->sizes = intTuple(args->items[2], "tensor size");
    t->tensor->strides = intTuple(args->items[3], "tensor stride");
    const std::int64_t extent = viewExtent(t->tensor->sizes, t->tensor->strides, t->tensor->offset,
                                           m_in.what() + ": tensor on storage " + printableName(storage->storage->key));
    if (static_cast<std::uint64_t>(extent) > storage->storage->numel)
        fail("tensor view needs " + std::to_string(extent) + " elements but storage " +
             printableName(storage->storage->key) + " has " + std::to_string(storage->storage->numel));
    return t;
}

Value* Unpickler::reduce(const Value* callable, const Value* args)
{
    if (callable->kind != Kind::Global)
        fail(std::string("REDUCE on a ") + kindName(callable->kind) + "; only whitelisted globals are interpreted");
    if (args->kind != Kind::Tuple)
        fail("REDUCE arguments must be a tuple, found " + std::string(kindName(args->kind)));
    const std::string& g = callable->s;
    if (g == kOrderedDict) {
        Value* d = make(Kind::Dict);
        if (args->items.empty())
            return d;
        const Value* pairs = args->items[0];
        if (args->items.size() != 1 || (pairs->kind != Kind::List && pairs->kind != Kind::Tuple))
            fail("malformed call to collections.OrderedDict");
        charge(pairs->items.size(), "building an OrderedDict");
        for (Value* p : pairs->items) {
            if ((p->kind != Kind::Tuple && p->kind != Kind::List) || p->items.size() != 2)
                fail("collections.OrderedDict items must be pairs");
            setItem(d, p->items[0], p->items[1]);
        }
        return d;
    }
    if (g == kRebuildTensorV2 || g == kRebuildTensor)
        return rebuildTensor(args, g == kRebuildTensorV2);
    if (m_dialect == Dialect::TorchScript && isTorchScriptListBuilder(g)) {
        if (args->items.empty() || args->items.size() > 2 || args->items[0]->kind != Kind::List)
            fail("malformed call to " + g);
        return args->items[0];
    }
    if (g == kRebuildParameter || g == kRebuildParameterWithState) {
        // (data, requires_grad, backward_hooks[, state]): a Parameter is its data for our purposes.
        const std::size_t want = g == kRebuildParameter ? 3 : 4;
        if (args->items.size() != want || args->items[0]->kind != Kind::Tensor)
            fail("malformed call to " + g);
        return args->items[0];
    }
    fail("refused to call " + g + " (only tensor and dict reconstruction is interpreted)");
}

Value* Unpickler::persistentLoad(const Value* pid)
{
    // ('storage', torch.<T>Storage, key, location, numel)            torch.save zip archives
    // ('storage', torch.<T>Storage, key, location, numel, view)      legacy; view = None or
    //                                                                (view_key, offset, view_size)
    if (pid->kind != Kind::Tuple || pid->items.size() < 5 || pid->items.size() > 6 || !pid->items[0]->isString() ||
        pid->items[0]->s != "storage")
        fail("persistent id is not a torch storage reference");
    const Value* type = pid->items[1];
    const StorageClass* cls = type->kind == Kind::Global ? storageClass(type->s) : nullptr;
    if (!cls)
        fail("persistent storage type is not a torch storage class");
    const Value* keyValue = pid->items[2];
    std::string key;
    if (keyValue->isString())
        key = keyValue->s;
    else if (keyValue->kind == Kind::Int)
        key = std::to_string(keyValue->i);
    else
        fail("storage key must be a string");
    if (!pid->items[3]->isString())
        fail("storage location must be a string");
    const std::int64_t numel = intArg(pid->items[4], "storage size");
    if (numel < 0)
        fail("negative storage size " + std::to_string(numel));

    auto it = m_storages.find(key);
    if (it != m_storages.end()) {
        const StorageInfo& known = *it->second->storage;
        if (known.dtype != cls->dtype || known.rootNumel != static_cast<std::uint64_t>(numel))
            fail("storage " + printableName(key) + " is declared twice with different types or sizes");
    }
    Value* v = make(Kind::Storage);
    v->storage = std::make_unique<StorageInfo>();
    v->storage->key = key;
    v->storage->dtype = cls->dtype;
    v->storage->numel = static_cast<std::uint64_t>(numel);
    v->storage->rootNumel = static_cast<std::uint64_t>(numel);
    if (pid->items.size() == 6 && pid->items[5]->kind != Kind::None) {
        const Value* view = pid->items[5];
        if (view->kind != Kind::Tuple || view->items.size() != 3)
            fail("malformed storage view of " + printableName(key));
        const std::int64_t off = intArg(view->items[1], "storage view offset");
        const std::int64_t size = intArg(view->items[2], "storage view size");
        if (off < 0 || size < 0 || off > numel || size > numel - off)
            fail("storage view [" + std::to_string(off) + ", +" + std::to_string(size) + ") outside storage " +
                 printableName(key) + " of " + std::to_string(numel) + " elements");
        v->storage->viewOffset = static_cast<std::uint64_t>(off);
        v->storage->numel = static_cast<std::uint64_t>(size);
    }
    if (it == m_storages.end())
        m_storages.emplace(key, v);
    return v;
}

Value* Unpickler::newObject(const Value* cls, const Value* args)
{
    // cls.__new__(cls, *args): an empty OrderedDict, or an empty TorchScript module instance.
    const bool noArgs = args->kind == Kind::Tuple && args->items.empty();
    if (cls->kind == Kind::Global && cls->s == kOrderedDict && noArgs)
        return make(Kind::Dict);
    if (cls->kind == Kind::Global && cls->i == 1 && noArgs) {
        Value* object = make(Kind::Object);
        object->s = cls->s;
        return object;
    }
    fail("refused to construct " + (cls->kind == Kind::Global ? cls->s : std::string(kindName(cls->kind))));
}

void Unpickler::build(Value* target, Value* state)
{
    // Python would call target.__setstate__(state) or update its __dict__. Nothing is called here:
    // a TorchScript module takes a dict state as its attributes; any other state (a custom
    // __getstate__'s tuple, an OrderedDict's _metadata, a tensor's __dict__) is not needed and
    // is dropped, the module being marked so that its missing attributes can be reported.
    if (target->kind != Kind::Object)
        return;
    if (state->kind != Kind::Dict || !target->items.empty()) {
        target->i = 1;
        return;
    }
    charge(state->items.size(), "setting object attributes");
    for (std::size_t k = 0; k < state->items.size(); k += 2)
        setItem(target, state->items[k], state->items[k + 1]);
}

} // namespace featscale::analysis::weights::pickle
