#include "engines/io_uring_ring.hpp"

#include <array>
#include <string>

#include "util/error.hpp"

namespace diobench {

IoUringRing::IoUringRing(unsigned entries, bool iopoll)
{
    const unsigned base = iopoll ? IORING_SETUP_IOPOLL : 0U;
    const std::array<unsigned, 4> attempts = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN,
        IORING_SETUP_COOP_TASKRUN,
        0U,
    };
    int rc = -EINVAL;
    for (const unsigned extra : attempts) {
        io_uring_params params{};
        params.flags = base | extra;
        rc = io_uring_queue_init_params(entries, &ring_, &params);
        if (rc == 0) {
            flags_ = params.flags;
            return;
        }
        if (rc != -EINVAL) {
            break;
        }
    }
    if (rc == -EPERM) {
        throw Error("io_uring is disabled for this process (EPERM; see /proc/sys/kernel/io_uring_disabled)");
    }
    if (rc == -ENOSYS) {
        throw Error("this kernel has no io_uring (ENOSYS); use --engine libaio or sync");
    }
    throw Error(errno_text("io_uring_queue_init(" + std::to_string(entries) + " entries)", -rc));
}

IoUringRing::~IoUringRing()
{
    if (ring_fd_registered_) {
        io_uring_unregister_ring_fd(&ring_);
    }
    if (files_registered_) {
        io_uring_unregister_files(&ring_);
    }
    if (buffers_registered_) {
        io_uring_unregister_buffers(&ring_);
    }
    io_uring_queue_exit(&ring_);
}

void IoUringRing::register_buffers(std::span<const iovec> buffers)
{
    const int rc = io_uring_register_buffers(&ring_, buffers.data(),
                                             static_cast<unsigned>(buffers.size()));
    if (rc < 0) {
        throw Error(errno_text("--fixedbufs: io_uring_register_buffers", -rc) +
                    (rc == -ENOMEM ? " (raise RLIMIT_MEMLOCK: ulimit -l)" : ""));
    }
    buffers_registered_ = true;
}

void IoUringRing::register_files(std::span<const int> fds)
{
    const int rc = io_uring_register_files(&ring_, fds.data(), static_cast<unsigned>(fds.size()));
    if (rc < 0) {
        throw Error(errno_text("--registerfiles: io_uring_register_files", -rc));
    }
    files_registered_ = true;
}

void IoUringRing::register_ring_fd()
{
    const int rc = io_uring_register_ring_fd(&ring_);
    if (rc < 0) {
        throw Error(errno_text("--register-ring: io_uring_register_ring_fd", -rc));
    }
    ring_fd_registered_ = true;
}

}  // namespace diobench
