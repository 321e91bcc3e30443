// `diobench sweep`: a comparison for every target x engine x queue depth.
#pragma once

#include <string>
#include <vector>

#include "measurement/comparison.hpp"

namespace diobench {

struct SweepTarget {
    std::string name;  // e.g. ext4
    std::string path;
};

// "NAME=PATH" -> SweepTarget; throws Error on a malformed value.
SweepTarget parse_sweep_target(const std::string& text);

struct SweepOptions {
    std::vector<SweepTarget> targets;
    std::vector<std::string> engines = {"libaio", "io_uring", "io_uring_poll"};
    std::vector<unsigned> qds = {1, 64, 128, 256};
    std::string knob = kDefaultKnob;
    std::string label;
    ComparisonPlan plan;
    std::string block_size = "4k";
    double runtime_s = 10;
    double ramp_s = 2;
    bool use_fio = false;
    std::string fio_jobs_dir;  // empty: ./fio-jobs, then next to the binary
    std::string csv_path;
    std::string json_path;
    std::string svg_path;
};

// Throws Error for unknown engines, bad queue depths, no targets.
void check_sweep_options(const SweepOptions& options);

// Where the fio job files are: `given`, else ./fio-jobs, else
// <binary>/../../fio-jobs (the source tree layout). Throws Error.
std::string find_fio_jobs_dir(const std::string& given);

int sweep_command(const SweepOptions& options);

}  // namespace diobench
