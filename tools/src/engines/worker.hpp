// What every engine's worker gets and gives back. Engines are plain
// functions chosen once per run, so the I/O loop has no virtual calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engines/run_options.hpp"
#include "engines/worker_control.hpp"
#include "io/target.hpp"
#include "measurement/latency_histogram.hpp"
#include "measurement/measure_window.hpp"

namespace diobench {

struct WorkerSetup {
    const RunOptions* options = nullptr;
    std::span<const Target> targets;
    unsigned index = 0;  // 0..numjobs-1
    WorkerControl* control = nullptr;
};

struct WorkerResult {
    std::uint64_t ios = 0;
    std::uint64_t elapsed_ns = 0;
    double user_s = 0;
    double sys_s = 0;
    LatencyHistogram latency;  // empty unless --lat
    std::string error;         // non-empty: the worker failed
};

// Copy a finished measure window into the result.
inline void store_window(const MeasureWindow& window, WorkerResult& result) noexcept
{
    result.ios = window.ios();
    result.elapsed_ns = window.elapsed_ns();
    result.user_s = window.user_s();
    result.sys_s = window.sys_s();
}

// Follow the run's phases from an engine's I/O loop: the measure window
// starts when measuring does. False once the run stops or the window's
// I/O limit is reached.
inline bool follow_phase(const WorkerControl& control, Phase& seen, MeasureWindow& window,
                         LatencyHistogram& latency, std::uint64_t ios) noexcept
{
    const Phase phase = control.phase.load(std::memory_order_relaxed);
    if (phase != seen) [[unlikely]] {
        if (phase == Phase::stop) {
            return false;
        }
        seen = phase;
        window.begin(ios);
        latency.reset();
    }
    return !window.limit_reached(ios);
}

// Each engine fills `result` (which may be large: the histogram) and
// throws Error on failure; the pool turns that into result.error.
void run_io_uring_worker(const WorkerSetup& setup, WorkerResult& result);
void run_libaio_worker(const WorkerSetup& setup, WorkerResult& result);
void run_sync_worker(const WorkerSetup& setup, WorkerResult& result);

// Block counts per target for OffsetGenerator.
std::vector<std::uint64_t> blocks_per_target(std::span<const Target> targets,
                                             std::uint64_t block_size);

}  // namespace diobench
