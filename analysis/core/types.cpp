// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/types.h"

#include <algorithm>
#include <cstdlib>

namespace featscale::analysis {
namespace {

template <typename T, std::size_t N>
T parseName(const std::string& s, const std::pair<const char*, T> (&names)[N], const char* what)
{
    for (const auto& [name, value] : names)
        if (s == name)
            return value;
    std::string valid;
    for (const auto& [name, value] : names)
        valid += (valid.empty() ? "" : ", ") + std::string(name);
    throw Error("unknown " + std::string(what) + " '" + s + "' (valid: " + valid + ")");
}

constexpr std::pair<const char*, Arch> kArchNames[] = {
    {"vgg16", Arch::Vgg16},   {"vgg16-reduced", Arch::Vgg16Reduced}, {"vgg16-bn", Arch::Vgg16Bn},
    {"ssd512", Arch::Ssd512}, {"refinedet", Arch::RefineDet},        {"s3fd", Arch::S3fd}};
constexpr std::pair<const char*, Preset> kPresetNames[] = {
    {"caffe", Preset::Caffe}, {"torchvision", Preset::Torchvision}, {"caffe-rgb", Preset::CaffeRgb}};

constexpr std::pair<const char*, Stage> kStageNames[] = {{"before", Stage::Before}, {"after", Stage::After}};

template <typename T, std::size_t N> std::string nameOf(T value, const std::pair<const char*, T> (&names)[N])
{
    for (const auto& [name, v] : names)
        if (v == value)
            return name;
    return "?";
}

int parsePositive(const std::string& s, const std::string& whole)
{
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 32 || v > 8192)
        throw Error("invalid size '" + whole + "': expected a side length between 32 and 8192");
    return static_cast<int>(v);
}

} // namespace

std::string toString(Arch a) { return nameOf(a, kArchNames); }
std::string toString(Preset p) { return nameOf(p, kPresetNames); }
std::string toString(EpsMode e) { return epsModeInfo(e).name; }
std::string toString(Stage s) { return nameOf(s, kStageNames); }
Stage parseStage(const std::string& s) { return parseName(s, kStageNames, "stage"); }

const std::vector<EpsModeInfo>& epsModes()
{
    static const std::vector<EpsModeInfo> modes = {
        {EpsMode::Caffe, "caffe", "x / sqrt(Σx² + 1e-10)", "Caffe SSD's Normalize layer"},
        {EpsMode::SsdPytorch, "ssd-pytorch", "x / (sqrt(Σx²) + 1e-10)", "ssd.pytorch's and mmdetection's L2Norm"},
        {EpsMode::Torchvision, "torchvision", "x / max(sqrt(Σx²), 1e-12)", "torch.nn.functional.normalize"},
        {EpsMode::Tf, "tf", "x * rsqrt(max(Σx², 1e-12))", "tf.math.l2_normalize"},
        {EpsMode::Naive, "naive", "x / sqrt(Σx²)", "no guard: NaN at all-zero vectors (counted and reported)"},
    };
    return modes;
}

const EpsModeInfo& epsModeInfo(EpsMode mode)
{
    for (const auto& m : epsModes())
        if (m.mode == mode)
            return m;
    throw Error("unknown eps mode");
}
Arch parseArch(const std::string& s) { return parseName(s, kArchNames, "architecture"); }
Preset parsePreset(const std::string& s) { return parseName(s, kPresetNames, "preset"); }
EpsMode parseEpsMode(const std::string& s)
{
    std::string valid;
    for (const auto& m : epsModes()) {
        if (s == m.name)
            return m.mode;
        valid += (valid.empty() ? "" : ", ") + std::string(m.name);
    }
    throw Error("unknown eps mode '" + s + "' (valid: " + valid + ")");
}

std::string toString(const SizeSpec& s)
{
    switch (s.mode) {
    case SizeSpec::Mode::Square:
        return "square:" + std::to_string(s.value);
    case SizeSpec::Mode::ShorterSide:
        return "short:" + std::to_string(s.value);
    case SizeSpec::Mode::Original:
        return "original:max=" + std::to_string(s.maxPixels);
    }
    return "?";
}

SizeSpec parseSizeSpec(const std::string& s)
{
    SizeSpec spec;
    const auto colon = s.find(':');
    const std::string head = s.substr(0, colon);
    const std::string tail = colon == std::string::npos ? "" : s.substr(colon + 1);
    if (!head.empty() && std::all_of(head.begin(), head.end(), ::isdigit) && colon == std::string::npos) {
        spec.value = parsePositive(head, s);
        return spec;
    }
    if (head == "square") {
        spec.value = parsePositive(tail, s);
    } else if (head == "short") {
        spec.mode = SizeSpec::Mode::ShorterSide;
        spec.value = parsePositive(tail, s);
    } else if (head == "original") {
        spec.mode = SizeSpec::Mode::Original;
        if (!tail.empty()) {
            if (tail.rfind("max=", 0) != 0)
                throw Error("invalid size '" + s + "': expected original or original:max=PIXELS");
            char* end = nullptr;
            const long long v = std::strtoll(tail.c_str() + 4, &end, 10);
            if (*end != '\0' || v < 32 * 32 || v > kMaxOriginalPixels)
                throw Error("invalid size '" + s + "': max pixels must be between 1024 and " +
                            std::to_string(kMaxOriginalPixels));
            spec.maxPixels = v;
        }
    } else {
        throw Error("invalid size '" + s + "' (valid: N, square:N, short:N, original, original:max=PIXELS)");
    }
    return spec;
}

} // namespace featscale::analysis
