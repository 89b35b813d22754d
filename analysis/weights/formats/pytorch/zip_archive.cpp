// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/zip_archive.h"

#include "analysis/core/crc32.h"
#include "analysis/core/zip_format.h"

#include <array>

namespace featscale::analysis::weights {
namespace {

using namespace analysis::zip;

constexpr std::uint16_t kFlagEncrypted = 0x0001;

std::uint32_t readU32(const std::uint8_t* p) { return static_cast<std::uint32_t>(ByteReader::le(p, 4)); }

} // namespace

ZipArchive::ZipArchive(ByteView archive, std::string path, bool verifyCrc, Prefetch prefetch)
    : m_archive(archive), m_path(std::move(path)), m_verifyCrc(verifyCrc), m_prefetch(std::move(prefetch))
{
    readCentralDirectory();
    m_crcChecked.assign(m_entries.size(), false);
}

void ZipArchive::fail(const std::string& problem) const { throw Error(m_path + ": damaged zip archive: " + problem); }

void ZipArchive::readCentralDirectory()
{
    const std::size_t size = m_archive.size;
    if (size < kEndOfCentralDirSize)
        fail("truncated at byte " + std::to_string(size) + " (too short for an end-of-central-directory record)");
    // The end record sits at the very end, before an optional comment of up to 65535 bytes.
    std::size_t eocd = size;
    const std::size_t lowest = size - kEndOfCentralDirSize > 65535 ? size - kEndOfCentralDirSize - 65535 : 0;
    need(lowest >= 20 + 56 ? lowest - 20 - 56 : 0, size); // with a zip64 locator and record just before
    for (std::size_t p = size - kEndOfCentralDirSize + 1; p-- > lowest;) {
        if (readU32(m_archive.data + p) == kEndOfCentralDir) {
            eocd = p;
            break;
        }
    }
    if (eocd == size)
        fail("no end-of-central-directory record (truncated at byte " + std::to_string(size) + "?)");

    ByteReader end({m_archive.data + eocd, size - eocd}, m_path, eocd);
    end.u32le("zip end record");
    const std::uint16_t disk = end.u16le("zip end record");
    const std::uint16_t cdDisk = end.u16le("zip end record");
    end.u16le("zip end record");
    std::uint64_t count = end.u16le("zip end record");
    std::uint64_t cdSize = end.u32le("zip end record");
    std::uint64_t cdOffset = end.u32le("zip end record");
    if (disk != 0 || cdDisk != 0)
        fail("multi-volume archives are not supported");

    if (count == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu) {
        if (eocd < 20 || readU32(m_archive.data + eocd - 20) != kZip64Locator)
            fail("zip64 end locator missing");
        ByteReader loc({m_archive.data + eocd - 20, 20}, m_path, eocd - 20);
        loc.u32le("zip64 locator");
        loc.u32le("zip64 locator");
        const std::uint64_t eocd64 = loc.u64le("zip64 locator");
        if (eocd64 > size || size - eocd64 < 56)
            fail("zip64 end record offset " + std::to_string(eocd64) + " beyond the file's " + std::to_string(size) +
                 " bytes");
        need(eocd64, 56);
        ByteReader e64({m_archive.data + eocd64, size - static_cast<std::size_t>(eocd64)}, m_path, eocd64);
        if (e64.u32le("zip64 end record") != kZip64EndOfCentralDir)
            fail("bad zip64 end record signature");
        e64.take(8 + 2 + 2 + 4 + 4 + 8, "zip64 end record");
        count = e64.u64le("zip64 end record");
        cdSize = e64.u64le("zip64 end record");
        cdOffset = e64.u64le("zip64 end record");
    }
    if (cdOffset > size || cdSize > size - cdOffset)
        fail("central directory [" + std::to_string(cdOffset) + ", +" + std::to_string(cdSize) +
             ") lies outside the file's " + std::to_string(size) + " bytes (truncated?)");
    if (count > cdSize / kCentralHeaderSize)
        fail("claims " + std::to_string(count) + " entries in a " + std::to_string(cdSize) + "-byte directory");

    need(cdOffset, cdSize);
    ByteReader cd({m_archive.data + cdOffset, static_cast<std::size_t>(cdSize)}, m_path, cdOffset);
    m_entries.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t k = 0; k < count; ++k) {
        if (cd.u32le("central directory entry") != kCentralHeader)
            fail("bad central directory signature at byte " + std::to_string(cd.fileOffset() - 4));
        Entry e;
        cd.take(4, "central directory entry");
        e.flags = cd.u16le("central directory entry");
        e.method = cd.u16le("central directory entry");
        cd.take(4, "central directory entry"); // modification time and date
        e.crc32 = cd.u32le("central directory entry");
        e.compressedSize = cd.u32le("central directory entry");
        e.uncompressedSize = cd.u32le("central directory entry");
        const std::uint16_t nameLen = cd.u16le("central directory entry");
        const std::uint16_t extraLen = cd.u16le("central directory entry");
        const std::uint16_t commentLen = cd.u16le("central directory entry");
        cd.take(8, "central directory entry");
        e.localHeaderOffset = cd.u32le("central directory entry");
        const std::uint8_t* name = cd.take(nameLen, "entry name");
        e.name.assign(reinterpret_cast<const char*>(name), nameLen);
        ByteReader extra({cd.take(extraLen, "entry extra field"), extraLen}, m_path, cd.fileOffset() - extraLen);
        while (extra.remaining() >= 4) {
            const std::uint16_t id = extra.u16le("extra field");
            const std::uint16_t len = extra.u16le("extra field");
            ByteReader field({extra.take(len, "extra field"), len}, m_path, extra.fileOffset() - len);
            if (id != kZip64ExtraId)
                continue;
            if (e.uncompressedSize == 0xffffffffu)
                e.uncompressedSize = field.u64le("zip64 size");
            if (e.compressedSize == 0xffffffffu)
                e.compressedSize = field.u64le("zip64 size");
            if (e.localHeaderOffset == 0xffffffffu)
                e.localHeaderOffset = field.u64le("zip64 offset");
        }
        cd.take(commentLen, "entry comment");
        m_index.emplace(e.name, m_entries.size());
        m_entries.push_back(std::move(e));
    }
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const
{
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

ByteView ZipArchive::data(const Entry& e, std::uint64_t* fileOffset) const
{
    if (e.flags & kFlagEncrypted)
        fail("entry " + e.name + " is encrypted");
    if (e.method != 0)
        fail("entry " + e.name + " is compressed (method " + std::to_string(e.method) +
             "); PyTorch archives store entries uncompressed");
    if (e.compressedSize != e.uncompressedSize)
        fail("stored entry " + e.name + " has different compressed and uncompressed sizes");
    const std::size_t size = m_archive.size;
    if (e.localHeaderOffset > size || size - e.localHeaderOffset < kLocalHeaderSize)
        fail("entry " + e.name + " starts at byte " + std::to_string(e.localHeaderOffset) + ", beyond the file's " +
             std::to_string(size) + " bytes (truncated?)");
    need(e.localHeaderOffset, kLocalHeaderSize);
    const std::uint8_t* local = m_archive.data + e.localHeaderOffset;
    if (readU32(local) != kLocalHeader)
        fail("bad local header signature for entry " + e.name);
    const std::uint64_t nameLen = ByteReader::le(local + 26, 2);
    const std::uint64_t extraLen = ByteReader::le(local + 28, 2);
    const std::uint64_t start = e.localHeaderOffset + kLocalHeaderSize + nameLen + extraLen;
    if (start > size || e.uncompressedSize > size - start)
        fail("entry " + e.name + " claims " + std::to_string(e.uncompressedSize) + " bytes at byte " +
             std::to_string(start) + " but the file has only " + std::to_string(size) + " bytes (truncated?)");
    need(start, e.uncompressedSize);
    const ByteView bytes{m_archive.data + start, static_cast<std::size_t>(e.uncompressedSize)};
    const std::size_t index = static_cast<std::size_t>(&e - m_entries.data());
    if (m_verifyCrc && index < m_crcChecked.size() && !m_crcChecked[index]) {
        if (crc32(bytes.data, bytes.size) != e.crc32)
            fail("entry " + e.name + " fails its CRC-32 check (the file is corrupt)");
        m_crcChecked[index] = true;
    }
    if (fileOffset)
        *fileOffset = start;
    return bytes;
}

} // namespace featscale::analysis::weights
