// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/bench_util.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace featscale::bench {

Timing timeRuns(int repeat, const std::function<void()>& fn)
{
    fn();
    Timing t;
    for (int i = 0; i < std::max(1, repeat); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        t.runsMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    t.minMs = *std::min_element(t.runsMs.begin(), t.runsMs.end());
    t.medianMs = median(t.runsMs);
    return t;
}

double median(std::vector<double> values)
{
    if (values.empty())
        throw std::runtime_error("median of no values");
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void emit(const nlohmann::json& line) { std::cout << line.dump() << std::endl; }

Options::Options(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || i + 1 >= argc)
            throw std::runtime_error("expected --key value, got '" + a + "'");
        m_values[a.substr(2)] = argv[++i];
    }
}

std::string Options::str(const std::string& key, const std::string& fallback) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

int Options::integer(const std::string& key, int fallback) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : std::stoi(it->second);
}

std::vector<std::string> Options::list(const std::string& key, const std::string& fallback) const
{
    std::vector<std::string> out;
    std::stringstream ss(str(key, fallback));
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty())
            out.push_back(item);
    return out;
}

std::vector<int> Options::integers(const std::string& key, const std::string& fallback) const
{
    std::vector<int> out;
    for (const auto& s : list(key, fallback))
        out.push_back(std::stoi(s));
    return out;
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

} // namespace featscale::bench
