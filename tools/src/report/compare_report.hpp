// Text and JSON presentation of a comparison.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "measurement/comparison.hpp"

namespace diobench {

struct CompareContext {
    std::string knob;
    std::string label;     // column label, e.g. "simple"
    std::string workload;  // one-line description
    unsigned rounds = 0;
    bool warmup = false;
};

std::string format_compare_text(const ComparisonOutcome& outcome, const CompareContext& context);
nlohmann::json compare_to_json(const ComparisonOutcome& outcome, const CompareContext& context);
// Per-state block shared with the sweep's JSON.
nlohmann::json state_to_json(const StateOutcome& state, bool with_stats);

}  // namespace diobench
