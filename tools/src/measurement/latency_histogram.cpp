#include "measurement/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace diobench {

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept
{
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        counts_[i] += other.counts_[i];
    }
    total_ += other.total_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

double LatencyHistogram::mean() const noexcept
{
    return total_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_);
}

std::uint64_t LatencyHistogram::bucket_upper(std::size_t bucket) noexcept
{
    if (bucket < kSubBuckets) {
        return bucket;
    }
    const std::uint64_t shift = (bucket >> kSubBucketBits) - 1;
    const std::uint64_t sub = (bucket & (kSubBuckets - 1)) + kSubBuckets;
    return ((sub + 1) << shift) - 1;
}

std::uint64_t LatencyHistogram::percentile(double percent) const noexcept
{
    if (total_ == 0) {
        return 0;
    }
    const double clamped = std::clamp(percent, 0.0, 100.0);
    auto rank = static_cast<std::uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(total_)));
    rank = std::max<std::uint64_t>(rank, 1);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            return std::clamp(bucket_upper(i), min(), max_);
        }
    }
    return max_;
}

}  // namespace diobench
