// One cell of the sweep matrix: a target x engine x queue depth comparison.
#pragma once

#include <string>
#include <vector>

#include "measurement/comparison.hpp"

namespace diobench {

struct SweepPoint {
    std::string target_name;  // e.g. "ext4"
    std::string target_path;
    std::string engine;       // libaio | io_uring | io_uring_poll
    unsigned qd = 0;
    ComparisonOutcome outcome;
    std::string error;        // non-empty: this point could not be measured
};

// What the outputs need to name the columns.
struct SweepLabels {
    std::string label;                // "simple"
    std::vector<std::string> states;  // {"0", "1"}
    [[nodiscard]] std::string column(std::size_t i) const { return label + "=" + states.at(i); }
};

}  // namespace diobench
