// The one exception type for failures the user must see as a single line.
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace diobench {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "what: strerror(err)" for errno-style failures.
inline std::string errno_text(const std::string& what, int err)
{
    return what + ": " + std::strerror(err);  // NOLINT(concurrency-mt-unsafe): message text only
}

}  // namespace diobench
