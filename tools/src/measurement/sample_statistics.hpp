// Summary statistics of per-round IOPS samples and the A/B gain with a 95%
// confidence interval from Welch's t-test (unequal variances).
//
// Why Welch: rounds are few (typically 5 per state), variances of the two
// states need not be equal, and the result must be reproducible without a
// random number generator (a bootstrap would need one).
#pragma once

#include <optional>
#include <span>
#include <string>

namespace diobench {

struct SampleSummary {
    std::size_t n = 0;
    double mean = 0;
    double median = 0;
    double stddev = 0;  // sample standard deviation (n - 1)
    double min = 0;
    double max = 0;
};

SampleSummary summarize(std::span<const double> samples);

struct GainEstimate {
    // (mean_b - mean_a) / mean_a * 100.
    double gain_pct = 0;
    // 95% interval of the same quantity: Welch interval of mean_b - mean_a,
    // divided by mean_a. Absent with fewer than 2 samples per state.
    std::optional<double> ci_low_pct;
    std::optional<double> ci_high_pct;
    double degrees_of_freedom = 0;
    double difference = 0;       // mean_b - mean_a
    double standard_error = 0;   // of the difference
    double t_critical = 0;       // two-sided 97.5% quantile
};

GainEstimate welch_gain(const SampleSummary& a, const SampleSummary& b);

// "state X is faster by N% (95% CI lo..hi%)" when the interval excludes 0,
// N and the interval relative to the slower state; otherwise
// "inconclusive: the 95% interval includes 0 (gain of state B over state A:
// 95% CI -lo%..+hi%)", or "inconclusive: ..." without an interval (fewer than
// 2 samples per state). An interval that includes 0 is not evidence of "no
// difference": with few rounds it is wide enough to hide a large one.
std::string verdict(const GainEstimate& gain, const SampleSummary& a, const SampleSummary& b,
                    const std::string& label_a, const std::string& label_b);

bool is_significant(const GainEstimate& gain);

// Student's t distribution: CDF and quantile (df may be fractional, > 0).
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);

}  // namespace diobench
