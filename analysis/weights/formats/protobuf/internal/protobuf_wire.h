// SPDX-License-Identifier: GPL-3.0-or-later
// A bounds-checked reader of the protobuf wire format, just enough for the
// two protobuf weight formats (Caffe's NetParameter, ONNX's ModelProto). Reading the wire format
// directly, instead of through a generated parser or OpenCV dnn, means a hostile file can only ever
// produce a ProtoError: every length is checked against the bytes that are really there, nothing is
// allocated from a claimed count, and nothing recurses deeper than the caller asks.
#pragma once

#include "analysis/core/internal/boundary.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// Malformed or truncated protobuf data; offset() is the byte position in the whole file.
class ProtoError : public std::runtime_error {
public:
    ProtoError(const std::string& what, std::size_t offset)
        : std::runtime_error(what + " at byte " + std::to_string(offset)), m_offset(offset)
    { }
    std::size_t offset() const { return m_offset; }

private:
    std::size_t m_offset;
};

/// A view of bytes inside the file buffer, remembering where it starts in the file.
struct ProtoBytes {
    const unsigned char* data = nullptr;
    std::size_t size = 0;
    std::size_t fileOffset = 0;

    std::string str() const { return {reinterpret_cast<const char*>(data), size}; }
};

/// One field as read from the wire.
struct ProtoField {
    enum WireType { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };
    std::uint32_t number = 0;
    WireType wire = kVarint;
    std::uint64_t varint = 0;   ///< kVarint; also the raw bits of kFixed64 / kFixed32
    ProtoBytes bytes;           ///< kBytes: the payload (a string, a sub-message or a packed array)
    std::size_t fileOffset = 0; ///< where the field's tag starts

    float asFloat() const;   ///< kFixed32 reinterpreted
    double asDouble() const; ///< kFixed64 reinterpreted
    /// A signed int32/int64 field (two's complement in the varint).
    std::int64_t asInt64() const { return static_cast<std::int64_t>(varint); }
};

/// A whole protobuf file in memory (its size is what justifies the allocation).
struct ProtoFile {
    std::vector<unsigned char> bytes;
    std::string sha256; ///< of bytes, when read from a file
    ProtoBytes all() const { return {bytes.data(), bytes.size(), 0}; }
};

/// Reads path completely; throws Error naming the file when it cannot (or is 2 GiB or larger,
/// which no protobuf message can be).
ProtoFile readProtoFile(const std::string& path);

/// Iterates over the fields of one message. Groups (wire types 3/4, deprecated since proto2)
/// are refused: none of the formats read here uses them.
class ProtoReader {
public:
    explicit ProtoReader(const ProtoBytes& message);

    /// Reads the next field; false at the end of the message. Throws ProtoError when a tag,
    /// varint or length runs past the end.
    bool next(ProtoField& field);

private:
    std::uint64_t readVarint();

    const unsigned char* m_begin;
    const unsigned char* m_pos;
    const unsigned char* m_end;
    std::size_t m_fileOffset;
};

/// Decodes a repeated scalar field that may be packed (kBytes) or not (one value per field).
/// Values are appended to out; their count is bounded by the bytes of the field itself.
void appendVarints(const ProtoField& field, std::vector<std::int64_t>& out);

/// The number of 32-bit floats in a packed or unpacked float field occurrence.
std::size_t floatCount(const ProtoField& field);
/// Copies the floats of one occurrence to dst (which must have room for floatCount(field)).
void copyFloats(const ProtoField& field, float* dst);

/// Same for 64-bit doubles, converted to float.
std::size_t doubleCount(const ProtoField& field);
void copyDoubles(const ProtoField& field, float* dst);

} // namespace featscale::analysis::weights
