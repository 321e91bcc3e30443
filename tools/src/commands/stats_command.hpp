// `diobench stats`: show (or reset) the module's counters.
#pragma once

#include <string>

namespace diobench {

int stats_command(const std::string& stats_path, bool reset);

}  // namespace diobench
