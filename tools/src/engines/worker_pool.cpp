#include "engines/worker_pool.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "engines/worker.hpp"
#include "util/error.hpp"

namespace diobench {

namespace {

using Clock = std::chrono::steady_clock;
// How often the controlling thread looks at the clock and the stop
// conditions; it never touches the workers' I/O path.
constexpr auto kControlTick = std::chrono::milliseconds(5);

void pin_current_thread(unsigned cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    const int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (rc != 0) {
        throw Error(errno_text("--cpus: cannot pin a worker to CPU " + std::to_string(cpu), rc));
    }
}

void run_engine(const WorkerSetup& setup, WorkerResult& result)
{
    switch (setup.options->engine) {
    case Engine::io_uring:
    case Engine::io_uring_poll:
        run_io_uring_worker(setup, result);
        return;
    case Engine::libaio:
        run_libaio_worker(setup, result);
        return;
    case Engine::sync:
        run_sync_worker(setup, result);
        return;
    }
}

// Sleeps in ticks until `deadline` (none: forever) or until one of the stop
// conditions holds. Returns false when the run should end now.
bool wait_phase(WorkerControl& control, unsigned workers, std::optional<Clock::time_point> deadline,
                const std::function<bool()>& interrupted, bool& was_interrupted)
{
    for (;;) {
        if (interrupted && interrupted()) {
            was_interrupted = true;
            return false;
        }
        if (control.finished.load() == workers ||
            control.phase.load() == Phase::stop) {
            return false;
        }
        const auto now = Clock::now();
        if (deadline && now >= *deadline) {
            return true;
        }
        auto tick = kControlTick;
        if (deadline) {
            tick = std::min(tick, std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now) +
                                      std::chrono::milliseconds(1));
        }
        std::this_thread::sleep_for(tick);
    }
}

std::optional<Clock::time_point> deadline_after(double seconds)
{
    if (seconds <= 0) {
        return std::nullopt;
    }
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::vector<std::uint64_t> blocks_per_target(std::span<const Target> targets, std::uint64_t block_size)
{
    std::vector<std::uint64_t> blocks;
    blocks.reserve(targets.size());
    for (const Target& t : targets) {
        blocks.push_back(t.size_bytes / block_size);
    }
    return blocks;
}

RunResult run_workers(const RunOptions& options, std::span<const Target> targets,
                      const std::function<bool()>& interrupted)
{
    WorkerControl control;
    control.phase.store(options.ramp_s > 0 ? Phase::ramp : Phase::measure);
    // unique_ptr: each result holds a ~30 KiB histogram.
    std::vector<std::unique_ptr<WorkerResult>> results;
    results.reserve(options.numjobs);
    for (unsigned i = 0; i < options.numjobs; ++i) {
        results.push_back(std::make_unique<WorkerResult>());
    }
    bool was_interrupted = false;
    {
        std::vector<std::jthread> threads;
        threads.reserve(options.numjobs);
        for (unsigned i = 0; i < options.numjobs; ++i) {
            threads.emplace_back([&, i] {
                WorkerResult& result = *results[i];
                try {
                    if (!options.cpus.empty()) {
                        pin_current_thread(options.cpus[i % options.cpus.size()]);
                    }
                    const WorkerSetup setup{.options = &options, .targets = targets, .index = i, .control = &control};
                    run_engine(setup, result);
                } catch (const std::exception& e) {
                    result.error = e.what();
                    control.phase.store(Phase::stop);  // the others stop too
                }
                control.finished.fetch_add(1);
            });
        }
        if (options.ramp_s > 0 &&
            wait_phase(control, options.numjobs, deadline_after(options.ramp_s), interrupted,
                       was_interrupted)) {
            Phase expected = Phase::ramp;
            control.phase.compare_exchange_strong(expected, Phase::measure);
        }
        if (!was_interrupted && control.phase.load() == Phase::measure) {
            wait_phase(control, options.numjobs, deadline_after(options.runtime_s), interrupted,
                       was_interrupted);
        }
        control.phase.store(Phase::stop);
    }  // jthreads join here

    RunResult total;
    total.options = options;
    total.interrupted = was_interrupted;
    for (const auto& r : results) {
        if (!r->error.empty()) {
            throw Error(r->error);
        }
        total.ios += r->ios;
        const double elapsed = static_cast<double>(r->elapsed_ns) / 1e9;
        total.elapsed_s = std::max(total.elapsed_s, elapsed);
        if (elapsed > 0) {
            total.iops += static_cast<double>(r->ios) / elapsed;
        }
        total.user_s += r->user_s;
        total.sys_s += r->sys_s;
        total.latency.merge(r->latency);
    }
    total.bytes_per_s = total.iops * static_cast<double>(options.block_size);
    return total;
}

}  // namespace diobench
