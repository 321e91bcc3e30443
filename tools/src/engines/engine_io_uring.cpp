// io_uring worker, modelled on fio's t/io_uring: submissions go out in
// batches with one io_uring_enter, completions are reaped in bulk with
// io_uring_peek_batch_cqe + io_uring_cq_advance, and the loop neither
// allocates nor reads the clock unless --lat asks for it. Writes carry
// RWF_DSYNC per I/O with --dsync.
#include <sys/uio.h>

#include <algorithm>
#include <vector>

#include "engines/completion_check.hpp"
#include "engines/io_uring_ring.hpp"
#include "engines/offset_generator.hpp"
#include "engines/worker.hpp"
#include "io/aligned_buffer.hpp"
#include "measurement/measure_window.hpp"

namespace diobench {

namespace {

constexpr std::size_t kBufferAlignment = 4096;

struct IoUringWorker {
    const RunOptions& options;
    std::span<const Target> targets;
    WorkerControl& control;
    io_uring* ring;
    AlignedBuffer& buffers;
    OffsetGenerator& offsets;
    bool fixed_files;
    bool writes;
    int write_flags;  // RWF_DSYNC or 0

    // Slot = one in-flight I/O with its own buffer; user_data is the slot.
    std::vector<unsigned> free_slots;
    std::vector<std::uint64_t> slot_offset;
    std::vector<std::uint32_t> slot_target;
    std::vector<std::uint64_t> slot_submit_ns;
    std::vector<io_uring_cqe*> cqes;
    unsigned inflight = 0;

    std::byte* slot_buffer(unsigned slot) const noexcept
    {
        return buffers.data() + static_cast<std::size_t>(slot) * options.block_size;
    }

    void prepare(unsigned count, std::uint64_t now_ns)
    {
        const auto bs = static_cast<unsigned>(options.block_size);
        for (unsigned i = 0; i < count; ++i) {
            const unsigned slot = free_slots.back();
            free_slots.pop_back();
            const OffsetGenerator::Next next = offsets.next();
            io_uring_sqe* sqe = io_uring_get_sqe(ring);  // never null: inflight <= ring size
            const int fd = fixed_files ? static_cast<int>(next.target) : targets[next.target].fd.get();
            if (writes) {
                if (options.verify) {
                    fill_pattern({slot_buffer(slot), options.block_size}, next.offset, options.seed);
                }
                if (options.fixed_buffers) {
                    io_uring_prep_write_fixed(sqe, fd, slot_buffer(slot), bs, next.offset,
                                              static_cast<int>(slot));
                } else {
                    io_uring_prep_write(sqe, fd, slot_buffer(slot), bs, next.offset);
                }
                sqe->rw_flags = write_flags;
            } else if (options.fixed_buffers) {
                io_uring_prep_read_fixed(sqe, fd, slot_buffer(slot), bs, next.offset,
                                         static_cast<int>(slot));
            } else {
                io_uring_prep_read(sqe, fd, slot_buffer(slot), bs, next.offset);
            }
            if (fixed_files) {
                sqe->flags |= IOSQE_FIXED_FILE;
            }
            sqe->user_data = slot;
            slot_offset[slot] = next.offset;
            slot_target[slot] = next.target;
            slot_submit_ns[slot] = now_ns;
        }
        inflight += count;
    }

    // Waits for everything still in flight so no read lands in freed memory.
    void drain() noexcept
    {
        while (inflight > 0) {
            const int rc = io_uring_submit_and_wait(ring, 1);
            if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
                return;  // the ring teardown cancels what is left
            }
            const unsigned n = io_uring_peek_batch_cqe(ring, cqes.data(),
                                                       static_cast<unsigned>(cqes.size()));
            io_uring_cq_advance(ring, n);
            inflight -= n;
        }
    }

    template <bool kLatency, bool kVerify>
    void loop(WorkerResult& result)
    {
        MeasureWindow window(options.number_ios);
        Phase seen = Phase::ramp;
        std::uint64_t ios = 0;
        std::string failure;
        const auto expected = static_cast<long long>(options.block_size);
        for (;;) {
            if (!follow_phase(control, seen, window, result.latency, ios)) [[unlikely]] {
                break;
            }
            const std::uint64_t allowance = window.submit_allowance(ios, inflight);
            // Already one std::min over a list; clang-tidy 19 flags the mixed types (false positive, llvm#107594).
            // NOLINTNEXTLINE(modernize-min-max-use-initializer-list)
            const auto to_prep = static_cast<unsigned>(std::min<std::uint64_t>(
                {free_slots.size(), options.submit_batch, allowance}));
            if (to_prep > 0) {
                prepare(to_prep, kLatency ? monotonic_ns() : 0);
            }
            // Like t/io_uring: only block for completions once the queue is
            // full (or the I/O limit allows no more submissions).
            const bool full = free_slots.empty() || allowance <= to_prep;
            const unsigned wait_nr = full ? std::min(options.complete_batch, inflight) : 0;
            const int rc = io_uring_submit_and_wait(ring, wait_nr);
            if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) [[unlikely]] {
                failure = errno_text("io_uring_submit", -rc);
                break;
            }
            const unsigned n = io_uring_peek_batch_cqe(ring, cqes.data(),
                                                       static_cast<unsigned>(cqes.size()));
            if (n == 0) {
                continue;
            }
            const std::uint64_t done_ns = kLatency ? monotonic_ns() : 0;
            for (unsigned i = 0; i < n; ++i) {
                const io_uring_cqe* cqe = cqes[i];
                const auto slot = static_cast<unsigned>(cqe->user_data);
                if (cqe->res != expected) [[unlikely]] {
                    failure = io_failure_text(targets[slot_target[slot]], slot_offset[slot], cqe->res,
                                              options.block_size, writes);
                } else if (kVerify && !writes) {
                    std::string bad = verify_failure_text(
                        {slot_buffer(slot), options.block_size}, targets[slot_target[slot]],
                        slot_offset[slot], options.seed);
                    if (!bad.empty() && failure.empty()) {
                        failure = std::move(bad);
                    }
                }
                if constexpr (kLatency) {
                    if (window.measuring()) {
                        result.latency.record(done_ns - slot_submit_ns[slot]);
                    }
                }
                free_slots.push_back(slot);
            }
            io_uring_cq_advance(ring, n);
            inflight -= n;
            ios += n;
            if (!failure.empty()) [[unlikely]] {
                break;
            }
        }
        window.end(ios);
        drain();
        if (!failure.empty()) {
            throw Error(failure);
        }
        store_window(window, result);
    }
};

}  // namespace

void run_io_uring_worker(const WorkerSetup& setup, WorkerResult& result)
{
    const RunOptions& o = *setup.options;
    const unsigned depth = o.iodepth;
    // Declared before the ring so the ring (and its in-flight reads) goes first.
    AlignedBuffer buffers(static_cast<std::size_t>(depth) * o.block_size, kBufferAlignment);
    OffsetGenerator offsets(o.pattern, blocks_per_target(setup.targets, o.block_size), o.block_size,
                            o.seed, setup.index, o.numjobs);
    IoUringRing ring(depth, o.hipri);
    if (o.fixed_buffers) {
        std::vector<iovec> iov(depth);
        for (unsigned i = 0; i < depth; ++i) {
            iov[i].iov_base = buffers.data() + static_cast<std::size_t>(i) * o.block_size;
            iov[i].iov_len = o.block_size;
        }
        ring.register_buffers(iov);
    }
    if (o.register_files) {
        std::vector<int> fds;
        fds.reserve(setup.targets.size());
        for (const Target& t : setup.targets) {
            fds.push_back(t.fd.get());
        }
        ring.register_files(fds);
    }
    if (o.register_ring) {
        ring.register_ring_fd();
    }

    IoUringWorker worker{.options = o,
                         .targets = setup.targets,
                         .control = *setup.control,
                         .ring = ring.get(),
                         .buffers = buffers,
                         .offsets = offsets,
                         .fixed_files = o.register_files,
                         .writes = o.writes(),
                         .write_flags = o.dsync ? RWF_DSYNC : 0,
                         .free_slots = {},
                         .slot_offset = {},
                         .slot_target = {},
                         .slot_submit_ns = {},
                         .cqes = {}};
    worker.free_slots.reserve(depth);
    for (unsigned i = depth; i > 0; --i) {
        worker.free_slots.push_back(i - 1);
    }
    worker.slot_offset.assign(depth, 0);
    worker.slot_target.assign(depth, 0);
    worker.slot_submit_ns.assign(depth, 0);
    worker.cqes.assign(depth, nullptr);

    if (o.latency && o.verify) {
        worker.loop<true, true>(result);
    } else if (o.latency) {
        worker.loop<true, false>(result);
    } else if (o.verify) {
        worker.loop<false, true>(result);
    } else {
        worker.loop<false, false>(result);
    }
}

}  // namespace diobench
