// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/csv.h"
#include "analysis/core/types.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <string_view>

namespace featscale::analysis {

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

namespace {

/// True when s, after its leading single quotes, starts with what a spreadsheet reads as a formula.
bool formulaLike(const std::string& s)
{
    const std::size_t first = s.find_first_not_of('\'');
    return first != std::string::npos && std::string_view("=+-@\t\r").find(s[first]) != std::string_view::npos;
}

} // namespace

std::string csvText(const std::string& s) { return csvField(formulaLike(s) ? "'" + s : s); }

std::string csvTextValue(const std::string& field)
{
    return field.size() > 1 && field[0] == '\'' && formulaLike(field.substr(1)) ? field.substr(1) : field;
}

std::string csvNumber(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::optional<double> csvNumberValue(const std::string& field)
{
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(field, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (field.empty() || used != field.size())
        return std::nullopt;
    return v;
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text, const std::string& source)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (quoted)
        throw Error(source + ": unterminated quoted field at end of file");
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace featscale::analysis
