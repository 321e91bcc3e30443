// Command-line surface: help, one-line errors, stats.
#include <gtest/gtest.h>

#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"

using diobench::test::line_count;
using diobench::test::run_diobench;

TEST(CliE2E, HelpListsEveryCommand)
{
    const auto r = run_diobench({"--help"});
    EXPECT_EQ(r.exit_status, 0);
    for (const std::string cmd : {"run", "prep", "compare", "sweep", "stats"}) {
        EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
        const auto sub = run_diobench({cmd, "--help"});
        EXPECT_EQ(sub.exit_status, 0) << cmd;
        EXPECT_NE(sub.out.find("--help"), std::string::npos) << cmd;
        // Every subcommand's help ends with an example line of itself.
        EXPECT_NE(sub.out.find("\nExample: diobench " + cmd + " "), std::string::npos) << cmd << ": " << sub.out;
    }
    EXPECT_NE(run_diobench({"compare", "--help"}).out.find("Welch"), std::string::npos);
}

TEST(CliE2E, UsageErrorsAreOneLine)
{
    const std::vector<std::vector<std::string>> bad = {
        {},
        {"frobnicate"},
        {"run"},
        {"run", "/dev/null", "--bogus"},
        {"run", "/dev/null", "--iodepth", "lots"},
        {"run", "/dev/null", "--bs", "3k"},
        {"run", "/dev/null", "--engine", "posixaio"},
        {"prep"},
        {"compare", "--rounds", "x"},
        {"compare", "--rounds", "1", "--", "run", "/dev/null"},
        {"stats", "--stats"},
    };
    for (const auto& args : bad) {
        const auto r = run_diobench(args);
        std::string joined;
        for (const auto& a : args) {
            joined += a + " ";
        }
        EXPECT_NE(r.exit_status, 0) << joined;
        EXPECT_EQ(line_count(r.err), 1U) << joined << "-> " << r.err;
        EXPECT_EQ(r.err.rfind("diobench: ", 0), 0U) << r.err;
    }
}

TEST(CliE2E, CompareRefusesOneRoundAsAUsageError)
{
    const auto r = run_diobench({"compare", "--knob", "/nonexistent", "--rounds", "1", "--", "run", "/dev/null"});
    EXPECT_EQ(r.exit_status, 2) << r.err;
    EXPECT_EQ(line_count(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("compare needs at least 2 rounds per state for a 95% interval, got 1"), std::string::npos)
        << r.err;
}

TEST(CliE2E, StatsPrettyPrintsAndResets)
{
    const diobench::test::TempDir dir;
    const std::string stats = dir.file("stats");
    diobench::test::write_text(stats, "calls 123\nfallback_write 3\njunk\n");
    const auto r = run_diobench({"stats", "--stats", stats});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out, "calls           123\nfallback_write    3\n");
    ASSERT_EQ(run_diobench({"stats", "--stats", stats, "--reset"}).exit_status, 0);
    EXPECT_EQ(diobench::test::read_text(stats), "reset\n");
    const auto missing = run_diobench({"stats", "--stats", dir.file("none")});
    EXPECT_EQ(missing.exit_status, 1);
    EXPECT_NE(missing.err.find("does not exist"), std::string::npos);
}
