// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A tiny tmpfs mounted on a fresh folder, for exports to a full disk or a read-only file system.
// Mounting needs root (as in CI); `mounted` says whether it worked. Unmounted when the guard goes.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

namespace featscale::test {

struct TinyTmpfs {
    std::filesystem::path dir;
    bool mounted = false;

    TinyTmpfs(const std::filesystem::path& where, const char* size) : dir(where)
    {
        std::filesystem::create_directories(dir);
        const std::string opts = std::string("size=") + size;
        mounted = ::geteuid() == 0 && ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
    }
    TinyTmpfs(const TinyTmpfs&) = delete;
    TinyTmpfs& operator=(const TinyTmpfs&) = delete;

    bool remountReadOnly() { return ::mount("tmpfs", dir.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0; }
    bool remountWritable() { return ::mount("tmpfs", dir.c_str(), "tmpfs", MS_REMOUNT, nullptr) == 0; }

    /// Fills the file system with `name` until a write fails; returns the bytes written.
    std::size_t fill(const std::string& name = "filler") const
    {
        std::ofstream out(dir / name, std::ios::binary);
        const std::string block(4096, 'f');
        std::size_t written = 0;
        while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush())
            written += block.size();
        return written;
    }

    ~TinyTmpfs()
    {
        if (mounted)
            ::umount2(dir.c_str(), MNT_DETACH);
    }
};

} // namespace featscale::test
