#include "io/target.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <cerrno>

#include "util/error.hpp"

namespace diobench {

std::uint32_t logical_block_size_of(int fd, bool is_block_device, const std::string& path)
{
    if (is_block_device) {
        int sector = 0;
        if (::ioctl(fd, BLKSSZGET, &sector) != 0) {
            throw Error(errno_text(path + ": BLKSSZGET", errno));
        }
        return static_cast<std::uint32_t>(sector);
    }
#ifdef STATX_DIOALIGN
    struct statx stx {};
    if (::statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) == 0 &&
        (stx.stx_mask & STATX_DIOALIGN) != 0) {
        if (stx.stx_dio_offset_align == 0) {
            throw Error(path + ": file system does not support O_DIRECT (statx reports no DIO alignment)");
        }
        return stx.stx_dio_offset_align;
    }
#endif
    return 512;  // the conventional sector size when the kernel cannot tell us
}

std::uint64_t size_of(int fd, bool is_block_device, const std::string& path)
{
    if (is_block_device) {
        std::uint64_t bytes = 0;
        if (::ioctl(fd, BLKGETSIZE64, &bytes) != 0) {
            throw Error(errno_text(path + ": BLKGETSIZE64", errno));
        }
        return bytes;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        throw Error(errno_text(path + ": fstat", errno));
    }
    return static_cast<std::uint64_t>(st.st_size);
}

Target open_target(const std::string& path, const OpenMode& mode)
{
    Target t;
    t.path = path;
    // Refused before the device is even opened for writing.
    struct stat before {};
    if (mode.write && !mode.allow_block_device_write && ::stat(path.c_str(), &before) == 0 &&
        S_ISBLK(before.st_mode)) {
        throw Error(path + ": is a block device and writing destroys its data; pass --allow-write");
    }
    int flags = (mode.write ? O_WRONLY : O_RDONLY) | O_DIRECT | O_CLOEXEC;
    if (mode.write && mode.o_dsync) {
        flags |= O_DSYNC;
    }
    t.fd.reset(::open(path.c_str(), flags));
    if (!t.fd) {
        const int err = errno;
        if (err == EINVAL) {
            throw Error(path + ": file system does not support O_DIRECT (open returned EINVAL)");
        }
        throw Error(errno_text(path, err));
    }
    struct stat st {};
    if (::fstat(t.fd.get(), &st) != 0) {
        throw Error(errno_text(path + ": fstat", errno));
    }
    if (S_ISBLK(st.st_mode)) {
        t.is_block_device = true;
        if (mode.write && !mode.allow_block_device_write) {  // replaced since the stat above
            throw Error(path + ": is a block device and writing destroys its data; pass --allow-write");
        }
    } else if (!S_ISREG(st.st_mode)) {
        throw Error(path + ": not a regular file or block device");
    }
    t.size_bytes = size_of(t.fd.get(), t.is_block_device, path);
    t.logical_block_size = logical_block_size_of(t.fd.get(), t.is_block_device, path);
    if (t.size_bytes == 0) {
        throw Error(path + ": is empty; create data with 'diobench prep " + path + " --size 64M'");
    }
    return t;
}

void check_block_size(const Target& target, std::uint64_t block_size)
{
    if (block_size % target.logical_block_size != 0) {
        throw Error("block size " + std::to_string(block_size) + " is not a multiple of " +
                    target.path + "'s logical block size " +
                    std::to_string(target.logical_block_size));
    }
    if (block_size > target.size_bytes) {
        throw Error("block size " + std::to_string(block_size) + " is larger than " + target.path +
                    " (" + std::to_string(target.size_bytes) + " bytes)");
    }
}

}  // namespace diobench
