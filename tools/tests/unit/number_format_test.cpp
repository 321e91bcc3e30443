#include <gtest/gtest.h>

#include <cmath>

#include "util/number_format.hpp"

TEST(NumberFormat, ThousandsSeparators)
{
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{0}), "0");
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{999}), "999");
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{1000}), "1,000");
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{99295}), "99,295");
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{568193}), "568,193");
    EXPECT_EQ(diobench::with_thousands(std::uint64_t{1234567890}), "1,234,567,890");
    EXPECT_EQ(diobench::with_thousands(600624.6), "600,625");
    EXPECT_EQ(diobench::with_thousands(-1234.0), "-1,234");
    EXPECT_EQ(diobench::with_thousands(std::nan("")), "n/a");
}

TEST(NumberFormat, SignedPercent)
{
    EXPECT_EQ(diobench::signed_percent(5.7123), "+5.71%");
    EXPECT_EQ(diobench::signed_percent(-0.4), "-0.40%");
    EXPECT_EQ(diobench::signed_percent(0.0), "+0.00%");
    EXPECT_EQ(diobench::signed_percent(-0.001), "+0.00%");
    EXPECT_EQ(diobench::signed_percent(12.345, 1), "+12.3%");
}
