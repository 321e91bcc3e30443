// `diobench prep`: writes the --verify pattern into a file it creates (or,
// only when told, into an existing file or block device).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace diobench {

struct PrepOptions {
    std::string path;
    std::optional<std::uint64_t> size;  // required for new files
    std::uint64_t seed = 0;
    bool force = false;        // overwrite an existing regular file
    bool allow_write = false;  // write to an existing file or a block device
};

// Returns bytes written. Throws Error (one line) and leaves nothing it
// created behind on failure.
std::uint64_t prep_file(const PrepOptions& options);

int prep_command(const PrepOptions& options);

}  // namespace diobench
