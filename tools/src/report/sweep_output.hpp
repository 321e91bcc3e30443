// The sweep's table (the upstream patch series' layout), CSV and JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "measurement/sweep_point.hpp"

namespace diobench {

// "fs workload qd simple=0 simple=1 gain" then one row per point, e.g.
// "ext4 io_uring 64 568,193 600,625 +5.71%": mean IOPS per state with
// thousands separators and the signed gain of state B over A. Columns are
// padded with spaces to line up.
std::string format_sweep_table(const std::vector<SweepPoint>& points, const SweepLabels& labels);

std::string sweep_csv(const std::vector<SweepPoint>& points, const SweepLabels& labels);
nlohmann::json sweep_json(const std::vector<SweepPoint>& points, const SweepLabels& labels,
                          const std::string& knob, bool interrupted);

}  // namespace diobench
