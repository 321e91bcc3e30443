#include "util/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <chrono>

#include "util/error.hpp"

extern char** environ;  // POSIX; no header declares it

namespace diobench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 50;
constexpr auto kKillGrace = std::chrono::seconds(5);

// Owns posix_spawn_file_actions_t.
class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&actions_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    SpawnActions(SpawnActions&&) = delete;
    SpawnActions& operator=(SpawnActions&&) = delete;
    posix_spawn_file_actions_t* get() noexcept { return &actions_; }

private:
    posix_spawn_file_actions_t actions_{};
};

std::array<UniqueFd, 2> make_pipe()
{
    std::array<int, 2> fds{-1, -1};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        throw Error(errno_text("pipe", errno));
    }
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::vector<char*> pointers_to(std::vector<std::string>& strings)
{
    std::vector<char*> ptrs;
    ptrs.reserve(strings.size() + 1);
    for (std::string& s : strings) {
        ptrs.push_back(s.data());
    }
    ptrs.push_back(nullptr);
    return ptrs;
}

// Reads what is available; returns false at EOF.
bool drain_into(int fd, std::string& sink)
{
    std::array<char, 65536> buf{};
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n > 0) {
        sink.append(buf.data(), static_cast<std::size_t>(n));
        return true;
    }
    return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

std::vector<std::string> environment_with(const std::vector<std::string>& overrides)
{
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const std::string& o : overrides) {
            replaced = replaced || o.substr(0, o.find('=')) == name;
        }
        if (!replaced) {
            env.push_back(entry);
        }
    }
    env.insert(env.end(), overrides.begin(), overrides.end());
    return env;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env_overrides)
{
    if (argv.empty()) {
        throw Error("internal: empty command line");
    }
    auto [out_read, out_write] = make_pipe();
    auto [err_read, err_write] = make_pipe();
    SpawnActions actions;
    posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), out_write.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(actions.get(), err_write.get(), STDERR_FILENO);
    std::vector<std::string> args = argv;
    std::vector<std::string> env = environment_with(env_overrides);
    std::vector<char*> arg_ptrs = pointers_to(args);
    std::vector<char*> env_ptrs = pointers_to(env);
    const int rc = posix_spawnp(&pid_, args[0].c_str(), actions.get(), nullptr, arg_ptrs.data(), env_ptrs.data());
    if (rc != 0) {
        pid_ = -1;
        throw Error(errno_text("cannot start " + argv[0], rc));
    }
    out_ = std::move(out_read);
    err_ = std::move(err_read);
}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

ChildOutcome ChildProcess::wait(const std::function<bool()>& should_stop, std::optional<double> timeout_s)
{
    ChildOutcome outcome;
    const auto start = Clock::now();
    std::optional<Clock::time_point> kill_at;
    while (out_ || err_) {
        std::array<pollfd, 2> fds{{{.fd = out_.get(), .events = POLLIN, .revents = 0},
                                   {.fd = err_.get(), .events = POLLIN, .revents = 0}}};
        const int n = ::poll(fds.data(), fds.size(), kPollMs);
        if (n < 0 && errno != EINTR) {
            throw Error(errno_text("poll", errno));
        }
        if (n > 0) {
            if (fds[0].revents != 0 && !drain_into(out_.get(), outcome.out)) {
                out_.reset();
            }
            if (fds[1].revents != 0 && !drain_into(err_.get(), outcome.err)) {
                err_.reset();
            }
        }
        const auto now = Clock::now();
        if (!outcome.stop_requested && should_stop && should_stop()) {
            outcome.stop_requested = true;
            ::kill(pid_, SIGTERM);
            kill_at = now + kKillGrace;
        }
        if (!outcome.timed_out && timeout_s &&
            now - start > std::chrono::duration<double>(*timeout_s)) {
            outcome.timed_out = true;
            ::kill(pid_, SIGKILL);
        }
        if (kill_at && now > *kill_at) {
            ::kill(pid_, SIGKILL);
            kill_at.reset();
        }
    }
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
        if (errno != EINTR) {
            throw Error(errno_text("waitpid", errno));
        }
    }
    pid_ = -1;
    if (WIFSIGNALED(status)) {
        outcome.term_signal = WTERMSIG(status);
    } else {
        outcome.exit_status = WEXITSTATUS(status);
    }
    return outcome;
}

}  // namespace diobench
