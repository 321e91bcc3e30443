// Self-contained SVG bar chart of a sweep: one group per target/engine/qd,
// one bar per knob state (mean IOPS, whisker = +-1 stddev), the gain
// printed above each group. Plain text generation, no library.
#pragma once

#include <string>
#include <vector>

#include "measurement/sweep_point.hpp"

namespace diobench {

std::string render_sweep_svg(const std::vector<SweepPoint>& points, const SweepLabels& labels,
                             const std::string& title);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(const std::string& text);

}  // namespace diobench
