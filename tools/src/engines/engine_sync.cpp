// Synchronous worker: one pread (or pwrite) at a time, the baseline every
// other engine is measured against. --dsync writes use pwritev2(RWF_DSYNC).
#include <sys/uio.h>
#include <unistd.h>

#include "engines/completion_check.hpp"
#include "engines/offset_generator.hpp"
#include "engines/worker.hpp"
#include "io/aligned_buffer.hpp"
#include "measurement/measure_window.hpp"

namespace diobench {

namespace {

constexpr std::size_t kBufferAlignment = 4096;

// One write of `block` at `offset`: bytes written, or -1 with errno.
ssize_t write_block(int fd, std::span<std::byte> block, std::uint64_t offset, bool dsync)
{
    if (!dsync) {
        return ::pwrite(fd, block.data(), block.size(), static_cast<off_t>(offset));
    }
    iovec iov{.iov_base = block.data(), .iov_len = block.size()};
    return ::pwritev2(fd, &iov, 1, static_cast<off_t>(offset), RWF_DSYNC);
}

template <bool kLatency, bool kVerify>
void sync_loop(const WorkerSetup& setup, OffsetGenerator& offsets, const AlignedBuffer& buffer,
               WorkerResult& result)
{
    const RunOptions& o = *setup.options;
    MeasureWindow window(o.number_ios);
    Phase seen = Phase::ramp;
    std::uint64_t ios = 0;
    for (;;) {
        if (!follow_phase(*setup.control, seen, window, result.latency, ios)) [[unlikely]] {
            break;
        }
        const OffsetGenerator::Next next = offsets.next();
        const Target& target = setup.targets[next.target];
        const std::uint64_t start_ns = kLatency ? monotonic_ns() : 0;
        if (kVerify && o.writes()) {
            fill_pattern(buffer.span(), next.offset, o.seed);
        }
        const ssize_t got = o.writes() ? write_block(target.fd.get(), buffer.span(), next.offset, o.dsync)
                                       : ::pread(target.fd.get(), buffer.data(), o.block_size,
                                                 static_cast<off_t>(next.offset));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got != static_cast<ssize_t>(o.block_size)) [[unlikely]] {
            throw Error(io_failure_text(target, next.offset, got < 0 ? -errno : got, o.block_size, o.writes()));
        }
        if constexpr (kLatency) {
            if (window.measuring()) {
                result.latency.record(monotonic_ns() - start_ns);
            }
        }
        if (kVerify && !o.writes()) {
            const std::string bad = verify_failure_text(buffer.span(), target, next.offset, o.seed);
            if (!bad.empty()) {
                throw Error(bad);
            }
        }
        ++ios;
    }
    window.end(ios);
    store_window(window, result);
}

}  // namespace

void run_sync_worker(const WorkerSetup& setup, WorkerResult& result)
{
    const RunOptions& o = *setup.options;
    const AlignedBuffer buffer(o.block_size, kBufferAlignment);
    OffsetGenerator offsets(o.pattern, blocks_per_target(setup.targets, o.block_size), o.block_size,
                            o.seed, setup.index, o.numjobs);
    if (o.latency && o.verify) {
        sync_loop<true, true>(setup, offsets, buffer, result);
    } else if (o.latency) {
        sync_loop<true, false>(setup, offsets, buffer, result);
    } else if (o.verify) {
        sync_loop<false, true>(setup, offsets, buffer, result);
    } else {
        sync_loop<false, false>(setup, offsets, buffer, result);
    }
}

}  // namespace diobench
