// The compare report's words for few rounds: the n=2 case of issue 14.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "commands/compare_command.hpp"
#include "measurement/comparison.hpp"
#include "report/compare_report.hpp"

namespace {

diobench::ComparisonOutcome outcome_of(std::vector<double> a, std::vector<double> b)
{
    diobench::ComparisonOutcome o;
    o.states = {{.state = "0", .iops = std::move(a), .summary = {}, .stats_delta = {}},
                {.state = "1", .iops = std::move(b), .summary = {}, .stats_delta = {}}};
    o.rounds_completed = static_cast<unsigned>(o.states[0].iops.size());
    diobench::finish_outcome(o);
    return o;
}

const diobench::CompareContext kContext{.knob = "/sys/kernel/iomap/simple_read",
                                        .label = "simple",
                                        .workload = "diobench run io_uring",
                                        .rounds = 2,
                                        .warmup = false};

}  // namespace

TEST(CompareReport, TwoRoundsWarnAndSayInconclusiveWithTheInterval)
{
    const auto o = outcome_of({60000, 75000}, {90000, 86000});
    const std::string text = diobench::format_compare_text(o, kContext);
    EXPECT_NE(text.find("gain of state 1 over state 0: +30.37% (95% CI "), std::string::npos) << text;
    EXPECT_NE(text.find("\nwarning: only 2 rounds per state: Welch df 1..2 makes the 95% interval "
                        "+-4.3..12.7 standard errors wide; use --rounds 5 (the default) or more for a verdict\n"
                        "verdict: inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI "),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("no significant difference"), std::string::npos) << text;

    const auto j = diobench::compare_to_json(o, kContext);
    EXPECT_NEAR(j["gain_pct"].get<double>(), 30.37037, 1e-4);
    EXPECT_LT(j["ci95_low_pct"].get<double>(), 0.0);
    EXPECT_GT(j["ci95_high_pct"].get<double>(), 0.0);
    EXPECT_FALSE(j["significant"].get<bool>());
    EXPECT_EQ(j["verdict"], o.verdict);
    EXPECT_EQ(j["verdict"].get<std::string>().rfind("inconclusive: the 95% interval includes 0 (", 0), 0U);
    ASSERT_EQ(j["warnings"].size(), 1U);
    EXPECT_EQ(j["warnings"][0], o.warnings[0]);
}

TEST(CompareReport, ThreeRoundsDoNotWarn)
{
    const auto o = outcome_of({100, 102, 98}, {110, 112, 108});
    EXPECT_TRUE(o.warnings.empty());
    EXPECT_EQ(diobench::format_compare_text(o, kContext).find("warning"), std::string::npos);
    EXPECT_TRUE(diobench::compare_to_json(o, kContext)["warnings"].empty());
    EXPECT_EQ(o.verdict.rfind("state 1 is faster by ", 0), 0U) << o.verdict;
}

TEST(CompareReport, FewerThanTwoRoundsAreRefusedOrWarned)
{
    EXPECT_EQ(diobench::compare_rounds_problem(2), "");
    EXPECT_EQ(diobench::compare_rounds_problem(1),
              "compare needs at least 2 rounds per state for a 95% interval, got 1 (default 5)");
    EXPECT_NE(diobench::compare_rounds_problem(0), "");
    EXPECT_NE(diobench::few_rounds_warning(1), "");
    EXPECT_NE(diobench::few_rounds_warning(2), "");
    EXPECT_EQ(diobench::few_rounds_warning(3), "");
    // An interrupted compare with one completed round per state still warns.
    const auto o = outcome_of({100}, {130});
    ASSERT_EQ(o.warnings.size(), 1U);
    EXPECT_EQ(o.warnings[0].rfind("warning: 1 round per state: no 95% interval", 0), 0U);
    EXPECT_EQ(o.verdict.rfind("inconclusive: ", 0), 0U);
}
