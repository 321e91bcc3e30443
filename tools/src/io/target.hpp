// A file or block device opened with O_DIRECT (read-only, or write-only for
// write runs), with the geometry the I/O loop needs.
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

// How a run opens its targets. Writes never create or extend a file: they
// overwrite what `prep` wrote. A block device is written only when allowed.
struct OpenMode {
    bool write = false;
    bool o_dsync = false;  // open with O_DSYNC (libaio's per-I/O O_DSYNC)
    bool allow_block_device_write = false;
};

// Throws Error with one clear line when the path is missing, is neither a
// regular file nor a block device, its file system refuses O_DIRECT, or it
// is a block device to be written without allow_block_device_write.
Target open_target(const std::string& path, const OpenMode& mode);
inline Target open_target_for_read(const std::string& path)
{
    return open_target(path, OpenMode{});
}

// Rejects block sizes that are not a multiple of the target's logical block
// size, or larger than the target.
void check_block_size(const Target& target, std::uint64_t block_size);

// BLKSSZGET for block devices; statx STATX_DIOALIGN for files when the
// kernel reports it, else 512.
std::uint32_t logical_block_size_of(int fd, bool is_block_device, const std::string& path);

// BLKGETSIZE64 for block devices, st_size for files.
std::uint64_t size_of(int fd, bool is_block_device, const std::string& path);

}  // namespace diobench
