#include "util/signal_stop.hpp"

#include <atomic>

namespace diobench {

namespace {

std::atomic<int> g_stop_signal{0};  // written by the signal handler
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

extern "C" void record_stop_signal(int signal)
{
    g_stop_signal.store(signal);
}

}  // namespace

SignalStopScope::SignalStopScope()
{
    struct sigaction action {};
    action.sa_handler = record_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: blocking waits return EINTR and look at the flag
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
}

SignalStopScope::~SignalStopScope()
{
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
}

int stop_signal() noexcept
{
    return g_stop_signal.load();
}

}  // namespace diobench
