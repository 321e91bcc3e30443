#include <gtest/gtest.h>

#include <vector>

#include "measurement/sample_statistics.hpp"
#include "util/number_format.hpp"

using diobench::summarize;
using diobench::welch_gain;

TEST(StudentT, QuantilesMatchTables)
{
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 1), 12.7062047, 1e-5);
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 2), 4.3026527, 1e-6);
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 8), 2.3060041, 1e-6);
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 10), 2.2281389, 1e-6);
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 30), 2.0422725, 1e-6);
    EXPECT_NEAR(diobench::student_t_quantile(0.975, 1e6), 1.959966, 1e-5);
    EXPECT_NEAR(diobench::student_t_quantile(0.025, 10), -2.2281389, 1e-6);
    EXPECT_NEAR(diobench::student_t_cdf(0.0, 5), 0.5, 1e-12);
}

TEST(Summary, MedianMeanStddevMinMax)
{
    const std::vector<double> odd = {5, 1, 3, 2, 4};
    const auto s = summarize(odd);
    EXPECT_EQ(s.n, 5U);
    EXPECT_DOUBLE_EQ(s.median, 3);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_NEAR(s.stddev, 1.5811388, 1e-6);  // sqrt(2.5)
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 5);

    const std::vector<double> even = {10, 40, 20, 30};
    EXPECT_DOUBLE_EQ(summarize(even).median, 25);
    EXPECT_DOUBLE_EQ(summarize(even).mean, 25);

    const std::vector<double> one = {7};
    EXPECT_DOUBLE_EQ(summarize(one).stddev, 0);
}

TEST(WelchGain, SeparatedSamplesGiveTheHandComputedInterval)
{
    // Means 100 and 110, variances 2.5 each, n = 5: se = 1, df = 8,
    // t(0.975, 8) = 2.306004, so the difference 10 +- 2.306004.
    const std::vector<double> a = {100, 102, 98, 101, 99};
    const std::vector<double> b = {110, 112, 108, 111, 109};
    const auto sa = summarize(a);
    const auto sb = summarize(b);
    const auto g = welch_gain(sa, sb);
    EXPECT_NEAR(g.gain_pct, 10.0, 1e-9);
    EXPECT_NEAR(g.degrees_of_freedom, 8.0, 1e-9);
    EXPECT_NEAR(g.standard_error, 1.0, 1e-9);
    // An if, not ASSERT_TRUE: clang-tidy 19 does not see through ASSERT_TRUE
    // that the optionals are set (bugprone-unchecked-optional-access).
    if (!g.ci_low_pct || !g.ci_high_pct) {
        FAIL() << "welch_gain gave no interval";
    }
    EXPECT_NEAR(*g.ci_low_pct, 7.693996, 1e-5);
    EXPECT_NEAR(*g.ci_high_pct, 12.306004, 1e-5);
    EXPECT_TRUE(diobench::is_significant(g));
    EXPECT_EQ(diobench::verdict(g, sa, sb, "0", "1"), "state 1 is faster by 10.00% (95% CI 7.69..12.31%)");
}

TEST(WelchGain, SlowerSecondStateNamesTheFirstAsFaster)
{
    const std::vector<double> a = {110, 112, 108, 111, 109};
    const std::vector<double> b = {100, 102, 98, 101, 99};
    const auto sa = summarize(a);
    const auto sb = summarize(b);
    const auto g = welch_gain(sa, sb);
    EXPECT_NEAR(g.gain_pct, -100.0 / 11.0, 1e-9);
    EXPECT_TRUE(diobench::is_significant(g));
    // Relative to the slower state (mean 100): same numbers as above.
    EXPECT_EQ(diobench::verdict(g, sa, sb, "0", "1"), "state 0 is faster by 10.00% (95% CI 7.69..12.31%)");
}

TEST(WelchGain, IdenticalSamplesAreInconclusive)
{
    const std::vector<double> a = {100, 105, 95, 102};
    const auto s = summarize(a);
    const auto g = welch_gain(s, s);
    EXPECT_DOUBLE_EQ(g.gain_pct, 0.0);
    if (!g.ci_low_pct || !g.ci_high_pct) {
        FAIL() << "welch_gain gave no interval";
    }
    EXPECT_LT(*g.ci_low_pct, 0.0);
    EXPECT_GT(*g.ci_high_pct, 0.0);
    EXPECT_FALSE(diobench::is_significant(g));
    EXPECT_EQ(diobench::verdict(g, s, s, "0", "1").rfind("inconclusive: the 95% interval includes 0 (", 0), 0U);

    const std::vector<double> constant = {100, 100, 100};
    const auto c = summarize(constant);
    // Zero spread and zero difference: the interval is the single point 0.
    EXPECT_EQ(diobench::verdict(welch_gain(c, c), c, c, "0", "1"),
              "inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI +0.00%..+0.00%)");
}

TEST(WelchGain, OverlappingNoisySamplesAreNotSignificant)
{
    const std::vector<double> a = {100, 120, 90, 110, 95};
    const std::vector<double> b = {104, 118, 97, 112, 99};
    const auto g = welch_gain(summarize(a), summarize(b));
    EXPECT_GT(g.gain_pct, 0.0);
    EXPECT_FALSE(diobench::is_significant(g));
}

TEST(WelchGain, ConstantButDifferentStatesAreSignificant)
{
    const std::vector<double> a = {100, 100};
    const std::vector<double> b = {105, 105};
    const auto sa = summarize(a);
    const auto sb = summarize(b);
    const auto g = welch_gain(sa, sb);
    EXPECT_TRUE(diobench::is_significant(g));
    EXPECT_EQ(diobench::verdict(g, sa, sb, "0", "1"), "state 1 is faster by 5.00% (95% CI 5.00..5.00%)");
}

TEST(WelchGain, OneRoundIsInconclusive)
{
    const std::vector<double> a = {100};
    const std::vector<double> b = {200};
    const auto sa = summarize(a);
    const auto sb = summarize(b);
    const auto g = welch_gain(sa, sb);
    EXPECT_NEAR(g.gain_pct, 100.0, 1e-9);
    EXPECT_FALSE(g.ci_low_pct.has_value());
    EXPECT_FALSE(diobench::is_significant(g));
    EXPECT_NE(diobench::verdict(g, sa, sb, "0", "1").find("inconclusive"), std::string::npos);
}

TEST(WelchGain, TwoRoundsWithAWideSwingSayInconclusiveWithTheInterval)
{
    // Issue 14: a functional guest run of `compare --rounds 2` showed a gain
    // of about +31% and said "no significant difference". With 2 rounds per
    // state Welch's df is 1..2, so the interval is wide; the verdict must say
    // the interval includes 0 and give it, not claim there is no difference.
    const std::vector<double> a = {60000, 75000};
    const std::vector<double> b = {90000, 86000};
    const auto sa = summarize(a);
    const auto sb = summarize(b);
    const auto g = welch_gain(sa, sb);
    EXPECT_NEAR(g.gain_pct, 30.370370, 1e-5);
    EXPECT_GT(g.degrees_of_freedom, 1.0);
    EXPECT_LT(g.degrees_of_freedom, 2.0);
    if (!g.ci_low_pct || !g.ci_high_pct) {
        FAIL() << "welch_gain gave no interval";
    }
    EXPECT_LT(*g.ci_low_pct, 0.0);
    EXPECT_GT(*g.ci_high_pct, 0.0);
    EXPECT_FALSE(diobench::is_significant(g));
    EXPECT_EQ(diobench::verdict(g, sa, sb, "0", "1"),
              "inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI " +
                  diobench::signed_percent(*g.ci_low_pct) + ".." + diobench::signed_percent(*g.ci_high_pct) + ")");
    EXPECT_EQ(diobench::verdict(g, sa, sb, "0", "1"),
              "inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI -79.18%..+139.92%)");
}
