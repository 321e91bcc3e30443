// libaio worker: the same slot/batch structure as the io_uring worker, with
// io_submit for a batch and io_getevents for completions. --dsync writes go
// to a target opened O_DSYNC (run_options: target_open_mode).
#include <libaio.h>

#include <algorithm>
#include <vector>

#include "engines/completion_check.hpp"
#include "engines/offset_generator.hpp"
#include "engines/worker.hpp"
#include "io/aligned_buffer.hpp"
#include "measurement/measure_window.hpp"

namespace diobench {

namespace {

constexpr std::size_t kBufferAlignment = 4096;

// Owning io_context_t.
class AioContext {
public:
    explicit AioContext(unsigned depth)
    {
        const int rc = io_setup(static_cast<int>(depth), &ctx_);
        if (rc < 0) {
            throw Error(errno_text("io_setup(" + std::to_string(depth) + ")", -rc) +
                        (rc == -EAGAIN ? " (raise /proc/sys/fs/aio-max-nr)" : ""));
        }
    }
    ~AioContext() { io_destroy(ctx_); }
    AioContext(const AioContext&) = delete;
    AioContext& operator=(const AioContext&) = delete;
    AioContext(AioContext&&) = delete;
    AioContext& operator=(AioContext&&) = delete;
    [[nodiscard]] io_context_t get() const noexcept { return ctx_; }

private:
    io_context_t ctx_{};
};

struct LibaioWorker {
    const RunOptions& options;
    std::span<const Target> targets;
    WorkerControl& control;
    io_context_t ctx;
    AlignedBuffer& buffers;
    OffsetGenerator& offsets;
    bool writes;

    std::vector<iocb> slots;
    std::vector<iocb*> pending;  // prepared, not yet accepted by io_submit
    std::vector<unsigned> free_slots;
    std::vector<std::uint32_t> slot_target;
    std::vector<std::uint64_t> slot_submit_ns;
    std::vector<io_event> events;
    unsigned inflight = 0;  // accepted by io_submit

    std::byte* slot_buffer(unsigned slot) const noexcept
    {
        return buffers.data() + static_cast<std::size_t>(slot) * options.block_size;
    }

    void prepare(unsigned count, std::uint64_t now_ns)
    {
        for (unsigned i = 0; i < count; ++i) {
            const unsigned slot = free_slots.back();
            free_slots.pop_back();
            const OffsetGenerator::Next next = offsets.next();
            iocb* cb = &slots[slot];
            const int fd = targets[next.target].fd.get();
            const auto offset = static_cast<long long>(next.offset);
            if (writes) {
                if (options.verify) {
                    fill_pattern({slot_buffer(slot), options.block_size}, next.offset, options.seed);
                }
                io_prep_pwrite(cb, fd, slot_buffer(slot), options.block_size, offset);
            } else {
                io_prep_pread(cb, fd, slot_buffer(slot), options.block_size, offset);
            }
            cb->data = cb;
            slot_target[slot] = next.target;
            slot_submit_ns[slot] = now_ns;
            pending.push_back(cb);
        }
    }

    // Returns an error text, empty on success.
    std::string submit_pending()
    {
        std::size_t done = 0;
        while (done < pending.size()) {
            const int rc = io_submit(ctx, static_cast<long>(pending.size() - done), pending.data() + done);
            if (rc == -EAGAIN || rc == -EINTR) {
                break;  // retry after reaping
            }
            if (rc < 0) {
                return errno_text("io_submit", -rc);
            }
            done += static_cast<std::size_t>(rc);
            inflight += static_cast<unsigned>(rc);
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
        return {};
    }

    void drain() noexcept
    {
        while (inflight > 0) {
            const int n = io_getevents(ctx, 1, static_cast<long>(events.size()), events.data(), nullptr);
            if (n < 0 && n != -EINTR) {
                return;
            }
            inflight -= static_cast<unsigned>(std::max(n, 0));
        }
    }

    template <bool kLatency, bool kVerify>
    void loop(WorkerResult& result)
    {
        MeasureWindow window(options.number_ios);
        Phase seen = Phase::ramp;
        std::uint64_t ios = 0;
        std::string failure;
        for (;;) {
            if (!follow_phase(control, seen, window, result.latency, ios)) [[unlikely]] {
                break;
            }
            const std::uint64_t allowance =
                window.submit_allowance(ios, inflight + static_cast<unsigned>(pending.size()));
            // Already one std::min over a list; clang-tidy 19 flags the mixed types (false positive, llvm#107594).
            // NOLINTNEXTLINE(modernize-min-max-use-initializer-list)
            const auto to_prep = static_cast<unsigned>(std::min<std::uint64_t>(
                {free_slots.size(), options.submit_batch, allowance}));
            const bool full = free_slots.empty() || allowance <= to_prep;
            if (to_prep > 0) {
                prepare(to_prep, kLatency ? monotonic_ns() : 0);
            }
            if (!pending.empty()) {
                failure = submit_pending();
                if (!failure.empty()) {
                    break;
                }
            }
            if (inflight == 0) {
                continue;
            }
            const long min_nr = full ? std::min(options.complete_batch, inflight) : 0;
            const int n = io_getevents(ctx, min_nr, static_cast<long>(events.size()), events.data(), nullptr);
            if (n < 0) {
                if (n == -EINTR) {
                    continue;
                }
                failure = errno_text("io_getevents", -n);
                break;
            }
            const std::uint64_t done_ns = kLatency ? monotonic_ns() : 0;
            for (int i = 0; i < n; ++i) {
                const io_event& ev = events[static_cast<std::size_t>(i)];
                auto* cb = static_cast<iocb*>(ev.data);
                const auto slot = static_cast<unsigned>(cb - slots.data());
                const auto res = static_cast<long long>(static_cast<long>(ev.res));
                const auto offset = static_cast<std::uint64_t>(cb->u.c.offset);
                if (res != static_cast<long long>(options.block_size)) [[unlikely]] {
                    failure = io_failure_text(targets[slot_target[slot]], offset, res, options.block_size,
                                              writes);
                } else if (kVerify && !writes) {
                    std::string bad = verify_failure_text({slot_buffer(slot), options.block_size},
                                                          targets[slot_target[slot]], offset, options.seed);
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
            inflight -= static_cast<unsigned>(n);
            ios += static_cast<std::uint64_t>(n);
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

void run_libaio_worker(const WorkerSetup& setup, WorkerResult& result)
{
    const RunOptions& o = *setup.options;
    const unsigned depth = o.iodepth;
    AlignedBuffer buffers(static_cast<std::size_t>(depth) * o.block_size, kBufferAlignment);
    OffsetGenerator offsets(o.pattern, blocks_per_target(setup.targets, o.block_size), o.block_size,
                            o.seed, setup.index, o.numjobs);
    AioContext ctx(depth);
    LibaioWorker worker{.options = o,
                        .targets = setup.targets,
                        .control = *setup.control,
                        .ctx = ctx.get(),
                        .buffers = buffers,
                        .offsets = offsets,
                        .writes = o.writes(),
                        .slots = {},
                        .pending = {},
                        .free_slots = {},
                        .slot_target = {},
                        .slot_submit_ns = {},
                        .events = {}};
    worker.slots.assign(depth, iocb{});
    worker.pending.reserve(depth);
    worker.free_slots.reserve(depth);
    for (unsigned i = depth; i > 0; --i) {
        worker.free_slots.push_back(i - 1);
    }
    worker.slot_target.assign(depth, 0);
    worker.slot_submit_ns.assign(depth, 0);
    worker.events.assign(depth, io_event{});

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
