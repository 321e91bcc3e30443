// Where the next read goes: target index and byte offset, in a handful of
// integer instructions (xorshift64* and a multiply-shift range reduction, no
// division and no allocation) so it never shows up next to the I/O path.
#pragma once

#include <cstdint>
#include <vector>

#include "engines/run_options.hpp"

namespace diobench {

class OffsetGenerator {
public:
    struct Next {
        std::uint32_t target;
        std::uint64_t offset;
    };

    // blocks_per_target[i]: whole blocks of block_size in target i (> 0).
    // Workers get distinct random streams and, for sequential reads,
    // distinct starting points spread over each target.
    OffsetGenerator(AccessPattern pattern, std::vector<std::uint64_t> blocks_per_target,
                    std::uint64_t block_size, std::uint64_t seed, unsigned worker,
                    unsigned worker_count)
        : pattern_(pattern),
          blocks_(std::move(blocks_per_target)),
          cursor_(blocks_.size(), 0),
          block_size_(block_size),
          state_(mix(seed + 0x9e3779b97f4a7c15ULL * (worker + 1ULL)))
    {
        for (std::size_t i = 0; i < blocks_.size(); ++i) {
            cursor_[i] = blocks_[i] * worker / worker_count;
        }
    }

    Next next() noexcept
    {
        const std::uint32_t t = target_;
        if (++target_ == blocks_.size()) {
            target_ = 0;
        }
        std::uint64_t block = 0;
        if (pattern_ == AccessPattern::random) {
            block = static_cast<std::uint64_t>(
                (static_cast<unsigned __int128>(random64()) * blocks_[t]) >> 64U);
        } else {
            block = cursor_[t];
            if (++cursor_[t] == blocks_[t]) {
                cursor_[t] = 0;
            }
        }
        return {t, block * block_size_};
    }

private:
    static std::uint64_t mix(std::uint64_t z) noexcept
    {
        z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
        z ^= z >> 31U;
        return z == 0 ? 1 : z;  // xorshift must not start at 0
    }

    std::uint64_t random64() noexcept
    {
        state_ ^= state_ >> 12U;
        state_ ^= state_ << 25U;
        state_ ^= state_ >> 27U;
        return state_ * 0x2545f4914f6cdd1dULL;
    }

    AccessPattern pattern_;
    std::vector<std::uint64_t> blocks_;
    std::vector<std::uint64_t> cursor_;
    std::uint64_t block_size_;
    std::uint64_t state_;
    std::uint32_t target_ = 0;
};

}  // namespace diobench
