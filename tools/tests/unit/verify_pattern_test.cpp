#include <gtest/gtest.h>

#include <cstring>

#include "io/aligned_buffer.hpp"
#include "io/verify_pattern.hpp"

using diobench::AlignedBuffer;
using diobench::check_pattern;
using diobench::fill_pattern;

TEST(VerifyPattern, FilledBlockChecksClean)
{
    const AlignedBuffer buf(8192, 4096);
    fill_pattern(buf.span(), 1 << 20, 42);
    EXPECT_FALSE(check_pattern(buf.span(), 1 << 20, 42).has_value());
}

TEST(VerifyPattern, StampsOffsetAndSeedLittleEndian)
{
    const AlignedBuffer buf(1024, 4096);
    fill_pattern(buf.span(), 4096, 9);
    std::uint64_t word = 0;
    std::memcpy(&word, buf.data() + 512, 8);
    EXPECT_EQ(word, 4096U + 512U);
    std::memcpy(&word, buf.data() + 512 + 8, 8);
    EXPECT_EQ(word, 9U);
    // The fill differs between sectors and is not all zero.
    EXPECT_NE(std::memcmp(buf.data() + 16, buf.data() + 512 + 16, 496), 0);
}

TEST(VerifyPattern, MisplacedBlockIsDetected)
{
    const AlignedBuffer buf(4096, 4096);
    fill_pattern(buf.span(), 8192, 1);
    const auto m = check_pattern(buf.span(), 12288, 1);  // read "from" the wrong place
    // An if, not ASSERT_TRUE: clang-tidy 19 does not see through ASSERT_TRUE
    // that the optional is set (bugprone-unchecked-optional-access).
    if (!m.has_value()) {
        FAIL() << "check_pattern found no mismatch";
    }
    EXPECT_EQ(m->sector_offset, 12288U);
    EXPECT_EQ(m->found_offset, 8192U);
    EXPECT_NE(diobench::describe_mismatch(*m, "f").find("offset 12288"), std::string::npos);
}

TEST(VerifyPattern, StaleSeedAndCorruptTailAndZerosAreDetected)
{
    const AlignedBuffer buf(4096, 4096);
    fill_pattern(buf.span(), 0, 1);
    const auto stale = check_pattern(buf.span(), 0, 2);
    if (!stale.has_value()) {
        FAIL() << "check_pattern found no mismatch";
    }
    EXPECT_EQ(stale->found_seed, 1U);
    EXPECT_EQ(stale->expected_seed, 2U);

    buf.data()[3 * 512 + 300] ^= std::byte{0x01};
    const auto flipped = check_pattern(buf.span(), 0, 1);
    if (!flipped.has_value()) {
        FAIL() << "check_pattern found no mismatch";
    }
    EXPECT_EQ(flipped->sector_offset, 3U * 512U);
    EXPECT_EQ(flipped->first_bad_byte, 300U);

    const AlignedBuffer zeros(512, 4096);
    const auto zero = check_pattern(zeros.span(), 512, 1);
    if (!zero.has_value()) {
        FAIL() << "check_pattern found no mismatch";
    }
    EXPECT_TRUE(zero->all_zero);
    EXPECT_NE(diobench::describe_mismatch(*zero, "f").find("all-zero"), std::string::npos);
}
