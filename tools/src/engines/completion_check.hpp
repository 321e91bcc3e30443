// Per-completion checks shared by the engines: a read or write must
// transfer exactly one block, and a read with --verify carry the prep
// pattern for its offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "io/target.hpp"
#include "io/verify_pattern.hpp"
#include "util/error.hpp"

namespace diobench {

// `result`: bytes transferred, or -errno.
[[nodiscard]] inline std::string io_failure_text(const Target& target, std::uint64_t offset,
                                                 long long result, std::uint64_t block_size,
                                                 bool write)
{
    const std::string where = (write ? "write to " : "read from ") + target.path + " at offset " +
                              std::to_string(offset);
    if (result < 0) {
        if (result == -EOPNOTSUPP) {
            return errno_text(where, static_cast<int>(-result)) +
                   " (polled I/O needs a block device with poll queues)";
        }
        return errno_text(where, static_cast<int>(-result));
    }
    return "short " + where + ": " + std::to_string(result) + " of " + std::to_string(block_size) +
           " bytes";
}

// Empty when the block carries the right pattern.
[[nodiscard]] inline std::string verify_failure_text(std::span<const std::byte> block,
                                                     const Target& target, std::uint64_t offset,
                                                     std::uint64_t seed)
{
    if (const auto mismatch = check_pattern(block, offset, seed)) {
        return describe_mismatch(*mismatch, target.path);
    }
    return {};
}

}  // namespace diobench
