#include <gtest/gtest.h>

#include "util/error.hpp"
#include "util/size_parse.hpp"

using diobench::Error;

TEST(ParseSize, AcceptsPlainAndBinarySuffixes)
{
    EXPECT_EQ(diobench::parse_size("512"), 512U);
    EXPECT_EQ(diobench::parse_size("4k"), 4096U);
    EXPECT_EQ(diobench::parse_size("4K"), 4096U);
    EXPECT_EQ(diobench::parse_size("16k"), 16384U);
    EXPECT_EQ(diobench::parse_size("64M"), 64ULL << 20);
    EXPECT_EQ(diobench::parse_size("1g"), 1ULL << 30);
    EXPECT_EQ(diobench::parse_size("4KiB"), 4096U);
    EXPECT_EQ(diobench::parse_size("4kb"), 4096U);
}

TEST(ParseSize, RejectsGarbage)
{
    EXPECT_THROW(diobench::parse_size(""), Error);
    EXPECT_THROW(diobench::parse_size("k"), Error);
    EXPECT_THROW(diobench::parse_size("4x"), Error);
    EXPECT_THROW(diobench::parse_size("-4k"), Error);
    EXPECT_THROW(diobench::parse_size("4k4"), Error);
    EXPECT_THROW(diobench::parse_size("99999999999999999999"), Error);
    EXPECT_THROW(diobench::parse_size("17179869184T"), Error);  // overflows 64 bits
}

TEST(ParseSeconds, AcceptsFractionsRejectsNegative)
{
    EXPECT_DOUBLE_EQ(diobench::parse_seconds("0.5", "--runtime"), 0.5);
    EXPECT_DOUBLE_EQ(diobench::parse_seconds("10", "--runtime"), 10.0);
    EXPECT_THROW(diobench::parse_seconds("-1", "--runtime"), Error);
    EXPECT_THROW(diobench::parse_seconds("1s", "--runtime"), Error);
    EXPECT_THROW(diobench::parse_seconds("inf", "--runtime"), Error);
}

TEST(SplitList, SplitsAndRejectsEmptyItems)
{
    EXPECT_EQ(diobench::split_list("0,1", "--states"), (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(diobench::split_list("io_uring", "--engines"), (std::vector<std::string>{"io_uring"}));
    EXPECT_THROW(diobench::split_list("0,,1", "--states"), Error);
    EXPECT_THROW(diobench::split_list("", "--states"), Error);
    EXPECT_THROW(diobench::split_list("0,", "--states"), Error);
}
