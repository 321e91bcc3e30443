#include "engines/run_options.hpp"

#include <sched.h>

#include <algorithm>
#include <string>

#include "util/error.hpp"

namespace diobench {

namespace {

constexpr unsigned kMaxIodepth = 4096;
constexpr unsigned kMaxJobs = 1024;
constexpr std::uint64_t kMaxBlockSize = 64ULL << 20;
constexpr std::uint64_t kSectorSize = 512;
// t/io_uring submits and reaps 32 at a time at its default depth of 128.
constexpr unsigned kMaxAutoBatch = 32;

bool is_io_uring(Engine e)
{
    return e == Engine::io_uring || e == Engine::io_uring_poll;
}

}  // namespace

Engine parse_engine(std::string_view name)
{
    if (name == "io_uring") {
        return Engine::io_uring;
    }
    if (name == "io_uring-poll" || name == "io_uring_poll") {
        return Engine::io_uring_poll;
    }
    if (name == "sync") {
        return Engine::sync;
    }
    if (name == "libaio") {
        return Engine::libaio;
    }
    throw Error("unknown engine '" + std::string(name) +
                "' (choose io_uring, io_uring-poll, sync or libaio)");
}

std::string_view engine_name(Engine engine)
{
    switch (engine) {
    case Engine::io_uring: return "io_uring";
    case Engine::io_uring_poll: return "io_uring-poll";
    case Engine::sync: return "sync";
    case Engine::libaio: return "libaio";
    }
    return "?";
}

RwMode parse_rw(std::string_view name)
{
    if (name == "randread") {
        return {.pattern = AccessPattern::random, .direction = Direction::read};
    }
    if (name == "read") {
        return {.pattern = AccessPattern::sequential, .direction = Direction::read};
    }
    if (name == "randwrite") {
        return {.pattern = AccessPattern::random, .direction = Direction::write};
    }
    if (name == "write") {
        return {.pattern = AccessPattern::sequential, .direction = Direction::write};
    }
    throw Error("unknown --rw '" + std::string(name) + "' (choose randread, read, randwrite or write)");
}

std::string_view rw_name(AccessPattern pattern, Direction direction)
{
    if (direction == Direction::write) {
        return pattern == AccessPattern::random ? "randwrite" : "write";
    }
    return pattern == AccessPattern::random ? "randread" : "read";
}

OpenMode target_open_mode(const RunOptions& options)
{
    return {.write = options.writes(),
            .o_dsync = options.writes() && options.dsync && options.engine == Engine::libaio,
            .allow_block_device_write = options.allow_write};
}

RunOptions resolve_run_options(RunRequest request)
{
    RunOptions o = std::move(request.options);
    if (o.targets.empty()) {
        throw Error("no target given: name at least one FILE or DEVICE");
    }
    if (o.block_size == 0 || o.block_size % kSectorSize != 0) {
        throw Error("block size " + std::to_string(o.block_size) +
                    " is not a positive multiple of 512");
    }
    if (o.block_size > kMaxBlockSize) {
        throw Error("block size " + std::to_string(o.block_size) + " is larger than 64M");
    }
    if (o.dsync && !o.writes()) {
        throw Error("--dsync applies to writes: use it with --rw randwrite or write");
    }
    if (o.allow_write && !o.writes()) {
        throw Error("--allow-write applies to writes: use it with --rw randwrite or write");
    }
    if (o.engine == Engine::io_uring_poll) {
        o.hipri = true;
    }
    if (!is_io_uring(o.engine)) {
        const std::string engine(engine_name(o.engine));
        if (o.hipri) {
            throw Error("--hipri needs an io_uring engine, not " + engine);
        }
        if (o.fixed_buffers || o.register_files || o.register_ring) {
            throw Error("--fixedbufs/--registerfiles/--register-ring need an io_uring engine, not " +
                        engine);
        }
    }
    if (o.engine == Engine::sync) {
        if (request.iodepth_given && o.iodepth != 1) {
            throw Error("--engine sync issues one pread at a time: --iodepth must be 1");
        }
        o.iodepth = 1;
    }
    if (o.iodepth == 0 || o.iodepth > kMaxIodepth) {
        throw Error("--iodepth " + std::to_string(o.iodepth) + " is out of range 1.." +
                    std::to_string(kMaxIodepth));
    }
    const unsigned auto_batch = std::clamp(o.iodepth / 4, 1U, kMaxAutoBatch);
    if (o.submit_batch == 0) {
        o.submit_batch = auto_batch;
    }
    if (o.complete_batch == 0) {
        o.complete_batch = auto_batch;
    }
    if (o.submit_batch > o.iodepth) {
        throw Error("--submit-batch " + std::to_string(o.submit_batch) +
                    " is larger than --iodepth " + std::to_string(o.iodepth));
    }
    if (o.complete_batch > o.iodepth) {
        throw Error("--complete-batch " + std::to_string(o.complete_batch) +
                    " is larger than --iodepth " + std::to_string(o.iodepth));
    }
    if (o.numjobs == 0 || o.numjobs > kMaxJobs) {
        throw Error("--numjobs " + std::to_string(o.numjobs) + " is out of range 1.." +
                    std::to_string(kMaxJobs));
    }
    for (const unsigned cpu : o.cpus) {
        if (cpu >= CPU_SETSIZE) {
            throw Error("--cpus: CPU " + std::to_string(cpu) + " is out of range");
        }
    }
    if (!request.runtime_given && o.number_ios > 0) {
        o.runtime_s = 0;  // --number-ios alone: run until the count is reached
    }
    if (o.runtime_s == 0 && o.number_ios == 0) {
        throw Error("--runtime 0 needs --number-ios, or the run would never end");
    }
    return o;
}

}  // namespace diobench
