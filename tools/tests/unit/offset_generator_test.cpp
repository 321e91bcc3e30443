#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "engines/offset_generator.hpp"

using diobench::OffsetGenerator;
using diobench::AccessPattern;

TEST(OffsetGenerator, RandomOffsetsAreAlignedInRangeAndSpread)
{
    OffsetGenerator gen(AccessPattern::random, {1000}, 4096, 1, 0, 1);
    std::vector<unsigned> histogram(10, 0);
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 100000; ++i) {
        const auto n = gen.next();
        ASSERT_EQ(n.target, 0U);
        ASSERT_EQ(n.offset % 4096, 0U);
        ASSERT_LT(n.offset, 1000U * 4096U);
        ++histogram[n.offset / 4096 / 100];
        seen.insert(n.offset);
    }
    EXPECT_EQ(seen.size(), 1000U);  // every block hit at 100 draws per block
    for (const unsigned count : histogram) {
        EXPECT_NEAR(count, 10000, 600);
    }
}

TEST(OffsetGenerator, SeedsAndWorkersGiveDifferentStreams)
{
    OffsetGenerator a(AccessPattern::random, {1 << 20}, 512, 1, 0, 2);
    OffsetGenerator b(AccessPattern::random, {1 << 20}, 512, 1, 1, 2);
    OffsetGenerator c(AccessPattern::random, {1 << 20}, 512, 1, 0, 2);
    int same_ab = 0;
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next();
        same_ab += x.offset == b.next().offset ? 1 : 0;
        EXPECT_EQ(x.offset, c.next().offset);  // same seed and worker: reproducible
    }
    EXPECT_LT(same_ab, 5);
}

TEST(OffsetGenerator, SequentialWrapsAndRoundRobinsTargets)
{
    OffsetGenerator gen(AccessPattern::sequential, {3, 2}, 4096, 1, 0, 1);
    const std::vector<std::pair<std::uint32_t, std::uint64_t>> expected = {
        {0, 0}, {1, 0}, {0, 4096}, {1, 4096}, {0, 8192}, {1, 0}, {0, 0}};
    for (const auto& [target, offset] : expected) {
        const auto n = gen.next();
        EXPECT_EQ(n.target, target);
        EXPECT_EQ(n.offset, offset);
    }
    OffsetGenerator second(AccessPattern::sequential, {100}, 4096, 1, 1, 2);
    EXPECT_EQ(second.next().offset, 50U * 4096U);  // worker 1 of 2 starts half way
}
