// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/torch7/internal/t7_reader.h"

#include "analysis/core/file_names.h"

#include <cstring>

namespace featscale::analysis::weights::t7 {
namespace {

// Lua functions are bytecode; featscale reads data only.
constexpr std::int32_t kFunction = 6, kLegacyRecurFunction = 7, kRecurFunction = 8;

struct TorchClass {
    const char* name;
    ObjectKind kind;
    DType dtype;
};

constexpr TorchClass kClasses[] = {
    {"torch.FloatTensor", ObjectKind::Tensor, DType::Float32},
    {"torch.DoubleTensor", ObjectKind::Tensor, DType::Float64},
    {"torch.FloatStorage", ObjectKind::Storage, DType::Float32},
    {"torch.DoubleStorage", ObjectKind::Storage, DType::Float64},
};

} // namespace

Reader::Reader(ByteView file, std::string what, LongSize longSize, Limits limits)
    : m_in(file, std::move(what)), m_longSize(longSize), m_limits(limits),
      m_budget(kBudgetBase + kBudgetPerByte * static_cast<std::uint64_t>(file.size)), m_budgetTotal(m_budget)
{ }

void Reader::fail(const std::string& problem, std::uint64_t at) const
{
    throw Error(m_in.what() + ": " + problem + " (at byte " + std::to_string(at) + ")");
}

void Reader::charge(std::uint64_t units, const char* doing)
{
    if (units <= m_budget) {
        m_budget -= units;
        return;
    }
    m_budget = 0;
    fail(std::string(".t7 file needs more work than its size justifies (") + doing + " after " +
             std::to_string(m_budgetTotal) + " units of work and memory)",
         m_in.fileOffset());
}

std::int32_t Reader::readInt(const char* purpose) { return m_in.i32le(purpose); }

std::int64_t Reader::readLong(const char* purpose)
{
    return m_longSize == LongSize::Eight ? m_in.i64le(purpose) : static_cast<std::int64_t>(m_in.i32le(purpose));
}

std::string_view Reader::readString(const char* purpose)
{
    const std::uint64_t at = m_in.fileOffset();
    const std::int32_t n = readInt(purpose);
    if (n < 0)
        fail(std::string(purpose) + " has a negative length (" + std::to_string(n) + ")", at);
    if (static_cast<std::uint64_t>(n) > m_in.remaining())
        fail(std::string(purpose) + " claims " + std::to_string(n) + " bytes but the file has " +
                 std::to_string(m_in.remaining()) + " bytes left",
             at);
    const std::uint8_t* p = m_in.take(static_cast<std::uint64_t>(n), purpose);
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

Value Reader::read()
{
    Value v = readValue(0);
    if (!m_in.atEnd())
        fail(std::to_string(m_in.remaining()) + " bytes follow the serialized object (a .t7 file holds one)",
             m_in.fileOffset());
    return v;
}

Value Reader::readValue(int depth)
{
    const std::uint64_t at = m_in.fileOffset();
    if (depth > m_limits.maxDepth)
        fail("values nested deeper than " + std::to_string(m_limits.maxDepth) + " levels", at);
    charge(1, "reading values");
    const std::int32_t tag = readInt("type tag");
    Value v;
    switch (tag) {
    case static_cast<std::int32_t>(Type::Nil):
        return v;
    case static_cast<std::int32_t>(Type::Number): {
        const std::uint64_t bits = m_in.u64le("number");
        v.type = Type::Number;
        std::memcpy(&v.number, &bits, sizeof v.number);
        return v;
    }
    case static_cast<std::int32_t>(Type::String):
        v.type = Type::String;
        v.text = readString("string");
        return v;
    case static_cast<std::int32_t>(Type::Boolean): {
        const std::int32_t b = readInt("boolean");
        if (b != 0 && b != 1)
            fail("boolean holds " + std::to_string(b) + " (expected 0 or 1)", at);
        v.type = Type::Boolean;
        v.number = b;
        return v;
    }
    case static_cast<std::int32_t>(Type::Table):
    case static_cast<std::int32_t>(Type::Torch):
        v.type = static_cast<Type>(tag);
        v.object = readReferenced(v.type, depth);
        return v;
    case kFunction:
    case kLegacyRecurFunction:
    case kRecurFunction:
        fail("a Lua function (type tag " + std::to_string(tag) + "); featscale reads data, never code", at);
    default:
        fail("unknown type tag " + std::to_string(tag) + ", expected 0-5", at);
    }
}

const Object* Reader::readReferenced(Type type, int depth)
{
    const std::uint64_t at = m_in.fileOffset() - 4;
    const std::int32_t index = readInt("reference index");
    if (auto it = m_byIndex.find(index); it != m_byIndex.end()) {
        const Object* known = it->second;
        if ((known->kind == ObjectKind::Table) != (type == Type::Table))
            fail("reference " + std::to_string(index) + " names a " +
                     (known->kind == ObjectKind::Table ? std::string("table") : known->className) +
                     " but is tagged as a " + (type == Type::Table ? "table" : "torch object"),
                 at);
        if (!known->complete && known->kind != ObjectKind::Table)
            fail(known->className + " " + std::to_string(index) + " refers to itself while it is being read", at);
        return known;
    }
    if (m_objects.size() >= m_limits.maxObjects)
        fail("more than " + std::to_string(m_limits.maxObjects) + " tables and torch objects", at);
    charge(16, "creating objects");
    Object& object = m_objects.emplace_back();
    object.index = index;
    object.fileOffset = at;
    // Known before its content is read: a table may contain itself.
    m_byIndex.emplace(index, &object);
    if (type == Type::Table)
        readTable(object, depth);
    else
        readTorch(object, depth);
    object.complete = true;
    return &object;
}

void Reader::readTable(Object& table, int depth)
{
    const std::uint64_t at = m_in.fileOffset();
    const std::int32_t n = readInt("table size");
    if (n < 0)
        fail("table has a negative size (" + std::to_string(n) + ")", at);
    // Every key and every value takes at least its 4-byte type tag.
    if (static_cast<std::uint64_t>(n) > m_in.remaining() / 8)
        fail("table claims " + std::to_string(n) + " entries but the file has " + std::to_string(m_in.remaining()) +
                 " bytes left (at least 8 per entry)",
             at);
    if (static_cast<std::size_t>(n) > m_limits.maxEntries - m_entries)
        fail("tables hold more than " + std::to_string(m_limits.maxEntries) + " entries in all", at);
    m_entries += static_cast<std::size_t>(n);
    charge(static_cast<std::uint64_t>(n), "reserving table entries");
    table.entries.reserve(static_cast<std::size_t>(n));
    for (std::int32_t k = 0; k < n; ++k) {
        const std::uint64_t keyAt = m_in.fileOffset();
        Value key = readValue(depth + 1);
        if (key.type == Type::Nil)
            fail("table key is nil", keyAt);
        Value value = readValue(depth + 1);
        table.entries.emplace_back(key, value);
    }
}

void Reader::readTorch(Object& object, int depth)
{
    const std::uint64_t at = m_in.fileOffset();
    std::string_view version = readString("torch version string");
    std::string_view name = version;
    if (version.substr(0, 2) == "V ") {
        const std::string_view number = version.substr(2);
        if (number.empty() || number.size() > 9 || number.find_first_not_of("0123456789") != std::string_view::npos)
            fail("malformed torch version string \"" + excerpt(version) + "\"", at);
        name = readString("torch class name");
    }
    // Files older than versioning start with the class name itself.
    charge(name.size(), "copying a class name");
    const TorchClass* cls = nullptr;
    for (const TorchClass& c : kClasses)
        if (name == c.name)
            cls = &c;
    if (!cls)
        fail("unsupported torch class \"" + excerpt(name) +
                 "\" (featscale reads torch.FloatTensor, torch.DoubleTensor, torch.FloatStorage, "
                 "torch.DoubleStorage, tables, numbers, strings and booleans)",
             at);
    object.kind = cls->kind;
    object.dtype = cls->dtype;
    object.className = cls->name;
    if (object.kind == ObjectKind::Tensor)
        readTensor(object, depth);
    else
        readStorage(object);
}

void Reader::readTensor(Object& tensor, int depth)
{
    const std::uint64_t at = m_in.fileOffset();
    const std::int32_t dims = readInt("tensor dimensions");
    if (dims < 0 || dims > m_limits.maxDims)
        fail(tensor.className + " has " + std::to_string(dims) + " dimensions (at most " +
                 std::to_string(m_limits.maxDims) + ")",
             at);
    tensor.sizes.resize(static_cast<std::size_t>(dims));
    tensor.strides.resize(static_cast<std::size_t>(dims));
    for (auto& s : tensor.sizes)
        s = readLong("tensor size");
    for (auto& s : tensor.strides)
        s = readLong("tensor stride");
    const std::uint64_t offsetAt = m_in.fileOffset();
    const std::int64_t offset1 = readLong("storage offset");
    const std::uint64_t storageAt = m_in.fileOffset();
    const Value storage = readValue(depth + 1);
    if (storage.type == Type::Torch) {
        if (storage.object->kind != ObjectKind::Storage || storage.object->dtype != tensor.dtype)
            fail(tensor.className + "'s storage is a " + storage.object->className, storageAt);
        tensor.storage = storage.object;
    } else if (storage.type != Type::Nil) {
        fail(tensor.className + "'s storage is not a storage (type tag " +
                 std::to_string(static_cast<int>(storage.type)) + ")",
             storageAt);
    }
    // Lua Torch's empty tensor has no dimensions (not a scalar): keep it as zero elements.
    if (dims == 0) {
        tensor.sizes = {0};
        tensor.strides = {1};
        return;
    }
    // Offsets are written 1-based, Lua's convention.
    if (offset1 < 1)
        fail(tensor.className + " storage offset " + std::to_string(offset1) + " is below 1 (offsets are 1-based)",
             offsetAt);
    tensor.offset = offset1 - 1;
    const std::int64_t extent = viewExtent(tensor.sizes, tensor.strides, tensor.offset,
                                           m_in.what() + ": " + tensor.className + " at byte " + std::to_string(at));
    if (extent > 0 && !tensor.storage)
        fail(tensor.className + " of " + std::to_string(checkedNumel(tensor.sizes, m_in.what())) +
                 " elements has no storage",
             at);
    if (tensor.storage && extent > tensor.storage->count)
        fail(tensor.className + " view reaches element " + std::to_string(extent) + " of a storage of " +
                 std::to_string(tensor.storage->count),
             at);
}

void Reader::readStorage(Object& storage)
{
    const std::uint64_t at = m_in.fileOffset();
    const std::int64_t n = readLong("storage size");
    const std::size_t es = elementSize(storage.dtype);
    if (n < 0)
        fail(storage.className + " has a negative size (" + std::to_string(n) + ")", at);
    if (static_cast<std::uint64_t>(n) > m_in.remaining() / es)
        fail(storage.className + " claims " + std::to_string(n) + " elements (" + std::to_string(es) +
                 " bytes each) but the file has " + std::to_string(m_in.remaining()) + " bytes left",
             at);
    storage.count = n;
    storage.data = {m_in.take(static_cast<std::uint64_t>(n) * es, "storage elements"),
                    static_cast<std::size_t>(n) * es};
}

bool looksLikeT7(ByteView head)
{
    if (head.size < 8)
        return false;
    const auto type = ByteReader::le(head.data, 4);
    return (type == 3 || type == 4) && ByteReader::le(head.data + 4, 4) == 1;
}

} // namespace featscale::analysis::weights::t7
