#include "kernel/knob.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <iostream>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace diobench {

namespace {

constexpr std::size_t kMaxKnobBytes = 1U << 16U;

}  // namespace

std::string read_small_file(const std::string& path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        throw Error(errno_text(path, errno));
    }
    std::string text;
    std::array<char, 4096> buf{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error(errno_text("read " + path, errno));
        }
        if (n == 0) {
            break;
        }
        text.append(buf.data(), static_cast<std::size_t>(n));
        if (text.size() > kMaxKnobBytes) {
            throw Error(path + ": unexpectedly large for a knob or stats file");
        }
    }
    return text;
}

void write_small_file(const std::string& path, const std::string& text)
{
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd) {
        throw Error(errno_text("cannot open " + path + " for writing", errno));
    }
    ssize_t n = -1;
    do {
        n = ::write(fd.get(), text.data(), text.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        throw Error(errno_text("writing '" + trimmed(text) + "' to " + path + " failed", errno));
    }
    if (static_cast<std::size_t>(n) != text.size()) {
        throw Error("writing '" + trimmed(text) + "' to " + path + ": only " + std::to_string(n) + " of " +
                    std::to_string(text.size()) + " bytes accepted");
    }
    if (fd.close_checked() != 0) {
        throw Error(errno_text("closing " + path + " after writing failed", errno));
    }
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

KnobGuard::KnobGuard(std::string path) : path_(std::move(path))
{
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            throw KnobError("knob " + path_ + " does not exist (is the module loaded? use --knob PATH)");
        }
        throw KnobError(errno_text("knob " + path_, errno));
    }
    if (S_ISDIR(st.st_mode)) {
        throw KnobError("knob " + path_ + " is a directory");
    }
    try {
        original_ = read_small_file(path_);
    } catch (const Error& e) {
        throw KnobError(std::string("knob: ") + e.what());
    }
    // Opening for writing without writing leaves the value untouched and
    // proves we can restore it later.
    const UniqueFd probe(::open(path_.c_str(), O_WRONLY | O_CLOEXEC));
    if (!probe) {
        throw KnobError(errno_text("knob " + path_ + " is not writable", errno));
    }
}

KnobGuard::~KnobGuard()
{
    try {
        restore();
    } catch (const std::exception& e) {
        std::cerr << "diobench: could not restore knob " << path_ << " to '" << trimmed(original_)
                  << "': " << e.what() << "\n";
    }
}

void KnobGuard::set(const std::string& state)
{
    changed_ = true;  // even a failed write may have changed it
    try {
        write_small_file(path_, state + "\n");
    } catch (const Error& e) {
        throw KnobError(std::string("knob: ") + e.what());
    }
}

void KnobGuard::restore()
{
    if (!changed_) {
        return;
    }
    try {
        write_small_file(path_, original_);
    } catch (const Error& e) {
        throw KnobError(std::string("knob restore: ") + e.what());
    }
    changed_ = false;
}

}  // namespace diobench
