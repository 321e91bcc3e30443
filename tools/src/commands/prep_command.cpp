#include "commands/prep_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "io/aligned_buffer.hpp"
#include "io/target.hpp"
#include "io/verify_pattern.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace diobench {

namespace {

constexpr std::size_t kChunkSize = 1U << 20U;

void write_all(int fd, const std::byte* data, std::size_t length, std::uint64_t offset,
               const std::string& path)
{
    while (length > 0) {
        const ssize_t n = ::pwrite(fd, data, length, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error(errno_text("write to " + path + " at offset " + std::to_string(offset), errno));
        }
        data += n;
        length -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

void write_pattern(int fd, std::uint64_t size, std::uint64_t seed, const std::string& path)
{
    const AlignedBuffer chunk(kChunkSize, kPatternSectorSize);
    for (std::uint64_t offset = 0; offset < size; offset += kChunkSize) {
        const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, size - offset));
        fill_pattern(chunk.span().first(length), offset, seed);
        write_all(fd, chunk.data(), length, offset, path);
    }
    if (::fsync(fd) != 0) {
        throw Error(errno_text("fsync " + path, errno));
    }
    // Leave no page cache behind, as fio's invalidate=1 does: a file used
    // for O_DIRECT has none, and with any page cached the kernel checks the
    // cache on every direct write and (7.x) completes it in a workqueue.
    if (const int err = ::posix_fadvise(fd, 0, static_cast<off_t>(size), POSIX_FADV_DONTNEED); err != 0) {
        throw Error(errno_text("posix_fadvise(DONTNEED) " + path, err));
    }
}

// Removes a file this command created unless released (i.e. on failure).
class CreatedFileGuard {
public:
    explicit CreatedFileGuard(std::string path) : path_(std::move(path)) {}
    ~CreatedFileGuard()
    {
        if (!path_.empty()) {
            ::unlink(path_.c_str());
        }
    }
    CreatedFileGuard(const CreatedFileGuard&) = delete;
    CreatedFileGuard& operator=(const CreatedFileGuard&) = delete;
    CreatedFileGuard(CreatedFileGuard&&) = delete;
    CreatedFileGuard& operator=(CreatedFileGuard&&) = delete;
    void release() noexcept { path_.clear(); }

private:
    std::string path_;
};

void preallocate(int fd, std::uint64_t size, const std::string& path)
{
    // fallocate, not posix_fallocate: no silent fallback to writing zeros.
    if (::fallocate(fd, 0, 0, static_cast<off_t>(size)) != 0) {
        throw Error(errno_text("--preallocate: fallocate " + path + " (" + std::to_string(size) + " bytes)", errno));
    }
}

void check_size(std::uint64_t size)
{
    if (size == 0 || size % kPatternSectorSize != 0) {
        throw Error("--size " + std::to_string(size) + " must be a positive multiple of 512");
    }
}

}  // namespace

std::uint64_t prep_file(const PrepOptions& o)
{
    const std::string& path = o.path;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) {
            throw Error(errno_text(path, errno));
        }
        if (!o.size) {
            throw Error("prep: --size is required to create " + path);
        }
        check_size(*o.size);
        // O_EXCL: we only ever create, never clobber, without --force.
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!fd) {
            throw Error(errno_text("create " + path, errno));
        }
        CreatedFileGuard guard(path);
        if (o.preallocate) {
            preallocate(fd.get(), *o.size, path);
        }
        write_pattern(fd.get(), *o.size, o.seed, path);
        if (fd.close_checked() != 0) {
            throw Error(errno_text("close " + path, errno));
        }
        guard.release();
        return *o.size;
    }
    if (S_ISREG(st.st_mode)) {
        if (!o.force && !o.allow_write) {
            throw Error("prep: " + path + " already exists; pass --force to overwrite it");
        }
        const std::uint64_t size = o.size.value_or(static_cast<std::uint64_t>(st.st_size));
        check_size(size);
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
        if (!fd) {
            throw Error(errno_text("open " + path, errno));
        }
        if (o.preallocate) {
            preallocate(fd.get(), size, path);
        }
        write_pattern(fd.get(), size, o.seed, path);
        if (fd.close_checked() != 0) {
            throw Error(errno_text("close " + path, errno));
        }
        return size;
    }
    if (S_ISBLK(st.st_mode)) {
        if (o.preallocate) {
            throw Error("prep: --preallocate applies to files, and " + path + " is a block device");
        }
        if (!o.allow_write) {
            throw Error("prep: " + path + " is a block device; pass --allow-write to overwrite its data");
        }
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd) {
            throw Error(errno_text("open " + path, errno));
        }
        const std::uint64_t device_size = size_of(fd.get(), true, path);
        const std::uint64_t size = o.size.value_or(device_size);
        check_size(size);
        if (size > device_size) {
            throw Error("prep: --size " + std::to_string(size) + " is larger than " + path + " (" +
                        std::to_string(device_size) + " bytes)");
        }
        write_pattern(fd.get(), size, o.seed, path);
        if (fd.close_checked() != 0) {
            throw Error(errno_text("close " + path, errno));
        }
        return size;
    }
    throw Error("prep: " + path + " is not a regular file or block device");
}

int prep_command(const PrepOptions& options)
{
    const std::uint64_t bytes = prep_file(options);
    std::cout << "prep: wrote " << bytes << " bytes of verify pattern (seed " << options.seed << ") to "
              << options.path << (options.preallocate ? " (preallocated)" : "") << "\n";
    return 0;
}

}  // namespace diobench
