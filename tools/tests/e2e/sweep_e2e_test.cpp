// A small sweep end to end, with diobench's engines and with fio.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "commands/prep_command.hpp"
#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"

using diobench::test::read_text;
using diobench::test::run_diobench;
using diobench::test::TempDir;
using diobench::test::write_text;

TEST(SweepE2E, WritesTableCsvJsonSvgAndRestoresTheKnob)
{
    const TempDir dir;
    const std::string data = dir.file("data");
    diobench::prep_file({.path = data, .size = 4ULL << 20, .seed = 1});
    write_text(dir.file("knob"), "0\n");
    const auto r = run_diobench({"sweep", "--knob", dir.file("knob"), "--label", "simple", "--target", "tmp=" + data,
                                 "--engines", "libaio,io_uring", "--qds", "1,8", "--rounds", "2", "--runtime", "0.1",
                                 "--ramp", "0", "--csv", dir.file("out.csv"), "--json", dir.file("out.json"), "--svg",
                                 dir.file("out.svg")},
                                120);
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(read_text(dir.file("knob")), "0\n");
    EXPECT_EQ(r.out.rfind("fs", 0), 0U);
    EXPECT_NE(r.out.find("simple=0"), std::string::npos);
    EXPECT_NE(r.out.find("tmp"), std::string::npos);
    EXPECT_EQ(diobench::test::line_count(r.out), 5U) << r.out;  // header + 2 engines x 2 qds
    EXPECT_EQ(diobench::test::line_count(read_text(dir.file("out.csv"))), 5U);
    const auto j = nlohmann::json::parse(read_text(dir.file("out.json")));
    EXPECT_EQ(j["points"].size(), 4U);
    EXPECT_GT(j["points"][0]["states"][0]["mean_iops"].get<double>(), 0.0);
    const std::string svg = read_text(dir.file("out.svg"));
    EXPECT_EQ(svg.rfind("<svg", 0), 0U);
    EXPECT_NE(svg.find("class=\"gain\""), std::string::npos);
}

TEST(SweepE2E, UnsupportedPointIsReportedAndTheRestStillRuns)
{
    const TempDir dir;
    const std::string data = dir.file("data");
    diobench::prep_file({.path = data, .size = 4ULL << 20, .seed = 1});
    write_text(dir.file("knob"), "0\n");
    const auto r = run_diobench({"sweep", "--knob", dir.file("knob"), "--target", "tmp=" + data, "--engines",
                                 "io_uring_poll,io_uring", "--qds", "4", "--rounds", "2", "--runtime", "0.1", "--ramp",
                                 "0"},
                                120);
    EXPECT_EQ(read_text(dir.file("knob")), "0\n");
    EXPECT_NE(r.out.find("io_uring"), std::string::npos);
    if (r.exit_status != 0) {  // polled I/O unsupported on this file system
        EXPECT_EQ(r.exit_status, 1);
        EXPECT_NE(r.out.find("failed points:"), std::string::npos) << r.out;
    }
}

TEST(SweepE2E, UseFioRunsTheShippedJobs)
{
    const TempDir dir;
    const std::string data = dir.file("data");
    diobench::prep_file({.path = data, .size = 4ULL << 20, .seed = 1});
    write_text(dir.file("knob"), "0\n");
    const auto r = run_diobench({"sweep", "--use-fio", "--fio-jobs", DIOBENCH_FIO_JOBS_DIR, "--knob", dir.file("knob"),
                                 "--target", "tmp=" + data, "--engines", "libaio", "--qds", "4", "--rounds", "2",
                                 "--runtime", "0.3", "--ramp", "0", "--json", dir.file("out.json")},
                                120);
    ASSERT_EQ(r.exit_status, 0) << r.err;
    const auto j = nlohmann::json::parse(read_text(dir.file("out.json")));
    EXPECT_GT(j["points"][0]["states"][1]["mean_iops"].get<double>(), 0.0);
    EXPECT_EQ(read_text(dir.file("knob")), "0\n");
}

TEST(SweepE2E, BadMatrixValuesAreRejected)
{
    const auto bad_target = run_diobench({"sweep", "--target", "nopath"});
    EXPECT_NE(bad_target.exit_status, 0);
    EXPECT_NE(bad_target.err.find("NAME=PATH"), std::string::npos);
    const auto bad_engine = run_diobench({"sweep", "--target", "a=/x", "--engines", "posixaio"});
    EXPECT_NE(bad_engine.err.find("unknown engine"), std::string::npos);
    const auto bad_qd = run_diobench({"sweep", "--target", "a=/x", "--qds", "0"});
    EXPECT_NE(bad_qd.err.find("out of range"), std::string::npos);
}
