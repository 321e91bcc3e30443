// One worker's measured interval: I/O count, elapsed time and the thread's
// CPU time between the start of the measure phase and the stop.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <ctime>
#include <limits>

namespace diobench {

inline std::uint64_t monotonic_ns() noexcept
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

inline double thread_cpu_seconds(const timeval& tv) noexcept
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

class MeasureWindow {
public:
    // `io_limit`: stop after this many measured I/Os (0: no limit).
    explicit MeasureWindow(std::uint64_t io_limit) noexcept : io_limit_(io_limit) {}

    void begin(std::uint64_t ios_so_far) noexcept
    {
        measuring_ = true;
        start_ios_ = ios_so_far;
        stop_at_ = io_limit_ == 0 ? std::numeric_limits<std::uint64_t>::max()
                                  : ios_so_far + io_limit_;
        start_ns_ = monotonic_ns();
        ::getrusage(RUSAGE_THREAD, &start_usage_);
    }

    void end(std::uint64_t ios_so_far) noexcept
    {
        if (!measuring_) {
            return;
        }
        measuring_ = false;
        elapsed_ns_ = monotonic_ns() - start_ns_;
        // Completions already in flight when the limit was reached may
        // overshoot it; the engines stop submitting at the limit.
        ios_ = ios_so_far - start_ios_;
        if (io_limit_ != 0 && ios_ > io_limit_) {
            ios_ = io_limit_;
        }
        rusage now{};
        ::getrusage(RUSAGE_THREAD, &now);
        user_s_ = thread_cpu_seconds(now.ru_utime) - thread_cpu_seconds(start_usage_.ru_utime);
        sys_s_ = thread_cpu_seconds(now.ru_stime) - thread_cpu_seconds(start_usage_.ru_stime);
    }

    [[nodiscard]] bool measuring() const noexcept { return measuring_; }
    // True once the measured I/O count reached the limit.
    [[nodiscard]] bool limit_reached(std::uint64_t ios_so_far) const noexcept
    {
        return measuring_ && ios_so_far >= stop_at_;
    }
    // How many more reads may be submitted without passing the I/O limit.
    [[nodiscard]] std::uint64_t submit_allowance(std::uint64_t ios_so_far, unsigned inflight) const noexcept
    {
        if (!measuring_ || io_limit_ == 0) {
            return std::numeric_limits<std::uint64_t>::max();
        }
        const std::uint64_t committed = ios_so_far + inflight;
        return committed >= stop_at_ ? 0 : stop_at_ - committed;
    }
    [[nodiscard]] std::uint64_t ios() const noexcept { return ios_; }
    [[nodiscard]] std::uint64_t elapsed_ns() const noexcept { return elapsed_ns_; }
    [[nodiscard]] double user_s() const noexcept { return user_s_; }
    [[nodiscard]] double sys_s() const noexcept { return sys_s_; }

private:
    std::uint64_t io_limit_;
    bool measuring_ = false;
    std::uint64_t start_ios_ = 0;
    std::uint64_t stop_at_ = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t start_ns_ = 0;
    rusage start_usage_{};
    std::uint64_t elapsed_ns_ = 0;
    std::uint64_t ios_ = 0;
    double user_s_ = 0;
    double sys_s_ = 0;
};

}  // namespace diobench
