// Owning wrapper of a liburing ring and what is registered with it.
#pragma once

#include <liburing.h>
#include <sys/uio.h>

#include <span>

namespace diobench {

class IoUringRing {
public:
    // Tries SINGLE_ISSUER|DEFER_TASKRUN, then SINGLE_ISSUER|COOP_TASKRUN,
    // then COOP_TASKRUN, then no extra flags, because older kernels answer
    // EINVAL to flags they do not know. `iopoll` adds IORING_SETUP_IOPOLL.
    // The ring must be driven by the thread that created it.
    IoUringRing(unsigned entries, bool iopoll);
    ~IoUringRing();
    IoUringRing(const IoUringRing&) = delete;
    IoUringRing& operator=(const IoUringRing&) = delete;
    IoUringRing(IoUringRing&&) = delete;
    IoUringRing& operator=(IoUringRing&&) = delete;

    io_uring* get() noexcept { return &ring_; }
    [[nodiscard]] unsigned setup_flags() const noexcept { return flags_; }

    void register_buffers(std::span<const iovec> buffers);
    void register_files(std::span<const int> fds);
    void register_ring_fd();

private:
    io_uring ring_{};
    unsigned flags_ = 0;
    bool buffers_registered_ = false;
    bool files_registered_ = false;
    bool ring_fd_registered_ = false;
};

}  // namespace diobench
