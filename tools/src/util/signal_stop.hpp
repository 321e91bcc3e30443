// SIGINT/SIGTERM as a request to stop: the handler only records the signal;
// the command notices, stops its run, restores what it changed and exits
// with 128 + signal (130 for SIGINT, 143 for SIGTERM).
#pragma once

#include <csignal>

namespace diobench {

// Installs the handlers for its lifetime and restores the previous ones.
class SignalStopScope {
public:
    SignalStopScope();
    ~SignalStopScope();
    SignalStopScope(const SignalStopScope&) = delete;
    SignalStopScope& operator=(const SignalStopScope&) = delete;
    SignalStopScope(SignalStopScope&&) = delete;
    SignalStopScope& operator=(SignalStopScope&&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

// 0 when no stop was requested, else the signal number.
int stop_signal() noexcept;
inline bool stop_requested() noexcept { return stop_signal() != 0; }
// Exit code for a stop by `signal`.
inline int exit_code_for_signal(int signal) noexcept { return 128 + signal; }

}  // namespace diobench
