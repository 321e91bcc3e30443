// Everything `diobench run` can be told, after validation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/target.hpp"

namespace diobench {

enum class Engine { io_uring, io_uring_poll, sync, libaio };
enum class AccessPattern { random, sequential };
enum class Direction { read, write };

// Accepts io_uring, io_uring-poll (alias io_uring_poll), sync, libaio.
Engine parse_engine(std::string_view name);
std::string_view engine_name(Engine engine);

// What --rw names: the order of the offsets and whether they are read or
// written (randread, read, randwrite, write).
struct RwMode {
    AccessPattern pattern = AccessPattern::random;
    Direction direction = Direction::read;
};
RwMode parse_rw(std::string_view name);
std::string_view rw_name(AccessPattern pattern, Direction direction);

inline constexpr std::uint64_t kDefaultSeed = 0x5eedULL;
inline constexpr double kDefaultRuntimeSeconds = 10.0;

struct RunOptions {
    std::vector<std::string> targets;
    Engine engine = Engine::io_uring;
    AccessPattern pattern = AccessPattern::random;
    Direction direction = Direction::read;
    // Writes with O_DSYNC semantics per I/O: RWF_DSYNC on io_uring and
    // pwritev2, the target opened O_DSYNC for libaio (no per-I/O flag there).
    bool dsync = false;
    bool allow_write = false;  // writes to a block device
    std::uint64_t block_size = 4096;
    unsigned iodepth = 32;
    unsigned submit_batch = 0;    // 0: choose from iodepth (see resolve)
    unsigned complete_batch = 0;  // 0: choose from iodepth
    bool hipri = false;           // IORING_SETUP_IOPOLL
    bool fixed_buffers = false;
    bool register_files = false;
    bool register_ring = false;
    unsigned numjobs = 1;
    std::vector<unsigned> cpus;   // worker i runs on cpus[i % size]
    double runtime_s = kDefaultRuntimeSeconds;  // 0: no time limit (needs number_ios)
    double ramp_s = 0;
    std::uint64_t number_ios = 0;  // per worker, 0: unlimited
    std::uint64_t seed = kDefaultSeed;
    bool latency = false;
    bool verify = false;  // reads: check the prep pattern; writes: write it
    bool json = false;

    [[nodiscard]] bool writes() const noexcept { return direction == Direction::write; }
};

// What the user typed, before defaults that depend on other options.
struct RunRequest {
    RunOptions options;
    bool iodepth_given = false;
    bool runtime_given = false;
};

// How a run with these options opens its targets: for writing when it
// writes, with O_DSYNC where the engine has no per-I/O flag for it (libaio).
OpenMode target_open_mode(const RunOptions& options);

// Applies dependent defaults and rejects bad or conflicting values with an
// Error whose message is one line. Does not touch the targets.
RunOptions resolve_run_options(RunRequest request);

}  // namespace diobench
