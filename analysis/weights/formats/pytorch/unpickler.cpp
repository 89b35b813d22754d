// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/unpickler.h"

#include "analysis/weights/formats/pytorch/internal/pickle_text.h"

#include <cstdio>

namespace featscale::analysis::weights::pickle {
namespace {

// Opcodes, named as in CPython's pickletools.
enum Op : std::uint8_t {
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    FLOAT = 'F',
    INT = 'I',
    BININT = 'J',
    BININT1 = 'K',
    LONG = 'L',
    BININT2 = 'M',
    NONE = 'N',
    PERSID = 'P',
    BINPERSID = 'Q',
    REDUCE = 'R',
    STRING = 'S',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    UNICODE = 'V',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    GET = 'g',
    BINGET = 'h',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    PUT = 'p',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINFLOAT = 'G',
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    PROTO = 0x80,
    NEWOBJ = 0x81,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    LONG4 = 0x8b,
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
};

std::string opName(std::uint8_t op)
{
    char buf[40];
    if (op >= 0x20 && op < 0x7f)
        std::snprintf(buf, sizeof buf, "0x%02x ('%c')", op, op);
    else
        std::snprintf(buf, sizeof buf, "0x%02x", op);
    return buf;
}

} // namespace

Unpickler::Unpickler(ByteView pickle, std::string what, std::uint64_t fileOffset)
    : Unpickler(pickle, std::move(what), fileOffset, Limits{})
{ }

Unpickler::Unpickler(ByteView pickle, std::string what, std::uint64_t fileOffset, Limits limits, Dialect dialect)
    : m_in(pickle, std::move(what), fileOffset), m_limits(limits), m_dialect(dialect), m_arena(limits.maxValues),
      m_budget(kBudgetBase + kBudgetPerByte * static_cast<std::uint64_t>(pickle.size)), m_budgetTotal(m_budget)
{ }

void Unpickler::charge(std::uint64_t units, const char* doing)
{
    if (units <= m_budget) {
        m_budget -= units;
        return;
    }
    m_budget = 0;
    fail(std::string("pickle needs more work than its size justifies (") + doing + " after " +
         std::to_string(m_budgetTotal) + " units of work and memory for " +
         std::to_string(m_in.position() + m_in.remaining()) + " bytes); not a state dict");
}

void Unpickler::fail(const std::string& problem) const
{
    throw Error(m_in.what() + ": " + problem + " (pickle opcode at byte " + std::to_string(m_opStart) + ")");
}

Value* Unpickler::make(Kind k)
{
    Value* v = m_arena.make(k);
    if (!v)
        fail("more than " + std::to_string(m_limits.maxValues) + " objects; not a state dict");
    return v;
}

void Unpickler::push(Value* v)
{
    if (m_stack.size() >= m_limits.maxStack)
        fail("pickle stack deeper than " + std::to_string(m_limits.maxStack));
    m_stack.push_back(v);
}

Value* Unpickler::pop()
{
    const std::size_t base = m_marks.empty() ? 0 : m_marks.back();
    if (m_stack.size() <= base)
        fail("pickle stack underflow");
    Value* v = m_stack.back();
    m_stack.pop_back();
    return v;
}

Value* Unpickler::top()
{
    const std::size_t base = m_marks.empty() ? 0 : m_marks.back();
    if (m_stack.size() <= base)
        fail("pickle stack underflow");
    return m_stack.back();
}

std::size_t Unpickler::popMark()
{
    if (m_marks.empty())
        fail("pickle MARK missing");
    const std::size_t m = m_marks.back();
    m_marks.pop_back();
    return m;
}

Value* Unpickler::makeString(Kind k, const std::uint8_t* p, std::size_t n)
{
    charge(n, "copying a string");
    Value* v = make(k);
    v->s.assign(reinterpret_cast<const char*>(p), n);
    return v;
}

Value* Unpickler::makeInt(std::int64_t i)
{
    Value* v = make(Kind::Int);
    v->i = i;
    return v;
}

Value* Unpickler::makeLong(const std::uint8_t* p, std::size_t n)
{
    // Little-endian two's complement of any length. Up to 8 significant bytes become an int;
    // longer ones (the legacy magic number) are kept as bytes to be compared, never computed with.
    std::size_t len = n;
    const bool negative = n > 0 && (p[n - 1] & 0x80);
    const std::uint8_t fill = negative ? 0xff : 0x00;
    while (len > 8 && p[len - 1] == fill && ((p[len - 2] & 0x80) != 0) == negative)
        --len;
    if (len > 8) {
        Value* v = makeString(Kind::BigInt, p, n);
        return v;
    }
    std::uint64_t u = negative ? ~std::uint64_t{0} : 0;
    for (std::size_t k = len; k-- > 0;)
        u = (u << 8) | p[k];
    return makeInt(static_cast<std::int64_t>(u));
}

Value* Unpickler::sequenceFromMark(Kind k)
{
    const std::size_t m = popMark();
    charge(m_stack.size() - m, "collecting items");
    Value* v = make(k);
    v->items.assign(m_stack.begin() + static_cast<std::ptrdiff_t>(m), m_stack.end());
    m_stack.resize(m);
    return v;
}

void Unpickler::memoPut(std::uint64_t index)
{
    if (m_memo.size() >= m_limits.maxMemo && !m_memo.count(index))
        fail("pickle memo larger than " + std::to_string(m_limits.maxMemo) + " entries");
    m_memo[index] = top();
}

void Unpickler::memoGet(std::uint64_t index)
{
    auto it = m_memo.find(index);
    if (it == m_memo.end())
        fail("pickle memo has no entry " + std::to_string(index));
    push(it->second);
}

void Unpickler::setItem(Value* dict, Value* key, Value* value)
{
    if (dict->kind != Kind::Dict && dict->kind != Kind::Object)
        fail(std::string("SETITEM on a ") + kindName(dict->kind) + ", expected a dict");
    charge(1 + (key->isString() ? key->s.size() : 0), "indexing a dict key");
    const std::string k = dictKey(*key);
    if (!k.empty()) {
        if (!dict->dictIndex)
            dict->dictIndex = std::make_unique<std::unordered_map<std::string, std::size_t>>();
        auto [it, inserted] = dict->dictIndex->emplace(k, dict->dictSize());
        if (!inserted) { // Python semantics: a repeated key replaces the value, keeps the position
            dict->items[2 * it->second + 1] = value;
            return;
        }
    }
    dict->items.push_back(key);
    dict->items.push_back(value);
}

const Value* Unpickler::load()
{
    if (m_stopped)
        fail("pickle already loaded");
    while (!m_stopped) {
        m_opStart = static_cast<std::size_t>(m_in.fileOffset());
        charge(1, "reading opcodes");
        dispatch(m_in.u8("pickle opcode"));
    }
    if (m_stack.size() != 1 || !m_marks.empty())
        fail("pickle ends with " + std::to_string(m_stack.size()) + " objects on its stack");
    return m_stack.back();
}

void Unpickler::dispatch(std::uint8_t op)
{
    switch (op) {
    case PROTO: {
        const std::uint8_t proto = m_in.u8("protocol");
        if (proto > 5)
            fail("unsupported pickle protocol " + std::to_string(proto));
        return;
    }
    case FRAME: {
        const std::uint64_t n = m_in.u64le("frame length");
        if (n > m_in.remaining())
            m_in.take(n, "pickle frame");
        return;
    }
    case STOP:
        if (m_stack.empty())
            fail("pickle stack underflow");
        m_stopped = true;
        return;
    case MARK:
        if (m_marks.size() >= m_limits.maxStack)
            fail("too many nested MARKs");
        m_marks.push_back(m_stack.size());
        return;
    case POP:
        pop();
        return;
    case POP_MARK:
        m_stack.resize(popMark());
        return;
    case DUP:
        push(top());
        return;
    case NONE:
        push(make(Kind::None));
        return;
    case NEWTRUE:
    case NEWFALSE: {
        Value* v = make(Kind::Bool);
        v->i = op == NEWTRUE;
        push(v);
        return;
    }
    case BININT:
        push(makeInt(m_in.i32le("BININT")));
        return;
    case BININT1:
        push(makeInt(m_in.u8("BININT1")));
        return;
    case BININT2:
        push(makeInt(m_in.u16le("BININT2")));
        return;
    case LONG1: {
        const std::uint8_t n = m_in.u8("LONG1 length");
        push(makeLong(m_in.take(n, "LONG1"), n));
        return;
    }
    case LONG4: {
        const std::int32_t n = m_in.i32le("LONG4 length");
        if (n < 0 || n > 4096)
            fail("LONG4 integer of " + std::to_string(n) + " bytes");
        push(makeLong(m_in.take(static_cast<std::uint64_t>(n), "LONG4"), static_cast<std::size_t>(n)));
        return;
    }
    case INT:
    case LONG: {
        const std::string_view text = m_in.line("INT");
        std::int64_t i = 0;
        if (op == INT && (text == "00" || text == "01")) { // protocol 0 booleans
            Value* v = make(Kind::Bool);
            v->i = text == "01";
            push(v);
            return;
        }
        if (parseDecimal(text, i)) {
            push(makeInt(i));
            return;
        }
        std::string bytes;
        if (!decimalToLittleEndian(text, bytes))
            fail("malformed integer literal");
        push(makeLong(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        return;
    }
    case BINFLOAT: {
        Value* v = make(Kind::Float);
        v->f = m_in.f64be("BINFLOAT");
        push(v);
        return;
    }
    case FLOAT: {
        Value* v = make(Kind::Float);
        if (!parseFloat(m_in.line("FLOAT"), v->f))
            fail("malformed float literal");
        push(v);
        return;
    }
    case SHORT_BINUNICODE:
    case SHORT_BINSTRING:
    case SHORT_BINBYTES: {
        const std::uint8_t n = m_in.u8("string length");
        push(makeString(op == SHORT_BINBYTES ? Kind::Bytes : Kind::String, m_in.take(n, "string"), n));
        return;
    }
    case BINUNICODE:
    case BINBYTES: {
        const std::uint32_t n = m_in.u32le("string length");
        push(makeString(op == BINBYTES ? Kind::Bytes : Kind::String, m_in.take(n, "string"), n));
        return;
    }
    case BINSTRING: {
        const std::int32_t n = m_in.i32le("string length");
        if (n < 0)
            fail("negative BINSTRING length");
        push(makeString(Kind::String, m_in.take(static_cast<std::uint64_t>(n), "string"), static_cast<std::size_t>(n)));
        return;
    }
    case BINUNICODE8:
    case BINBYTES8: {
        const std::uint64_t n = m_in.u64le("string length");
        const std::uint8_t* p = m_in.take(n, "string"); // checked against the bytes left before any copy
        push(makeString(op == BINBYTES8 ? Kind::Bytes : Kind::String, p, static_cast<std::size_t>(n)));
        return;
    }
    case STRING:
    case UNICODE: {
        const std::string_view text = m_in.line("string");
        Value* v = make(Kind::String);
        const bool ok = op == STRING ? decodeQuotedString(text, v->s) : decodeRawUnicodeEscape(text, v->s);
        if (!ok)
            fail("malformed string literal");
        push(v);
        return;
    }
    case EMPTY_TUPLE:
        push(make(Kind::Tuple));
        return;
    case TUPLE1:
    case TUPLE2:
    case TUPLE3: {
        const std::size_t n = static_cast<std::size_t>(op - TUPLE1 + 1);
        Value* v = make(Kind::Tuple);
        v->items.resize(n);
        for (std::size_t k = n; k-- > 0;)
            v->items[k] = pop();
        push(v);
        return;
    }
    case TUPLE:
        push(sequenceFromMark(Kind::Tuple));
        return;
    case EMPTY_LIST:
        push(make(Kind::List));
        return;
    case LIST:
        push(sequenceFromMark(Kind::List));
        return;
    case EMPTY_DICT:
        push(make(Kind::Dict));
        return;
    case DICT: {
        Value* seq = sequenceFromMark(Kind::Tuple);
        if (seq->items.size() % 2)
            fail("DICT with an odd number of items");
        Value* d = make(Kind::Dict);
        for (std::size_t k = 0; k < seq->items.size(); k += 2)
            setItem(d, seq->items[k], seq->items[k + 1]);
        push(d);
        return;
    }
    case APPEND: {
        Value* v = pop();
        Value* list = top();
        if (list->kind != Kind::List)
            fail(std::string("APPEND to a ") + kindName(list->kind));
        list->items.push_back(v);
        return;
    }
    case APPENDS: {
        const std::size_t m = popMark();
        if (m == 0 || m_stack.size() < m || (!m_marks.empty() && m <= m_marks.back()))
            fail("APPENDS without a list");
        Value* list = m_stack[m - 1];
        if (list->kind != Kind::List)
            fail(std::string("APPENDS to a ") + kindName(list->kind));
        charge(m_stack.size() - m, "appending items");
        list->items.insert(list->items.end(), m_stack.begin() + static_cast<std::ptrdiff_t>(m), m_stack.end());
        m_stack.resize(m);
        return;
    }
    case SETITEM: {
        Value* value = pop();
        Value* key = pop();
        setItem(top(), key, value);
        return;
    }
    case SETITEMS: {
        const std::size_t m = popMark();
        if (m == 0 || (m_stack.size() - m) % 2 || (!m_marks.empty() && m <= m_marks.back()))
            fail("malformed SETITEMS");
        Value* dict = m_stack[m - 1];
        for (std::size_t k = m; k < m_stack.size(); k += 2)
            setItem(dict, m_stack[k], m_stack[k + 1]);
        m_stack.resize(m);
        return;
    }
    case BINPUT:
        memoPut(m_in.u8("BINPUT index"));
        return;
    case LONG_BINPUT:
        memoPut(m_in.u32le("LONG_BINPUT index"));
        return;
    case MEMOIZE:
        memoPut(m_memo.size());
        return;
    case PUT:
    case GET: {
        std::int64_t index = 0;
        if (!parseDecimal(m_in.line("memo index"), index) || index < 0)
            fail("malformed memo index");
        op == PUT ? memoPut(static_cast<std::uint64_t>(index)) : memoGet(static_cast<std::uint64_t>(index));
        return;
    }
    case BINGET:
        memoGet(m_in.u8("BINGET index"));
        return;
    case LONG_BINGET:
        memoGet(m_in.u32le("LONG_BINGET index"));
        return;
    case GLOBAL: {
        const std::string module(m_in.line("GLOBAL module"));
        const std::string name(m_in.line("GLOBAL name"));
        push(resolveGlobal(module, name));
        return;
    }
    case STACK_GLOBAL: {
        Value* name = pop();
        Value* module = pop();
        if (!name->isString() || !module->isString())
            fail("STACK_GLOBAL needs two strings");
        push(resolveGlobal(module->s, name->s));
        return;
    }
    case REDUCE: {
        Value* args = pop();
        Value* callable = pop();
        push(reduce(callable, args));
        return;
    }
    case NEWOBJ: {
        Value* args = pop();
        Value* cls = pop();
        push(newObject(cls, args));
        return;
    }
    case BUILD: {
        Value* state = pop();
        build(top(), state);
        return;
    }
    case BINPERSID:
        push(persistentLoad(pop()));
        return;
    case PERSID: {
        const std::string_view text = m_in.line("PERSID");
        Value* v = makeString(Kind::String, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        push(persistentLoad(v));
        return;
    }
    default:
        fail("unsupported pickle opcode " + opName(op) + "; not a PyTorch state dict");
    }
}

} // namespace featscale::analysis::weights::pickle
