// `diobench compare`: A/B a workload over a knob's two states, restoring
// the knob on every way out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engines/run_options.hpp"
#include "measurement/comparison.hpp"

namespace diobench {

struct CompareOptions {
    std::string knob = kDefaultKnob;
    std::string label;  // empty: knob_label(knob)
    ComparisonPlan plan;
    bool json = false;
    std::vector<std::string> workload_args;  // after "--": run TARGET ...
    std::string fio_job;
    std::vector<std::string> fio_env;        // NAME=value
};

// A workload ready to run, checked before the knob is touched.
struct PreparedWorkload {
    Workload run;
    std::string description;
};

// Validates the workload (parses `run` options, opens its targets, or
// checks the fio job and its variables). Throws Error.
PreparedWorkload prepare_run_workload(const RunOptions& options);
PreparedWorkload prepare_fio_workload(const std::string& job_file, const std::vector<std::string>& env);

// Empty when `rounds` is enough for compare, else the one-line reason it
// is refused (fewer than kMinimumCompareRounds).
std::string compare_rounds_problem(unsigned rounds);

int compare_command(const CompareOptions& options);

}  // namespace diobench
