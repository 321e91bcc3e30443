// Running one of the fio-jobs/ files with its environment variables filled.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fio/fio_output.hpp"

namespace diobench {

struct FioJobEnv {
    std::string name;
    std::string default_value;  // empty: required
};

// The variables the job files in fio-jobs/ read, with the defaults diobench
// applies when neither the caller nor the environment sets them.
const std::vector<FioJobEnv>& fio_job_variables();

// NAME=value list: `overrides` first, then the process environment, then
// the defaults. Throws Error when a required variable (FILENAME) is unset.
std::vector<std::string> resolve_fio_env(const std::vector<std::string>& overrides);

struct FioRun {
    FioResult result;
    bool interrupted = false;
};

// Runs `fio --output-format=json --eta=never --disk_util=0 JOB` (fio from PATH). Throws Error with
// fio's own first error line when it fails or its report is unusable.
FioRun run_fio_job(const std::string& job_file, const std::vector<std::string>& env_overrides,
                   const std::function<bool()>& should_stop = {});

}  // namespace diobench
