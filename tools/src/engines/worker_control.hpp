// How the controlling thread steers I/O workers without a clock read or a
// lock per I/O: workers load one relaxed atomic per submit/reap round.
#pragma once

#include <atomic>
#include <cstdint>

namespace diobench {

enum class Phase : int { ramp, measure, stop };

struct WorkerControl {
    std::atomic<Phase> phase{Phase::ramp};
    // Workers that ended on their own (I/O count reached or error).
    std::atomic<unsigned> finished{0};
    static_assert(std::atomic<Phase>::is_always_lock_free);
};

}  // namespace diobench
