// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch: the fuzzer (fuzz/t7_reader_fuzzer.cpp) runs this reader alone.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"
#include "analysis/weights/bytes/internal/tensor_source.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

/// Lua Torch's serialization (torch.save / torch.serialize, File:writeObject), binary mode.
///
/// Every value opens with an int32 type tag: 0 nil, 1 number (float64), 2 string (int32 length,
/// bytes), 3 table, 4 torch object, 5 boolean (int32, 1 = true); 6-8 are Lua functions (bytecode),
/// which are refused. A table or torch object follows its tag with an int32 reference index: the
/// first time an object is written, the index is new and its content follows; later occurrences
/// write the index alone. A table then holds an int32 entry count and key/value pairs; a torch
/// object its version string ("V 1"; files older than versioning start with the class name) and
/// class name, then the class's own data. Tensor: int32 dims, dims int64 sizes, dims int64
/// strides, the int64 1-based storage offset, then the storage as a value (or nil). Storage: int64
/// element count and the raw elements. Integers and floats are the writer's native byte order
/// (little-endian on every machine Lua Torch ran on); "long" is the writer's C long, 8 bytes on
/// 64-bit Linux and macOS and 4 on Windows (LongSize).
namespace featscale::analysis::weights::t7 {

enum class Type : std::int32_t { Nil = 0, Number = 1, String = 2, Table = 3, Torch = 4, Boolean = 5 };

struct Object;

/// One Lua value: scalars inline, a string as a view into the file, tables and torch objects by
/// reference (several values may share one Object, and a table may contain itself).
struct Value {
    Type type = Type::Nil;
    double number = 0;              ///< Number; Boolean as 0 or 1
    std::string_view text;          ///< String: its bytes inside the file
    const Object* object = nullptr; ///< Table or Torch
};

enum class ObjectKind { Table, Tensor, Storage };

/// A table, tensor or storage, read once and referenced by its index.
struct Object {
    ObjectKind kind = ObjectKind::Table;
    std::int32_t index = 0;                       ///< reference index in the file
    std::uint64_t fileOffset = 0;                 ///< byte where its type tag starts
    std::string className;                        ///< torch class; empty for a table
    bool complete = false;                        ///< false while its content is being read
    std::vector<std::pair<Value, Value>> entries; ///< Table: key/value pairs in file order
    DType dtype = DType::Float32;                 ///< Tensor, Storage
    std::vector<std::int64_t> sizes;              ///< Tensor
    std::vector<std::int64_t> strides;            ///< Tensor, in elements
    std::int64_t offset = 0;                      ///< Tensor: 0-based storage offset
    const Object* storage = nullptr;              ///< Tensor: null for an empty tensor
    ByteView data;                                ///< Storage: its elements inside the file
    std::int64_t count = 0;                       ///< Storage: number of elements
};

/// Bytes of a Lua "long" in the file: 8 (Linux, macOS) or 4 (written on Windows).
enum class LongSize { Eight = 8, Four = 4 };

/// Caps of a Reader beyond its work budget.
struct Limits {
    int maxDepth = 128;                ///< nesting of tables and tensors
    std::size_t maxObjects = 1u << 18; ///< tables and torch objects (a Lua VGG16 has about 100)
    std::size_t maxEntries = 1u << 21; ///< key/value pairs of all tables together
    std::int32_t maxDims = 16;         ///< dimensions of a tensor
};

/// Reads one serialized object, which must end exactly at the file's last byte (torch.save writes
/// one). Hardened like the restricted unpickler: every read is bounds-checked; every count a file
/// claims (table entries, string bytes, dimensions, storage elements) is checked against the bytes
/// left before anything is reserved; storages stay views into the file; objects, table entries,
/// nesting depth and dimensions are capped (the object graph takes at most about 250 MB, whatever
/// the file); and all work (values read, bytes copied) draws from one budget of
/// kBudgetBase + kBudgetPerByte units per file byte. Reference cycles are kept as they are (Lua
/// allows a table to contain itself); a torch object that refers to itself while being read is
/// refused. Only torch.{Float,Double}{Tensor,Storage} are understood; any other class is refused
/// by name. Errors read "<what>: <problem> (at byte N)". Not thread-safe; values live as long as the
/// Reader and the file bytes.
class Reader {
public:
    static constexpr std::uint64_t kBudgetBase = 1u << 20;
    static constexpr std::uint64_t kBudgetPerByte = 16;

    Reader(ByteView file, std::string what, LongSize longSize = LongSize::Eight, Limits limits = {});

    /// The file's object. Throws Error on anything unexpected.
    Value read();

    /// The byte reading has reached: after read() threw, where the file stopped making sense.
    std::uint64_t reached() const { return m_in.fileOffset(); }

private:
    [[noreturn]] void fail(const std::string& problem, std::uint64_t at) const;
    void charge(std::uint64_t units, const char* doing);
    std::int32_t readInt(const char* purpose);
    std::int64_t readLong(const char* purpose);
    std::string_view readString(const char* purpose);
    Value readValue(int depth);
    const Object* readReferenced(Type type, int depth);
    void readTable(Object& table, int depth);
    void readTorch(Object& object, int depth);
    void readTensor(Object& tensor, int depth);
    void readStorage(Object& storage);

    ByteReader m_in;
    LongSize m_longSize;
    Limits m_limits;
    std::deque<Object> m_objects;
    std::unordered_map<std::int32_t, Object*> m_byIndex;
    std::size_t m_entries = 0;
    std::uint64_t m_budget = 0;
    std::uint64_t m_budgetTotal = 0;
};

/// A file that could not be read as a .t7 object graph, and the byte where reading stopped.
struct ReadError : Error {
    ReadError(const std::string& message, std::uint64_t stoppedAt) : Error(message), at(stoppedAt) { }
    std::uint64_t at;
};

/// A float32 array found in a .t7 file: a tensor, or a Lua table holding only numbers at the keys
/// 1..n (a list written from Lua).
struct Array {
    std::string name;                ///< keys from the root joined by '.', "" for the root itself
    std::vector<std::int64_t> sizes; ///< {n} for a list of numbers
    std::vector<float> values;       ///< row-major; float64 rounded to nearest
};

/// Every tensor and number list reachable from the file's object, in file order (each table is
/// walked once, so cycles end; a tensor referenced under two names is listed under both), converted
/// to float32 under checkOutputBudget. The file is read with 8-byte longs and, when that fails,
/// with 4-byte longs (a file written on Windows); if both fail, the error of the reading that got
/// further into the file is reported (a truncated file of either kind says where it ends). Names
/// longer than a few hundred bytes are replaced by their length, and all names together take at
/// most the file's size.
/// Throws Error naming `path`.
std::vector<Array> readArrays(ByteView file, const std::string& path);

/// The first bytes of a binary .t7 holding a table or torch object: type 3 or 4, reference index 1.
bool looksLikeT7(ByteView head);

} // namespace featscale::analysis::weights::t7
