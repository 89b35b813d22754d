// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch. The inert object model the restricted unpickler builds:
// data only (numbers, strings, containers, storage and tensor descriptors). Nothing here can run code.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/tensor_source.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace featscale::analysis::weights::pickle {

enum class Kind : std::uint8_t {
    None,
    Bool,
    Int,
    BigInt,
    Float,
    String,
    Bytes,
    Tuple,
    List,
    Dict,
    Global,  ///< a whitelisted callable or class, by "module.name"; never called, only interpreted
    Storage, ///< a persistent-id storage descriptor
    Tensor,  ///< result of an interpreted torch._utils._rebuild_tensor*
    Object,  ///< a TorchScript module instance: class name in s, attributes as dict entries in items
};

const char* kindName(Kind k);

struct Value;

/// torch storage named by a persistent id: ('storage', torch.FloatStorage, key, location, numel[, view]).
struct StorageInfo {
    std::string key; ///< data/<key> in zip archives; the key list entry in legacy files
    DType dtype = DType::Float32;
    std::uint64_t numel = 0;      ///< elements the pickle claims (of the view, for legacy views)
    std::uint64_t viewOffset = 0; ///< legacy storage views: element offset into the root storage
    std::uint64_t rootNumel = 0;  ///< elements of the root storage
};

struct TensorInfo {
    const Value* storage = nullptr; ///< Kind::Storage
    std::int64_t offset = 0;
    std::vector<std::int64_t> sizes;
    std::vector<std::int64_t> strides;
};

/// One unpickled object. Owned by an Arena; containers refer to other values by pointer, so shared
/// and even cyclic references (legal in pickles) cost nothing and destruction never recurses.
struct Value {
    Kind kind = Kind::None;
    std::int64_t i = 0;        ///< Bool, Int; Global: 1 for a TorchScript class; Object: 1 if its state was custom
    double f = 0.0;            ///< Float
    std::string s;             ///< String, Bytes, Global ("module.name"), BigInt (little-endian bytes)
    std::vector<Value*> items; ///< Tuple, List; Dict and Object: key0, value0, key1, value1, ...
    std::unique_ptr<std::unordered_map<std::string, std::size_t>> dictIndex; ///< hashable key -> slot
    std::unique_ptr<StorageInfo> storage;
    std::unique_ptr<TensorInfo> tensor;

    bool isString() const { return kind == Kind::String || kind == Kind::Bytes; }
    std::size_t dictSize() const { return items.size() / 2; }
    /// Value stored under a string key, or nullptr.
    const Value* dictGet(const std::string& key) const;
};

/// Owns every value of one unpickling. Values live as long as the arena; the count is capped so
/// that a small file cannot make the parser allocate without bound.
class Arena {
public:
    explicit Arena(std::size_t maxValues) : m_maxValues(maxValues) { }
    /// Returns nullptr when the cap is reached (the caller reports it with file context).
    Value* make(Kind k);
    std::size_t size() const { return m_values.size(); }

private:
    std::deque<Value> m_values;
    std::size_t m_maxValues;
};

/// Key used in Value::dictIndex for hashable keys (strings and ints); empty for other kinds.
std::string dictKey(const Value& key);

} // namespace featscale::analysis::weights::pickle
