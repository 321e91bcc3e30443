// The data pattern `prep` writes and `run --verify` checks.
//
// Every 512-byte sector is stamped with where it belongs: bytes 0..7 hold the
// sector's file offset, bytes 8..15 the seed (both little-endian u64), and
// bytes 16..511 a splitmix64 stream seeded from both. A block read from the
// wrong place, a stale block from another seed, or a zeroed block therefore
// never matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace diobench {

inline constexpr std::size_t kPatternSectorSize = 512;

// `buffer` covers whole sectors starting at `file_offset` (a sector multiple).
void fill_pattern(std::span<std::byte> buffer, std::uint64_t file_offset, std::uint64_t seed);

struct PatternMismatch {
    std::uint64_t sector_offset = 0;   // file offset of the first bad sector
    std::uint64_t found_offset = 0;    // stamp found in that sector
    std::uint64_t found_seed = 0;
    std::uint64_t expected_seed = 0;
    std::size_t first_bad_byte = 0;    // within the sector
    bool all_zero = false;
};

std::optional<PatternMismatch> check_pattern(std::span<const std::byte> buffer,
                                             std::uint64_t file_offset, std::uint64_t seed);

// "verify failed at offset 4096 of PATH: expected stamp offset=4096 seed=1, got ..."
std::string describe_mismatch(const PatternMismatch& mismatch, const std::string& path);

}  // namespace diobench
