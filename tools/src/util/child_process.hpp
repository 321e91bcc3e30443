// A child program with captured stdout/stderr (fio, and diobench itself in
// the tests). The child is killed and reaped if its owner goes away first.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/unique_fd.hpp"

namespace diobench {

struct ChildOutcome {
    int exit_status = -1;  // valid when term_signal == 0
    int term_signal = 0;   // signal that ended the child, 0 if it exited
    std::string out;
    std::string err;
    bool stop_requested = false;  // should_stop() fired and the child was told to stop
    bool timed_out = false;
};

class ChildProcess {
public:
    // Starts argv[0] (looked up on PATH) with the current environment plus
    // `env_overrides` ("NAME=value", replacing existing NAME). stdin is
    // /dev/null. Throws Error if the program cannot be started.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env_overrides);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ChildProcess(ChildProcess&&) = delete;
    ChildProcess& operator=(ChildProcess&&) = delete;

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    // Collects output until the child exits. When `should_stop` returns
    // true the child gets SIGTERM (SIGKILL 5 s later); after `timeout_s` it
    // gets SIGKILL.
    ChildOutcome wait(const std::function<bool()>& should_stop = {},
                      std::optional<double> timeout_s = std::nullopt);

private:
    pid_t pid_ = -1;
    UniqueFd out_;
    UniqueFd err_;
};

// Merges NAME=value overrides into a copy of the current environment.
std::vector<std::string> environment_with(const std::vector<std::string>& overrides);

}  // namespace diobench
