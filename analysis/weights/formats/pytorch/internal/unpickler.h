// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"
#include "analysis/weights/formats/pytorch/internal/pickle_value.h"

#include <map>
#include <string>
#include <vector>

namespace featscale::analysis::weights::pickle {

/// A restricted unpickler for PyTorch state dicts. It understands the opcodes torch.save emits
/// (protocols 0-5 subset, including Python 2's string opcodes) and interprets -- never calls --
/// a fixed whitelist of globals: collections.OrderedDict, torch._utils._rebuild_tensor(_v2),
/// torch._utils._rebuild_parameter(_with_state) and the torch.<Type>Storage classes. Any other
/// global is refused when it is named, before anything could use it, with "unknown global
/// module.name" in the error. Stack, memo, value count and integer sizes are bounded, and every
/// read is bounds-checked, so hostile input yields an Error, never a crash or unbounded allocation.
/// Beyond those caps, work and memory are bounded by the pickle's size by construction: every
/// opcode, every byte copied and every item moved between containers (a dict key copied into a
/// dict's index, a list handed to OrderedDict, the items of a MARK sequence) draws from one budget
/// of kBudgetBase + kBudgetPerByte units per byte of pickle. A real state dict draws about one unit
/// per byte; a small pickle that inserts one large key into thousands of dicts, or passes one long
/// list to OrderedDict thousands of times, runs out and is refused.
///
/// Persistent ids must be torch storage tuples; they become Kind::Storage values (one per key).
///
/// Dialect::TorchScript additionally reads the data.pkl of torch.jit.save archives: classes under
/// `__torch__` become inert Kind::Object values whose attributes BUILD fills from a dict state
/// (a custom __setstate__ is never run: its state is set aside and the object marked), and
/// torch.jit._pickle's list builders are read as the lists they wrap.
/// Not thread-safe; one instance per pickle. Values stay valid while the Unpickler lives.
class Unpickler {
public:
    struct Limits {
        std::size_t maxValues = 1u << 20;
        std::size_t maxStack = 1u << 18;
        std::size_t maxMemo = 1u << 20;
        std::size_t maxDims = 16;
    };
    static constexpr std::uint64_t kBudgetBase = 1u << 20;
    static constexpr std::uint64_t kBudgetPerByte = 16;

    /// `what` prefixes every error ("model.pth" or "model.pth: archive/data.pkl"); `fileOffset` is
    /// where the pickle starts in that file, so errors give file positions.
    Unpickler(ByteView pickle, std::string what, std::uint64_t fileOffset = 0);
    enum class Dialect { StateDict, TorchScript };

    Unpickler(ByteView pickle, std::string what, std::uint64_t fileOffset, Limits limits,
              Dialect dialect = Dialect::StateDict);

    /// Runs to the STOP opcode and returns the top object. Throws Error on anything unexpected.
    const Value* load();

    /// Bytes consumed up to and including STOP (legacy files hold several pickles back to back).
    std::size_t consumed() const { return m_in.position(); }

    /// Storages named by persistent ids, by key.
    const std::map<std::string, const Value*>& storages() const { return m_storages; }

private:
    [[noreturn]] void fail(const std::string& problem) const;
    /// Draws `units` from the work budget; fails, naming what was being done, when it is spent.
    void charge(std::uint64_t units, const char* doing);
    Value* make(Kind k);
    void push(Value* v);
    Value* pop();
    Value* top();
    std::size_t popMark();
    Value* makeString(Kind k, const std::uint8_t* p, std::size_t n);
    Value* makeInt(std::int64_t i);
    Value* makeLong(const std::uint8_t* p, std::size_t n);
    Value* sequenceFromMark(Kind k);
    void memoPut(std::uint64_t index);
    void memoGet(std::uint64_t index);
    void setItem(Value* dict, Value* key, Value* value);
    Value* resolveGlobal(const std::string& module, const std::string& name);
    Value* reduce(const Value* callable, const Value* args);
    Value* rebuildTensor(const Value* args, bool v2);
    Value* persistentLoad(const Value* pid);
    Value* newObject(const Value* cls, const Value* args);
    void build(Value* target, Value* state);
    std::int64_t intArg(const Value* v, const char* what) const;
    std::vector<std::int64_t> intTuple(const Value* v, const char* what) const;
    void dispatch(std::uint8_t op);

    ByteReader m_in;
    Limits m_limits;
    Dialect m_dialect = Dialect::StateDict;
    Arena m_arena;
    std::vector<Value*> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, Value*> m_memo;
    std::map<std::string, const Value*> m_storages;
    std::uint64_t m_budget = 0;
    std::uint64_t m_budgetTotal = 0;
    std::size_t m_opStart = 0; ///< file offset of the opcode being run, for error messages
    bool m_stopped = false;
};

} // namespace featscale::analysis::weights::pickle
