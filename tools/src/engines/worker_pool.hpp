// Runs one worker thread per job, steers ramp/measure/stop from the calling
// thread, and adds the workers' results up.
#pragma once

#include <functional>
#include <span>

#include "engines/run_options.hpp"
#include "engines/run_result.hpp"
#include "io/target.hpp"

namespace diobench {

// `interrupted` is polled every few milliseconds by the calling thread (not
// by the workers); when it returns true the run stops early and the result
// says so. Throws Error when a worker fails (I/O error, verify mismatch).
RunResult run_workers(const RunOptions& options, std::span<const Target> targets,
                      const std::function<bool()>& interrupted);

}  // namespace diobench
