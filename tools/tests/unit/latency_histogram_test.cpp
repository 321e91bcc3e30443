#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "measurement/latency_histogram.hpp"

using diobench::LatencyHistogram;

TEST(LatencyHistogram, BucketsAreMonotonicAndBounded)
{
    std::size_t previous = 0;
    for (std::uint64_t v = 0; v < 200000; v += 7) {
        const std::size_t b = LatencyHistogram::bucket_of(v);
        ASSERT_GE(b, previous);
        ASSERT_LT(b, LatencyHistogram::kBucketCount);
        ASSERT_GE(LatencyHistogram::bucket_upper(b), v);  // v lies at or below its bucket's top
        previous = b;
    }
    EXPECT_LT(LatencyHistogram::bucket_of(~0ULL), LatencyHistogram::kBucketCount);
}

TEST(LatencyHistogram, SmallValuesAreExact)
{
    auto h = std::make_unique<LatencyHistogram>();
    for (std::uint64_t v = 1; v <= 50; ++v) {
        h->record(v);
    }
    EXPECT_EQ(h->percentile(50), 25U);
    EXPECT_EQ(h->percentile(100), 50U);
    EXPECT_EQ(h->min(), 1U);
    EXPECT_DOUBLE_EQ(h->mean(), 25.5);
}

TEST(LatencyHistogram, PercentilesWithinRelativeError)
{
    auto h = std::make_unique<LatencyHistogram>();
    for (std::uint64_t v = 1; v <= 100000; ++v) {
        h->record(v * 100);  // 100 ns .. 10 ms, uniform
    }
    EXPECT_EQ(h->count(), 100000U);
    for (const double p : {50.0, 90.0, 99.0, 99.9}) {
        const double truth = p / 100.0 * 100000 * 100;
        const auto got = static_cast<double>(h->percentile(p));
        EXPECT_NEAR(got, truth, truth / 64.0) << "p" << p;
    }
    EXPECT_EQ(h->max(), 10000000U);
    EXPECT_EQ(h->percentile(100), 10000000U);
}

TEST(LatencyHistogram, MergeAddsCounts)
{
    auto a = std::make_unique<LatencyHistogram>();
    auto b = std::make_unique<LatencyHistogram>();
    a->record_n(1000, 90);
    b->record_n(50000, 10);
    a->merge(*b);
    EXPECT_EQ(a->count(), 100U);
    EXPECT_NEAR(static_cast<double>(a->percentile(50)), 1000.0, 1000.0 / 64);
    EXPECT_NEAR(static_cast<double>(a->percentile(95)), 50000.0, 50000.0 / 64);
    EXPECT_EQ(a->min(), 1000U);
    EXPECT_EQ(a->max(), 50000U);
    a->reset();
    EXPECT_EQ(a->count(), 0U);
    EXPECT_EQ(a->percentile(50), 0U);
}
