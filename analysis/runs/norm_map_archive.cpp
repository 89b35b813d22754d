// SPDX-License-Identifier: GPL-3.0-or-later
// numpy's .npz, written by hand: the zip subset numpy reads (APPNOTE 6.3.x: local headers,
// central directory, zip64 end records) and the NPY 1.0 header (numpy/lib/format.py).
#include "analysis/runs/norm_map_archive.h"

#include "analysis/core/crc32.h"
#include "analysis/core/types.h"
#include "analysis/core/zip_format.h"
#include "analysis/engine/analyzer.h"
#include "analysis/runs/internal/run_format.h"

#include <cstring>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "norm_map_archive.cpp writes floats as '<f4' straight from memory: little-endian hosts only"
#endif

namespace featscale::analysis {
namespace {

using namespace zip;

constexpr std::uint16_t kFlagUtf8Name = 0x0800; // names are UTF-8 (image names are escaped to be)
constexpr std::uint16_t kVersion = 20;          // 2.0: stored entries
constexpr std::uint16_t kVersionZip64 = 45;     // 4.5: zip64 extensions
constexpr std::uint16_t kMadeByUnix = (3 << 8) | kVersionZip64;
constexpr std::uint16_t kDosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the earliest zip date
constexpr std::uint32_t kMax32 = 0xffffffffu;
constexpr std::uint16_t kMax16 = 0xffffu;

void put16(std::string& s, std::uint16_t v)
{
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
}

void put32(std::string& s, std::uint32_t v)
{
    for (int k = 0; k < 4; ++k)
        s.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}

void put64(std::string& s, std::uint64_t v)
{
    for (int k = 0; k < 8; ++k)
        s.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
}

// NPY format 1.0: magic, version, little-endian header length, then a Python dict literal padded
// with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes.
std::string npyHeader(int height, int width)
{
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(height) + ", " +
                       std::to_string(width) + "), }";
    const std::size_t fixed = 10; // magic (6), version (2), header length (2)
    const std::size_t total = (fixed + dict.size() + 1 + 63) / 64 * 64;
    dict.append(total - fixed - dict.size() - 1, ' ');
    dict.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    put16(out, static_cast<std::uint16_t>(dict.size()));
    return out + dict;
}

} // namespace

NormMapArchive::NormMapArchive(std::string path) : m_file(std::move(path)) { }

void NormMapArchive::add(const std::string& key, int height, int width, const float* values)
{
    if (m_closed)
        throw Error(m_file.path() + ": internal error, map added after the archive was closed");
    if (height < 0 || width < 0)
        throw Error(m_file.path() + ": internal error, negative map size for " + key);
    const std::string name = key + ".npy";
    if (name.size() > kMax16)
        throw Error(m_file.path() + ": the name of map " + key.substr(0, 200) + "... exceeds zip's 65535 bytes");
    const std::string header = npyHeader(height, width);
    const std::uint64_t dataBytes = static_cast<std::uint64_t>(height) * static_cast<std::uint64_t>(width) * 4;
    const std::uint64_t size = header.size() + dataBytes;
    if (size >= kMax32)
        throw Error(m_file.path() + ": map " + key +
                    " is larger than 4 GiB, which a zip entry without zip64 "
                    "sizes cannot hold");
    std::uint32_t crc = crc32(header.data(), header.size());
    crc = crc32(values, static_cast<std::size_t>(dataBytes), crc);

    std::string local;
    put32(local, kLocalHeader);
    put16(local, kVersion);
    put16(local, kFlagUtf8Name);
    put16(local, 0); // stored
    put16(local, 0); // time 00:00
    put16(local, kDosDate);
    put32(local, crc);
    put32(local, static_cast<std::uint32_t>(size)); // compressed = uncompressed
    put32(local, static_cast<std::uint32_t>(size));
    put16(local, static_cast<std::uint16_t>(name.size()));
    put16(local, 0); // no extra field: sizes fit, and the local header holds no offset
    local += name;
    local += header;
    m_file.append(local);
    m_file.append(std::string_view(reinterpret_cast<const char*>(values), static_cast<std::size_t>(dataBytes)));

    // Central entry; its offset moves to a zip64 extra field once it no longer fits 32 bits.
    const bool bigOffset = m_offset >= kMax32;
    std::string& c = m_central;
    put32(c, kCentralHeader);
    put16(c, kMadeByUnix);                          // made by (Unix, so the attributes below are read)
    put16(c, bigOffset ? kVersionZip64 : kVersion); // needed to extract
    put16(c, kFlagUtf8Name);
    put16(c, 0);
    put16(c, 0);
    put16(c, kDosDate);
    put32(c, crc);
    put32(c, static_cast<std::uint32_t>(size));
    put32(c, static_cast<std::uint32_t>(size));
    put16(c, static_cast<std::uint16_t>(name.size()));
    put16(c, bigOffset ? 12 : 0); // extra field length
    put16(c, 0);                  // comment length
    put16(c, 0);                  // disk
    put16(c, 0);                  // internal attributes
    put32(c, 0100644u << 16);     // external attributes: a regular file, rw-r--r--
    put32(c, bigOffset ? kMax32 : static_cast<std::uint32_t>(m_offset));
    c += name;
    if (bigOffset) {
        put16(c, kZip64ExtraId);
        put16(c, 8);
        put64(c, m_offset);
    }
    m_offset += local.size() + dataBytes;
    ++m_count;
}

StagedFile& NormMapArchive::close()
{
    if (m_closed)
        return m_file;
    const std::uint64_t cdOffset = m_offset;
    const std::uint64_t cdSize = m_central.size();
    m_file.append(m_central);
    m_central.clear();
    m_central.shrink_to_fit();
    std::string end;
    const bool zip64 = m_count >= kMax16 || cdOffset >= kMax32 || cdSize >= kMax32;
    if (zip64) {
        const std::uint64_t recordOffset = cdOffset + cdSize;
        put32(end, kZip64EndOfCentralDir);
        put64(end, 44); // size of the rest of this record
        put16(end, kVersionZip64);
        put16(end, kVersionZip64);
        put32(end, 0); // this disk
        put32(end, 0); // disk of the central directory
        put64(end, m_count);
        put64(end, m_count);
        put64(end, cdSize);
        put64(end, cdOffset);
        put32(end, kZip64Locator);
        put32(end, 0);
        put64(end, recordOffset);
        put32(end, 1); // disks
    }
    put32(end, kEndOfCentralDir);
    put16(end, 0);
    put16(end, 0);
    put16(end, m_count >= kMax16 ? kMax16 : static_cast<std::uint16_t>(m_count));
    put16(end, m_count >= kMax16 ? kMax16 : static_cast<std::uint16_t>(m_count));
    put32(end, cdSize >= kMax32 ? kMax32 : static_cast<std::uint32_t>(cdSize));
    put32(end, cdOffset >= kMax32 ? kMax32 : static_cast<std::uint32_t>(cdOffset));
    put16(end, 0); // comment length
    m_file.append(end);
    m_closed = true;
    return m_file;
}

void addImageNormMaps(NormMapArchive& archive, const ImageResult& result)
{
    const std::string image = imageField(result.path);
    auto add = [&](const std::string& layer, const NormMap& map, Stage stage) {
        archive.add(image + ":" + layer + ":" + toString(stage), map.height, map.width, map.values.data());
    };
    for (const auto& l : result.layers) {
        add(l.layer, l.before, Stage::Before);
        if (l.normalized)
            add(l.layer, l.after, Stage::After);
    }
}

} // namespace featscale::analysis
