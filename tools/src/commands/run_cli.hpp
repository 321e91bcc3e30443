// Command-line options of `diobench run`, shared by `compare -- run ...`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "engines/run_options.hpp"

namespace diobench {

// Raw option text bound to CLI11; turned into RunOptions after parsing.
struct RunCliValues {
    RunRequest request;
    std::string block_size = "4k";
    std::string engine = "io_uring";
    std::string pattern = "randread";  // --rw
    std::string cpus;
    std::string runtime;
    std::string ramp = "0";
    CLI::Option* iodepth_option = nullptr;
};

void add_run_options(CLI::App& app, RunCliValues& values);

// Call after app.parse(): resolves and validates (throws Error).
RunOptions finish_run_options(RunCliValues& values);

// Parses `run` arguments (without the word "run") into validated options,
// as `compare -- run ...` needs. Throws Error with a one-line message.
RunOptions parse_run_arguments(const std::vector<std::string>& args);

}  // namespace diobench
