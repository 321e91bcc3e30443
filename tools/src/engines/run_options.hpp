// Everything `diobench run` can be told, after validation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace diobench {

enum class Engine { io_uring, io_uring_poll, sync, libaio };
enum class ReadPattern { random, sequential };

// Accepts io_uring, io_uring-poll (alias io_uring_poll), sync, libaio.
Engine parse_engine(std::string_view name);
std::string_view engine_name(Engine engine);
ReadPattern parse_read_pattern(std::string_view name);  // randread | read
std::string_view read_pattern_name(ReadPattern pattern);

inline constexpr std::uint64_t kDefaultSeed = 0x5eedULL;
inline constexpr double kDefaultRuntimeSeconds = 10.0;

struct RunOptions {
    std::vector<std::string> targets;
    Engine engine = Engine::io_uring;
    ReadPattern pattern = ReadPattern::random;
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
    bool verify = false;
    bool json = false;
};

// What the user typed, before defaults that depend on other options.
struct RunRequest {
    RunOptions options;
    bool iodepth_given = false;
    bool runtime_given = false;
};

// Applies dependent defaults and rejects bad or conflicting values with an
// Error whose message is one line. Does not touch the targets.
RunOptions resolve_run_options(RunRequest request);

}  // namespace diobench
