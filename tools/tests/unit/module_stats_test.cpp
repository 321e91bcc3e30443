#include <gtest/gtest.h>

#include "kernel/module_stats.hpp"

using diobench::ModuleStats;
using diobench::parse_module_stats;

TEST(ModuleStats, ParsesNameValueLinesGenerically)
{
    const auto s = parse_module_stats("calls 123\nhits 100\n  fallback_write\t3\nin_flight 0\nbrand_new_key 18446744073709551615\n");
    const ModuleStats expected = {{"calls", 123}, {"hits", 100}, {"fallback_write", 3}, {"in_flight", 0},
                                  {"brand_new_key", 18446744073709551615ULL}};
    EXPECT_EQ(s, expected);
}

TEST(ModuleStats, IgnoresLinesThatDoNotMatch)
{
    const auto s = parse_module_stats("header line with words\ncalls 5\nneg -3\nfloat 1.5\nnovalue\n"
                                      "two values 1 2\noverflow 99999999999999999999999\n\nhits 2");
    const ModuleStats expected = {{"calls", 5}, {"hits", 2}};
    EXPECT_EQ(s, expected);
}

TEST(ModuleStats, DeltasAndAccumulation)
{
    const ModuleStats before = {{"calls", 100}, {"in_flight", 4}};
    const ModuleStats after = {{"calls", 150}, {"in_flight", 1}, {"hits", 7}};
    const auto d = diobench::stats_delta(before, after);
    const diobench::StatsDelta expected = {{"calls", 50}, {"in_flight", -3}, {"hits", 7}};
    EXPECT_EQ(d, expected);
    diobench::StatsDelta total;
    diobench::accumulate(total, d);
    diobench::accumulate(total, d);
    const diobench::StatsDelta doubled = {{"calls", 100}, {"in_flight", -6}, {"hits", 14}};
    EXPECT_EQ(total, doubled);
}

TEST(ModuleStats, FormatsAlignedColumns)
{
    const auto text = diobench::format_module_stats({{"calls", 123}, {"fallback_write", 3}});
    EXPECT_EQ(text, "calls           123\nfallback_write    3\n");
}
