// `diobench prep`: writes the --verify pattern into a file it creates (or,
// only when told, into an existing file or block device). Every block is
// written and synced, so the file has no holes or unwritten extents, and
// its page cache is dropped (on file systems that can drop it).
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
    // fallocate the whole size before writing it (files only): one
    // contiguous allocation, and every block written, so later O_DIRECT
    // writes are overwrites of written blocks.
    bool preallocate = false;
};

// Returns bytes written. Throws Error (one line) and leaves nothing it
// created behind on failure.
std::uint64_t prep_file(const PrepOptions& options);

int prep_command(const PrepOptions& options);

}  // namespace diobench
