// `diobench run`: open the targets read-only with O_DIRECT and measure.
#pragma once

#include <functional>

#include "engines/run_options.hpp"
#include "engines/run_result.hpp"

namespace diobench {

// Opens and checks every target, then runs the workers. Throws Error.
RunResult execute_run(const RunOptions& options, const std::function<bool()>& interrupted = {});

// The command: prints text or JSON to stdout, returns the exit code.
int run_command(const RunOptions& options);

}  // namespace diobench
