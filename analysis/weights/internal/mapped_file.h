// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/internal/byte_reader.h"

#include <string>

namespace featscale::analysis::weights {

/// A regular file mapped read-only into memory. Weight files reach hundreds of megabytes; mapping
/// lets the readers convert tensors straight from the page cache instead of holding a second copy.
/// Throws Error naming the path (missing, not a regular file, empty, unreadable).
class MappedFile {
public:
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    ByteView bytes() const { return {static_cast<const std::uint8_t*>(m_data), m_size}; }

private:
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace featscale::analysis::weights
