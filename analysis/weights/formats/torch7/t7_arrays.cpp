// SPDX-License-Identifier: GPL-3.0-or-later
// From the object graph of a .t7 file to the float32 arrays it holds (t7_reader.h).
#include "analysis/weights/formats/torch7/internal/t7_reader.h"

#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace featscale::analysis::weights::t7 {
namespace {

/// A tensor, storage or number list found in the graph, not yet converted.
struct Found {
    std::string name;
    const Object* object = nullptr; ///< tensor, storage or number list (table)
    double number = 0;              ///< the root itself when it is a number
};

/// Longest key kept whole in a name. A longer key (a file can make one as long as itself) is named
/// by its length: no layer is called that, and a name copied for every tensor under it stays short.
constexpr std::size_t kMaxKeyBytes = 256;

std::string keyName(const Value& key)
{
    switch (key.type) {
    case Type::String:
        if (key.text.size() > kMaxKeyBytes)
            return "[key of " + std::to_string(key.text.size()) + " bytes]";
        return std::string(key.text);
    case Type::Number: {
        char buf[32];
        if (std::abs(key.number) < 1e15 && key.number == std::floor(key.number))
            std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(key.number));
        else
            std::snprintf(buf, sizeof buf, "%.17g", key.number);
        return buf;
    }
    case Type::Boolean:
        return key.number != 0 ? "true" : "false";
    default:
        return "[" + std::string(key.object && key.object->kind == ObjectKind::Table ? "table" : "object") + "]";
    }
}

/// Keys exactly 1..n, every value a number: a list written from Lua ({0.1, 0.2, ...}).
bool isNumberList(const Object& table)
{
    if (table.entries.empty())
        return false;
    const double n = static_cast<double>(table.entries.size());
    std::vector<bool> seen(table.entries.size(), false);
    for (const auto& [key, value] : table.entries) {
        if (key.type != Type::Number || value.type != Type::Number)
            return false;
        if (!(key.number >= 1 && key.number <= n && key.number == std::floor(key.number)))
            return false;
        const auto k = static_cast<std::size_t>(key.number) - 1;
        if (seen[k])
            return false;
        seen[k] = true;
    }
    return true;
}

/// Walks every table once (cycles end there), depth-bounded. Names are paths of keys, and one
/// tensor may be reachable under many: their bytes together draw from a budget of the file's size
/// (plus 1 MiB), so the names of any file take no more memory than the file itself.
class Walker {
public:
    Walker(std::uint64_t fileSize, std::string path) : m_nameBudget(fileSize + (1u << 20)), m_path(std::move(path)) { }

    void walk(const Value& v, const std::string& name, int depth)
    {
        if (depth > Limits{}.maxDepth)
            throw Error(m_path + ": tables nested deeper than " + std::to_string(Limits{}.maxDepth) + " levels");
        if (v.type != Type::Table && v.type != Type::Torch)
            return;
        const Object& o = *v.object;
        if (o.kind != ObjectKind::Table) {
            found.push_back({named(name), &o, 0});
            return;
        }
        if (!m_visited.insert(&o).second)
            return;
        if (isNumberList(o)) {
            found.push_back({named(name), &o, 0});
            return;
        }
        for (const auto& [key, value] : o.entries) {
            if (value.type != Type::Table && value.type != Type::Torch)
                continue;
            const std::string k = keyName(key);
            walk(value, name.empty() ? k : name + "." + k, depth + 1);
        }
    }

    std::vector<Found> found;

private:
    const std::string& named(const std::string& name)
    {
        const std::uint64_t units = 1 + name.size();
        if (units > m_nameBudget)
            throw Error(m_path + ": .t7 file names its tensors with more bytes than the file holds (" +
                        std::to_string(found.size()) +
                        " tensors named so far; is one tensor referenced "
                        "under very many keys?)");
        m_nameBudget -= units;
        return name;
    }

    std::uint64_t m_nameBudget;
    std::string m_path;
    std::unordered_set<const Object*> m_visited;
};

TensorSource sourceOf(const Found& f)
{
    TensorSource t;
    t.dtype = f.object->dtype;
    if (f.object->kind == ObjectKind::Storage) {
        t.sizes = {f.object->count};
        t.strides = {1};
        t.storage = f.object->data;
    } else {
        t.sizes = f.object->sizes;
        t.strides = f.object->strides;
        t.offset = f.object->offset;
        if (f.object->storage)
            t.storage = f.object->storage->data;
    }
    return t;
}

std::vector<Array> arraysOf(ByteView file, const std::string& path, LongSize longSize)
{
    Reader reader(file, path, longSize);
    Value root;
    try {
        root = reader.read();
    } catch (const Truncated& e) {
        throw ReadError(e.what(), file.size + 1); // ran out of bytes: read to the very end
    } catch (const Error& e) {
        throw ReadError(e.what(), reader.reached());
    }
    if (root.type == Type::Number)
        return {Array{"", {1}, {static_cast<float>(root.number)}}};
    Walker walker(file.size, path);
    walker.walk(root, "", 0);

    ParsedTensors sources;
    for (const Found& f : walker.found)
        if (f.object->kind != ObjectKind::Table)
            sources.tensors.push_back(sourceOf(f));
    checkOutputBudget(sources, file.size, path);

    std::vector<Array> out;
    std::size_t next = 0;
    for (Found& f : walker.found) {
        Array a;
        a.name = std::move(f.name);
        if (f.object->kind == ObjectKind::Table) {
            a.sizes = {static_cast<std::int64_t>(f.object->entries.size())};
            a.values.resize(f.object->entries.size());
            for (const auto& [key, value] : f.object->entries)
                a.values[static_cast<std::size_t>(key.number) - 1] = static_cast<float>(value.number);
        } else {
            const TensorSource& t = sources.tensors[next++];
            a.sizes = t.sizes;
            a.values.resize(static_cast<std::size_t>(t.numel()));
            copyAsFloat32(t, a.values.data());
        }
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace

std::vector<Array> readArrays(ByteView file, const std::string& path)
{
    try {
        return arraysOf(file, path, LongSize::Eight);
    } catch (const ReadError& eight) {
        try {
            return arraysOf(file, path, LongSize::Four);
        } catch (const ReadError& four) {
            // Read with the wrong long size, a file goes astray within a few values ("unknown type
            // tag 305209430"); read with the right one, it fails where it is really wrong -- a
            // truncated file at its end. The reading that got further is the one to report.
            throw four.at > eight.at ? four : eight;
        }
    }
}

} // namespace featscale::analysis::weights::t7
