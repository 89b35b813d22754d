// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/atomic_file.h"

#include <cstdint>
#include <string>

namespace featscale::analysis {

struct ImageResult;

/// Writes H x W float32 maps into a numpy .npz archive as they come: a zip archive (STORED, no
/// compression) holding one NPY v1.0 file per map ('<f4', C order, shape (H, W), header padded to
/// 64 bytes), so `np.load(path)[key]` returns the map. Each map goes to the file when added; only
/// its central-directory entry (about 100 bytes) stays in memory until close(). Zip64 records are
/// written when the archive outgrows plain zip (more than 65 534 maps, or 4 GiB), which numpy's
/// zipfile reads. The file is a StagedFile: nothing appears at path until the caller publishes it.
/// Entries carry a fixed 1980-01-01 time stamp, so the same maps give the same bytes.
/// Not thread-safe.
class NormMapArchive {
public:
    explicit NormMapArchive(std::string path); ///< throws Error naming path when it cannot be created
    NormMapArchive(const NormMapArchive&) = delete;
    NormMapArchive& operator=(const NormMapArchive&) = delete;

    /// Appends one map under key (the array's name in numpy; ".npy" is added inside the zip).
    /// Throws Error (naming the file) on a write failure or a map of more than 4 GiB.
    void add(const std::string& key, int height, int width, const float* values);
    /// Writes the central directory. The returned file is complete and ready to publish.
    StagedFile& close();

    std::uint64_t maps() const { return m_count; }
    const std::string& path() const { return m_file.path(); }

private:
    StagedFile m_file;
    std::uint64_t m_offset = 0; ///< bytes written so far
    std::uint64_t m_count = 0;
    std::string m_central; ///< central-directory entries so far
    bool m_closed = false;
};

/// Adds one analysed image's norm maps as `analyze --save-maps` writes them: each layer before
/// L2Norm, and after it for normalized layers, under the key IMAGE:LAYER:STAGE with IMAGE as in
/// summary.csv's image column. Throws Error as add() does.
void addImageNormMaps(NormMapArchive& archive, const ImageResult& result);

} // namespace featscale::analysis
