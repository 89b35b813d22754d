// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/pickle_value.h"

namespace featscale::analysis::weights::pickle {

const char* kindName(Kind k)
{
    switch (k) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::BigInt:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple";
    case Kind::List:
        return "list";
    case Kind::Dict:
        return "dict";
    case Kind::Global:
        return "global";
    case Kind::Storage:
        return "storage";
    case Kind::Tensor:
        return "tensor";
    case Kind::Object:
        return "object";
    }
    return "?";
}

const Value* Value::dictGet(const std::string& key) const
{
    if ((kind != Kind::Dict && kind != Kind::Object) || !dictIndex)
        return nullptr;
    auto it = dictIndex->find("s" + key);
    return it == dictIndex->end() ? nullptr : items[2 * it->second + 1];
}

Value* Arena::make(Kind k)
{
    if (m_values.size() >= m_maxValues)
        return nullptr;
    m_values.emplace_back();
    m_values.back().kind = k;
    return &m_values.back();
}

std::string dictKey(const Value& key)
{
    // Python 2 pickles give keys as byte strings that torch decodes to str: treat both alike.
    if (key.kind == Kind::String || key.kind == Kind::Bytes)
        return "s" + key.s;
    if (key.kind == Kind::Int || key.kind == Kind::Bool)
        return "i" + std::to_string(key.i);
    return {};
}

} // namespace featscale::analysis::weights::pickle
