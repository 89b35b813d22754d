// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/file_names.h"
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"

#include "analysis/weights/formats/pytorch/internal/state_dict_walk.h"
#include "analysis/weights/formats/pytorch/internal/unpickler.h"

#include <cstring>
#include <map>

namespace featscale::analysis::weights {
namespace {

// torch.serialization's MAGIC_NUMBER, 0x1950a86a20f9469cfc6c, as LONG1 bytes (little-endian).
constexpr std::uint8_t kMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kProtocolVersion = 1001;

ByteView tail(ByteView file, std::size_t from) { return {file.data + from, file.size - from}; }

} // namespace

bool looksLikePytorchLegacy(ByteView head)
{
    // PROTO 2, LONG1 10 <magic>
    return head.size >= 14 && head.data[0] == 0x80 && head.data[2] == 0x8a && head.data[3] == 10 &&
           std::memcmp(head.data + 4, kMagic, sizeof kMagic) == 0;
}

ParsedTensors parsePytorchLegacy(ByteView file, const std::string& path)
{
    std::size_t pos = 0;

    pickle::Unpickler magic(file, path, 0);
    const pickle::Value* m = magic.load();
    if (m->kind != pickle::Kind::BigInt || m->s.size() != sizeof kMagic ||
        std::memcmp(m->s.data(), kMagic, sizeof kMagic) != 0)
        throw Error(path + ": not a PyTorch file (wrong magic number)");
    pos += magic.consumed();

    pickle::Unpickler protocol(tail(file, pos), path, pos);
    const pickle::Value* version = protocol.load();
    if (version->kind != pickle::Kind::Int || version->i != kProtocolVersion)
        throw Error(path + ": unsupported legacy PyTorch protocol version (expected 1001)");
    pos += protocol.consumed();

    pickle::Unpickler sysInfo(tail(file, pos), path, pos);
    const pickle::Value* info = sysInfo.load();
    const pickle::Value* little = info->dictGet("little_endian");
    if (info->kind != pickle::Kind::Dict || !little || little->kind != pickle::Kind::Bool)
        throw Error(path + ": malformed sys_info record");
    if (!little->i)
        throw Error(path + ": saved on a big-endian machine; only little-endian files are supported");
    pos += sysInfo.consumed();

    pickle::Unpickler object(tail(file, pos), path, pos);
    const pickle::Value* root = object.load();
    pos += object.consumed();
    std::vector<std::string> warnings;
    const std::vector<FoundTensor> found = findStateDict(root, path, warnings);

    pickle::Unpickler keyList(tail(file, pos), path, pos);
    const pickle::Value* keys = keyList.load();
    if (keys->kind != pickle::Kind::List)
        throw Error(path + ": malformed storage key list at byte " + std::to_string(pos));
    pos += keyList.consumed();

    // Raw storages, in key-list order. Each element count is checked against the bytes that are
    // really left before anything is sized from it; the data stays in the mapped file.
    ByteReader in(tail(file, pos), path, pos);
    std::map<std::string, ByteView> data;
    for (const pickle::Value* key : keys->items) {
        if (!key->isString())
            throw Error(path + ": storage key list holds a " + std::string(pickle::kindName(key->kind)));
        auto it = object.storages().find(key->s);
        if (it == object.storages().end())
            throw Error(path + ": storage " + excerpt(key->s) + " is listed but no tensor declares its type");
        const pickle::StorageInfo& s = *it->second->storage;
        const std::size_t es = elementSize(s.dtype);
        const std::uint64_t at = in.fileOffset();
        const std::int64_t count = in.i64le("storage element count");
        if (count < 0 || static_cast<std::uint64_t>(count) > in.remaining() / es)
            throw Error(path + ": storage " + excerpt(key->s) + " claims " + std::to_string(count) + " " +
                        dtypeName(s.dtype) + " elements at byte " + std::to_string(at) + " but only " +
                        std::to_string(in.remaining()) + " bytes follow (truncated at byte " +
                        std::to_string(file.size) + "?)");
        if (static_cast<std::uint64_t>(count) != s.rootNumel)
            throw Error(path + ": storage " + excerpt(key->s) + " has " + std::to_string(count) + " elements at byte " +
                        std::to_string(at) + " but the pickle declared " + std::to_string(s.rootNumel));
        const std::size_t bytes = static_cast<std::size_t>(count) * es;
        data[key->s] = {in.take(bytes, "storage data"), bytes};
    }

    ParsedTensors parsed = resolveTensors(
        found,
        [&](const pickle::StorageInfo& s) {
            auto it = data.find(s.key);
            if (it == data.end())
                throw Error(path + ": storage " + excerpt(s.key) +
                            " has no data in the file (missing from the key list)");
            return it->second;
        },
        path);
    parsed.warnings = std::move(warnings);
    checkOutputBudget(parsed, file.size, path);
    return parsed;
}

} // namespace featscale::analysis::weights
