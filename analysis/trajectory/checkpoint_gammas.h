// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// A checkpoint's learned L2Norm gammas and the training step it records, read without loading
/// the network: what a trajectory over many checkpoints needs from each.
struct CheckpointGammas {
    std::string path;
    /// Learned gamma per normalized tap ("conv4_3" -> 512 values), each checked (checkGamma).
    std::map<std::string, std::vector<float>> gammas;
    /// The training step the file itself records, and where: "meta.iter" / "meta.epoch"
    /// (mmdetection), "iteration", "iter", "global_step", "step" or "epoch" (a checkpoint dict's
    /// own entry: S3FD.pytorch's {'weight', 'epoch'}, lufficc/SSD's iteration). Unset when the file
    /// records none (then stepFromFileName() decides).
    std::optional<std::int64_t> step;
    std::string stepSource;
    /// How the file was read: "gamma records" (a PyTorch zip archive of a known layout: its
    /// central directory, pickle and γ records only) or "whole file" (every other format).
    std::string readMode;
    std::uint64_t bytesRead = 0; ///< bytes read from the file
    std::uint64_t fileBytes = 0;
};

/// Reads path's learned gammas and recorded step. PyTorch zip archives (torch.save since 1.6) in a
/// layout known by its key names are read piecewise: only the records γ is stored in are read
/// (a few kB of a 100 MB SSD300 checkpoint), so memory and time do not grow with the file; other
/// files are read whole as `weights FILE` reads them, one at a time. Nothing in a file is
/// executed. Throws Error naming the file and the problem (unreadable, no learned gamma, a gamma
/// of the wrong length or with NaN/Inf values).
CheckpointGammas readCheckpointGammas(const std::string& path);

/// The step a checkpoint's file name gives: Caffe solver snapshots' "_iter_N" ("VGG_SSD_iter_120000
/// .caffemodel": 120000, source "file name _iter_N"), else the last number in the name without
/// its extension ("ssd300_COCO_115000.pth", "RefineDet320_VOC_epoches_240.pth": 115000, 240; source
/// "file name"). Unset (source empty) when the name holds no number.
std::optional<std::int64_t> stepFromFileName(const std::string& path, std::string* source = nullptr);

} // namespace featscale::analysis
