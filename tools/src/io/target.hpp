// A file or block device opened read-only with O_DIRECT, with the geometry
// the I/O loop needs.
#pragma once

#include <cstdint>
#include <string>

#include "util/unique_fd.hpp"

namespace diobench {

struct Target {
    std::string path;
    UniqueFd fd;
    bool is_block_device = false;
    std::uint64_t size_bytes = 0;
    // Smallest offset/length granularity O_DIRECT accepts here.
    std::uint32_t logical_block_size = 512;
};

// Throws Error with one clear line when the path is missing, is neither a
// regular file nor a block device, or its file system refuses O_DIRECT.
Target open_target_for_read(const std::string& path);

// Rejects block sizes that are not a multiple of the target's logical block
// size, or larger than the target.
void check_block_size(const Target& target, std::uint64_t block_size);

// BLKSSZGET for block devices; statx STATX_DIOALIGN for files when the
// kernel reports it, else 512.
std::uint32_t logical_block_size_of(int fd, bool is_block_device, const std::string& path);

// BLKGETSIZE64 for block devices, st_size for files.
std::uint64_t size_of(int fd, bool is_block_device, const std::string& path);

}  // namespace diobench
