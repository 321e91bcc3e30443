// The outcome of one `run`: totals over all workers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engines/run_options.hpp"
#include "measurement/latency_histogram.hpp"

namespace diobench {

struct RunResult {
    RunOptions options;
    std::uint64_t ios = 0;
    double elapsed_s = 0;    // longest worker's measured interval
    double iops = 0;         // sum over workers of ios / own elapsed
    double bytes_per_s = 0;
    double user_s = 0;       // CPU time of the workers while measuring
    double sys_s = 0;
    LatencyHistogram latency;  // merged; count() == 0 unless --lat
    bool interrupted = false;  // stopped early by SIGINT/SIGTERM
};

}  // namespace diobench
