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

std::string keyName(const Value& key)
{
    switch (key.type) {
    case Type::String:
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

/// Walks every table once (cycles end there), depth-bounded, drawing names from a work budget.
class Walker {
public:
    Walker(std::uint64_t budget, std::string path) : m_budget(budget), m_path(std::move(path)) { }

    void walk(const Value& v, const std::string& name, int depth)
    {
        if (depth > Limits{}.maxDepth)
            throw Error(m_path + ": tables nested deeper than " + std::to_string(Limits{}.maxDepth) + " levels");
        charge(1 + name.size());
        if (v.type != Type::Table && v.type != Type::Torch)
            return;
        const Object& o = *v.object;
        if (o.kind != ObjectKind::Table) {
            found.push_back({name, &o, 0});
            return;
        }
        if (!m_visited.insert(&o).second)
            return;
        if (isNumberList(o)) {
            found.push_back({name, &o, 0});
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
    void charge(std::uint64_t units)
    {
        if (units > m_budget)
            throw Error(m_path + ": .t7 file needs more work than its size justifies (naming its tensors)");
        m_budget -= units;
    }

    std::uint64_t m_budget;
    std::string m_path;
    std::unordered_set<const Object*> m_visited;
};

TensorSource sourceOf(const Found& f)
{
    TensorSource t;
    t.name = f.name;
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
    const Value root = reader.read();
    if (root.type == Type::Number)
        return {Array{"", {1}, {static_cast<float>(root.number)}}};
    Walker walker(Reader::kBudgetBase + Reader::kBudgetPerByte * static_cast<std::uint64_t>(file.size), path);
    walker.walk(root, "", 0);

    ParsedTensors sources;
    for (const Found& f : walker.found)
        if (f.object->kind != ObjectKind::Table)
            sources.tensors.push_back(sourceOf(f));
    checkOutputBudget(sources, file.size, path);

    std::vector<Array> out;
    std::size_t next = 0;
    for (const Found& f : walker.found) {
        Array a;
        a.name = f.name;
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
    } catch (const Error& eight) {
        try {
            return arraysOf(file, path, LongSize::Four);
        } catch (const Error&) {
            throw eight;
        }
    }
}

} // namespace featscale::analysis::weights::t7
