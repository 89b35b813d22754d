// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

/// The zip format's record signatures and fixed sizes (PKWARE APPNOTE 6.3), shared by the reader
/// of PyTorch archives (analysis/weights/formats/pytorch/zip_archive.cpp) and the writer of norm_maps.npz
/// (analysis/runs/norm_map_archive.cpp).
namespace featscale::analysis::zip {

inline constexpr std::uint32_t kLocalHeader = 0x04034b50;
inline constexpr std::uint32_t kCentralHeader = 0x02014b50;
inline constexpr std::uint32_t kEndOfCentralDir = 0x06054b50;
inline constexpr std::uint32_t kZip64EndOfCentralDir = 0x06064b50;
inline constexpr std::uint32_t kZip64Locator = 0x07064b50;
inline constexpr std::uint16_t kZip64ExtraId = 0x0001;
inline constexpr std::size_t kLocalHeaderSize = 30;
inline constexpr std::size_t kCentralHeaderSize = 46;
inline constexpr std::size_t kEndOfCentralDirSize = 22;

} // namespace featscale::analysis::zip
