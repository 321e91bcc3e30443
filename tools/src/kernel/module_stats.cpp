#include "kernel/module_stats.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "kernel/knob.hpp"

namespace diobench {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

std::optional<std::pair<std::string, std::uint64_t>> parse_line(std::string_view line)
{
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    const std::size_t name_start = i;
    while (i < line.size() && !is_space(line[i])) {
        ++i;
    }
    const std::string_view name = line.substr(name_start, i - name_start);
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    const std::size_t value_start = i;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) != 0) {
        ++i;
    }
    const std::string_view digits = line.substr(value_start, i - value_start);
    while (i < line.size() && is_space(line[i])) {
        ++i;
    }
    if (name.empty() || digits.empty() || i != line.size()) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) {
        return std::nullopt;  // overflow
    }
    return std::make_pair(std::string(name), value);
}

}  // namespace

ModuleStats parse_module_stats(std::string_view text)
{
    ModuleStats stats;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        if (auto entry = parse_line(text.substr(start, end - start))) {
            stats.push_back(std::move(*entry));
        }
        start = end + 1;
    }
    return stats;
}

std::optional<ModuleStats> read_module_stats(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
        return std::nullopt;
    }
    return parse_module_stats(read_small_file(path));
}

StatsDelta stats_delta(const ModuleStats& before, const ModuleStats& after)
{
    StatsDelta delta;
    delta.reserve(after.size());
    for (const auto& [name, value] : after) {
        const auto it = std::ranges::find(before, name, &ModuleStats::value_type::first);
        const std::uint64_t old = it == before.end() ? 0 : it->second;
        delta.emplace_back(name, static_cast<std::int64_t>(value - old));
    }
    return delta;
}

void accumulate(StatsDelta& total, const StatsDelta& delta)
{
    for (const auto& [name, value] : delta) {
        const auto it = std::ranges::find(total, name, &StatsDelta::value_type::first);
        if (it == total.end()) {
            total.emplace_back(name, value);
        } else {
            it->second += value;
        }
    }
}

std::string format_module_stats(const ModuleStats& stats)
{
    std::size_t name_width = 0;
    std::size_t value_width = 0;
    for (const auto& [name, value] : stats) {
        name_width = std::max(name_width, name.size());
        value_width = std::max(value_width, std::to_string(value).size());
    }
    std::string text;
    for (const auto& [name, value] : stats) {
        const std::string number = std::to_string(value);
        text += name;
        text.append(name_width - name.size() + 2 + value_width - number.size(), ' ');
        text += number;
        text += '\n';
    }
    return text;
}

}  // namespace diobench
