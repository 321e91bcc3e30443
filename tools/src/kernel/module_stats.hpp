// The module's stats file: one "name value" pair per line, value an
// unsigned decimal integer. Names are not known in advance; lines that do
// not have that shape are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diobench {

// In file order.
using ModuleStats = std::vector<std::pair<std::string, std::uint64_t>>;
// Signed: gauges such as in_flight may go down between two reads.
using StatsDelta = std::vector<std::pair<std::string, std::int64_t>>;

ModuleStats parse_module_stats(std::string_view text);

// Reads and parses; std::nullopt when the file does not exist.
std::optional<ModuleStats> read_module_stats(const std::string& path);

// after - before for every name in `after` (missing before: counted from 0).
StatsDelta stats_delta(const ModuleStats& before, const ModuleStats& after);

// Adds `delta` into `total`, keeping first-seen order.
void accumulate(StatsDelta& total, const StatsDelta& delta);

// Aligned "name  value" lines.
std::string format_module_stats(const ModuleStats& stats);

}  // namespace diobench
