#include "io/verify_pattern.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace diobench {

namespace {

constexpr std::size_t kWordsPerSector = kPatternSectorSize / sizeof(std::uint64_t);

std::uint64_t to_little_endian(std::uint64_t v)
{
    if constexpr (std::endian::native == std::endian::big) {
        return __builtin_bswap64(v);
    }
    return v;
}

std::uint64_t splitmix64(std::uint64_t& state)
{
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
}

using SectorWords = std::array<std::uint64_t, kWordsPerSector>;

SectorWords expected_sector(std::uint64_t offset, std::uint64_t seed)
{
    SectorWords words{};
    words[0] = to_little_endian(offset);
    words[1] = to_little_endian(seed);
    std::uint64_t state = offset * 0xd1342543de82ef95ULL ^ seed;
    for (std::size_t i = 2; i < kWordsPerSector; ++i) {
        words[i] = to_little_endian(splitmix64(state));
    }
    return words;
}

std::uint64_t load_le64(const std::byte* p)
{
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return to_little_endian(v);
}

}  // namespace

void fill_pattern(std::span<std::byte> buffer, std::uint64_t file_offset, std::uint64_t seed)
{
    for (std::size_t pos = 0; pos + kPatternSectorSize <= buffer.size(); pos += kPatternSectorSize) {
        const SectorWords words = expected_sector(file_offset + pos, seed);
        std::memcpy(buffer.data() + pos, words.data(), kPatternSectorSize);
    }
}

std::optional<PatternMismatch> check_pattern(std::span<const std::byte> buffer,
                                             std::uint64_t file_offset, std::uint64_t seed)
{
    for (std::size_t pos = 0; pos + kPatternSectorSize <= buffer.size(); pos += kPatternSectorSize) {
        const SectorWords words = expected_sector(file_offset + pos, seed);
        const std::byte* got = buffer.data() + pos;
        if (std::memcmp(got, words.data(), kPatternSectorSize) == 0) {
            continue;
        }
        PatternMismatch m;
        m.sector_offset = file_offset + pos;
        m.found_offset = load_le64(got);
        m.found_seed = load_le64(got + sizeof(std::uint64_t));
        m.expected_seed = seed;
        const auto* want = reinterpret_cast<const std::byte*>(words.data());  // byte view of the words
        m.first_bad_byte = static_cast<std::size_t>(
            std::mismatch(got, got + kPatternSectorSize, want).first - got);
        m.all_zero = std::all_of(got, got + kPatternSectorSize,
                                 [](std::byte b) { return b == std::byte{0}; });
        return m;
    }
    return std::nullopt;
}

std::string describe_mismatch(const PatternMismatch& m, const std::string& path)
{
    std::string text = "verify failed at offset " + std::to_string(m.sector_offset) + " of " + path +
                       ": expected stamp offset=" + std::to_string(m.sector_offset) +
                       " seed=" + std::to_string(m.expected_seed) + ", got ";
    if (m.all_zero) {
        return text + "an all-zero sector";
    }
    return text + "offset=" + std::to_string(m.found_offset) + " seed=" +
           std::to_string(m.found_seed) + " (first differing byte " +
           std::to_string(m.first_bad_byte) + ")";
}

}  // namespace diobench
