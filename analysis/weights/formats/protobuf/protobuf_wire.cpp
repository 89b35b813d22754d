// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"
#include "analysis/weights/bytes/internal/file_bytes.h"

#include "analysis/core/types.h"

#include <cstring>
#include <filesystem>
#include <fstream>

namespace featscale::analysis::weights {
namespace {

// The formats store floats little-endian; so does every machine featscale runs on (x86-64,
// aarch64). A big-endian port would need byte swaps here.
static_assert(sizeof(float) == 4 && sizeof(double) == 8, "IEEE-754 float/double expected");

} // namespace

float ProtoField::asFloat() const
{
    const auto bits = static_cast<std::uint32_t>(varint);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

double ProtoField::asDouble() const
{
    double d;
    std::memcpy(&d, &varint, sizeof d);
    return d;
}

ProtoReader::ProtoReader(const ProtoBytes& message)
    : m_begin(message.data), m_pos(message.data), m_end(message.data + message.size), m_fileOffset(message.fileOffset)
{ }

std::uint64_t ProtoReader::readVarint()
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_pos >= m_end)
            throw ProtoError("truncated varint", m_fileOffset + static_cast<std::size_t>(m_pos - m_begin));
        const unsigned char b = *m_pos++;
        value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80))
            return value;
    }
    throw ProtoError("varint longer than 10 bytes", m_fileOffset + static_cast<std::size_t>(m_pos - m_begin));
}

bool ProtoReader::next(ProtoField& field)
{
    if (m_pos >= m_end)
        return false;
    const std::size_t tagOffset = m_fileOffset + static_cast<std::size_t>(m_pos - m_begin);
    const std::uint64_t tag = readVarint();
    field = ProtoField{};
    field.fileOffset = tagOffset;
    field.number = static_cast<std::uint32_t>(tag >> 3);
    if (field.number == 0 || (tag >> 3) > 0x1fffffff)
        throw ProtoError("invalid field number", tagOffset);
    const auto remaining = static_cast<std::size_t>(m_end - m_pos);
    switch (tag & 7) {
    case 0:
        field.wire = ProtoField::kVarint;
        field.varint = readVarint();
        return true;
    case 1:
        if (remaining < 8)
            throw ProtoError("truncated 64-bit field " + std::to_string(field.number), tagOffset);
        field.wire = ProtoField::kFixed64;
        std::memcpy(&field.varint, m_pos, 8);
        m_pos += 8;
        return true;
    case 5: {
        if (remaining < 4)
            throw ProtoError("truncated 32-bit field " + std::to_string(field.number), tagOffset);
        field.wire = ProtoField::kFixed32;
        std::uint32_t bits;
        std::memcpy(&bits, m_pos, 4);
        field.varint = bits;
        m_pos += 4;
        return true;
    }
    case 2: {
        const std::uint64_t len = readVarint();
        const auto left = static_cast<std::uint64_t>(m_end - m_pos);
        if (len > left)
            throw ProtoError("field " + std::to_string(field.number) + " claims " + std::to_string(len) +
                                 " bytes but only " + std::to_string(left) + " remain",
                             tagOffset);
        field.wire = ProtoField::kBytes;
        field.bytes.data = m_pos;
        field.bytes.size = static_cast<std::size_t>(len);
        field.bytes.fileOffset = m_fileOffset + static_cast<std::size_t>(m_pos - m_begin);
        m_pos += len;
        return true;
    }
    default:
        throw ProtoError("unsupported wire type " + std::to_string(tag & 7) + " (field " +
                             std::to_string(field.number) + ")",
                         tagOffset);
    }
}

void appendVarints(const ProtoField& field, std::vector<std::int64_t>& out)
{
    if (field.wire == ProtoField::kVarint) {
        out.push_back(field.asInt64());
        return;
    }
    if (field.wire != ProtoField::kBytes)
        throw ProtoError("integer field " + std::to_string(field.number) + " has the wrong wire type",
                         field.fileOffset);
    ProtoBytes rest = field.bytes;
    // A packed array is varints back to back, without tags.
    const unsigned char* p = rest.data;
    const unsigned char* end = rest.data + rest.size;
    while (p < end) {
        std::uint64_t value = 0;
        int shift = 0;
        for (;;) {
            if (p >= end || shift >= 64)
                throw ProtoError("truncated packed varint", rest.fileOffset + static_cast<std::size_t>(p - rest.data));
            const unsigned char b = *p++;
            value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            shift += 7;
            if (!(b & 0x80))
                break;
        }
        out.push_back(static_cast<std::int64_t>(value));
    }
}

std::size_t floatCount(const ProtoField& field)
{
    if (field.wire == ProtoField::kFixed32)
        return 1;
    if (field.wire != ProtoField::kBytes || field.bytes.size % 4 != 0)
        throw ProtoError("float field " + std::to_string(field.number) + " is malformed", field.fileOffset);
    return field.bytes.size / 4;
}

void copyFloats(const ProtoField& field, float* dst)
{
    if (field.wire == ProtoField::kFixed32) {
        *dst = field.asFloat();
        return;
    }
    std::memcpy(dst, field.bytes.data, field.bytes.size);
}

std::size_t doubleCount(const ProtoField& field)
{
    if (field.wire == ProtoField::kFixed64)
        return 1;
    if (field.wire != ProtoField::kBytes || field.bytes.size % 8 != 0)
        throw ProtoError("double field " + std::to_string(field.number) + " is malformed", field.fileOffset);
    return field.bytes.size / 8;
}

void copyDoubles(const ProtoField& field, float* dst)
{
    if (field.wire == ProtoField::kFixed64) {
        *dst = static_cast<float>(field.asDouble());
        return;
    }
    for (std::size_t i = 0; i < field.bytes.size / 8; ++i) {
        double d;
        std::memcpy(&d, field.bytes.data + 8 * i, 8);
        dst[i] = static_cast<float>(d);
    }
}

ProtoFile readProtoFile(const std::string& path)
{
    // Protobuf itself cannot describe messages of 2 GiB or more; a larger file is not one of ours.
    FileBytes read(path, (std::uint64_t{1} << 31) - 1);
    ProtoFile file;
    file.sha256 = read.sha256();
    file.bytes = read.release();
    return file;
}

} // namespace featscale::analysis::weights
