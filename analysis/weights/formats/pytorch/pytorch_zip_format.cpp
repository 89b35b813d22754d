// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"

#include "analysis/weights/formats/pytorch/internal/state_dict_walk.h"
#include "analysis/weights/formats/pytorch/internal/unpickler.h"
#include "analysis/weights/formats/pytorch/internal/zip_archive.h"

#include <algorithm>

namespace featscale::analysis::weights {
namespace {

// The archive's single "<folder>/data.pkl"; torch names the folder after the file or "archive".
const ZipArchive::Entry* findDataPickle(const ZipArchive& zip, const std::string& path, std::string& folder)
{
    const ZipArchive::Entry* found = nullptr;
    std::string names;
    for (const auto& e : zip.entries()) {
        if (names.size() < 300)
            names += (names.empty() ? "" : ", ") + e.name;
        const std::size_t slash = e.name.find('/');
        if (slash == std::string::npos || slash == 0 || e.name.compare(slash, std::string::npos, "/data.pkl") != 0)
            continue;
        if (found)
            throw Error(path + ": zip archive holds two pickles (" + found->name + ", " + e.name + ")");
        found = &e;
        folder = e.name.substr(0, slash);
    }
    if (!found)
        throw Error(path + ": zip archive without a <folder>/data.pkl entry, so not a PyTorch file (entries: " +
                    (names.empty() ? "none" : names) + ")");
    return found;
}

ParsedTensors parseArchive(ByteView file, const std::string& path, bool verifyCrc, bool torchScript,
                           const ZipArchive::Prefetch& prefetch = {}, const TensorChooser& choose = {})
{
    ZipArchive zip(file, path, verifyCrc, prefetch);
    std::string folder;
    const ZipArchive::Entry* pkl = findDataPickle(zip, path, folder);

    // Written by PyTorch >= 1.13 on big-endian hosts as "big"; all data below is read little-endian.
    if (const ZipArchive::Entry* order = zip.find(folder + "/byteorder")) {
        const ByteView b = zip.data(*order);
        const std::string text(reinterpret_cast<const char*>(b.data), b.size);
        if (text != "little")
            throw Error(path + ": storages are stored with byte order '" + text.substr(0, 16) +
                        "'; only little-endian files are supported");
    }

    std::uint64_t offset = 0;
    const ByteView pickleBytes = zip.data(*pkl, &offset);
    using pickle::Unpickler;
    Unpickler unpickler(pickleBytes, path + ": " + pkl->name, offset, Unpickler::Limits{},
                        torchScript ? Unpickler::Dialect::TorchScript : Unpickler::Dialect::StateDict);
    const pickle::Value* root = unpickler.load();

    std::vector<std::string> warnings;
    std::vector<FoundTensor> found = torchScript ? findModuleTensors(root, path, warnings)
                                                 : findStateDict(root, path, warnings);
    if (choose) {
        std::vector<std::string> names;
        for (const auto& f : found)
            names.push_back(f.name);
        const std::set<std::string> chosen = choose(root, names);
        found.erase(
            std::remove_if(found.begin(), found.end(), [&](const FoundTensor& f) { return !chosen.count(f.name); }),
            found.end());
    }
    ParsedTensors parsed = resolveTensors(
        found,
        [&](const pickle::StorageInfo& s) {
            const std::string record = folder + "/data/" + s.key;
            const ZipArchive::Entry* e = zip.find(record);
            if (!e)
                throw Error(path + ": storage record " + record + " is missing from the archive");
            return zip.data(*e);
        },
        path);
    parsed.warnings = std::move(warnings);
    checkOutputBudget(parsed, file.size, path);
    return parsed;
}

} // namespace

ParsedTensors parsePytorchZip(ByteView file, const std::string& path, bool verifyCrc)
{
    return parseArchive(file, path, verifyCrc, /*torchScript=*/false);
}

ParsedTensors parsePytorchZipSelected(ByteView file, const std::string& path,
                                      const std::function<void(std::uint64_t, std::uint64_t)>& prefetch,
                                      const TensorChooser& choose)
{
    return parseArchive(file, path, /*verifyCrc=*/true, /*torchScript=*/false, prefetch, choose);
}

ParsedTensors parseTorchScript(ByteView file, const std::string& path, bool verifyCrc)
{
    return parseArchive(file, path, verifyCrc, /*torchScript=*/true);
}

} // namespace featscale::analysis::weights
