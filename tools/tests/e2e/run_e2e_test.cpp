// `diobench run` on a temp file: real I/O with every engine that works
// unprivileged on an ordinary file system.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "commands/prep_command.hpp"
#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"

using diobench::test::run_diobench;
using diobench::test::TempDir;

namespace {

class RunE2E : public ::testing::Test {
protected:
    void SetUp() override { diobench::prep_file({.path = file_, .size = 8ULL << 20, .seed = 1}); }

    nlohmann::json run_json(std::vector<std::string> args)
    {
        args.insert(args.begin(), {"run", file_});
        args.emplace_back("--json");
        const auto r = run_diobench(args);
        EXPECT_EQ(r.exit_status, 0) << r.err;
        return r.exit_status == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
    }

    TempDir dir_;
    std::string file_ = dir_.file("data");
};

}  // namespace

class RunEngineE2E : public RunE2E, public ::testing::WithParamInterface<std::string> {};

TEST_P(RunEngineE2E, PerformsRealIo)
{
    const auto j = run_json({"--engine", GetParam(), "--runtime", "0.3", "--lat"});
    ASSERT_TRUE(j.contains("ios"));
    EXPECT_GT(j["ios"].get<std::uint64_t>(), 0U);
    EXPECT_GT(j["iops"].get<double>(), 0.0);
    EXPECT_NEAR(j["bw_bytes_per_s"].get<double>(), j["iops"].get<double>() * 4096, 1.0);
    EXPECT_GT(j["runtime_s"].get<double>(), 0.2);
    EXPECT_LT(j["runtime_s"].get<double>(), 1.5);
    ASSERT_TRUE(j["lat_ns"].is_object());
    EXPECT_GT(j["lat_ns"]["p50"].get<std::uint64_t>(), 0U);
    EXPECT_LE(j["lat_ns"]["p50"].get<std::uint64_t>(), j["lat_ns"]["p99.9"].get<std::uint64_t>());
    EXPECT_EQ(j["engine"], GetParam());
}

INSTANTIATE_TEST_SUITE_P(Engines, RunEngineE2E, ::testing::Values("io_uring", "libaio", "sync"));

TEST_F(RunE2E, NumberIosIsExactAndLatencyIsOffByDefault)
{
    for (const std::string engine : {"io_uring", "libaio", "sync"}) {
        for (const std::string n : {"1", "7", "300", "1000"}) {
            const auto j = run_json({"--engine", engine, "--number-ios", n});
            EXPECT_EQ(j["ios"].get<std::uint64_t>(), std::stoull(n)) << engine;
            EXPECT_TRUE(j["lat_ns"].is_null());
        }
    }
}

TEST_F(RunE2E, RegisteredEverythingAndThreads)
{
    const auto j = run_json({"--fixedbufs", "--registerfiles", "--register-ring", "--numjobs", "2", "--cpus", "0",
                             "--number-ios", "500", "-d", "16", "-s", "4", "-c", "2", "--verify", "--seed", "1"});
    EXPECT_EQ(j["ios"].get<std::uint64_t>(), 1000U);  // --number-ios is per job
    EXPECT_EQ(j["numjobs"], 2);
}

TEST_F(RunE2E, RampIsNotCounted)
{
    const auto j = run_json({"--ramp", "0.3", "--runtime", "0.2", "--rw", "read", "-b", "16k"});
    EXPECT_GT(j["ios"].get<std::uint64_t>(), 0U);
    EXPECT_LT(j["runtime_s"].get<double>(), 0.45);  // measured part only
    EXPECT_EQ(j["bs"], 16384);
}

TEST_F(RunE2E, TextReportHasTheNumbers)
{
    const auto r = run_diobench({"run", file_, "--number-ios", "300", "--lat"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_NE(r.out.find("ios=300 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("IOPS="), std::string::npos);
    EXPECT_NE(r.out.find("p99.9="), std::string::npos);
    EXPECT_NE(r.out.find("cpu: usr="), std::string::npos);
}

TEST_F(RunE2E, PolledIoOnAFileFailsCleanly)
{
    // IOPOLL needs a block device with poll queues. On a file the kernel
    // either completes the reads (older kernels fall back) or fails them with
    // EOPNOTSUPP; diobench must then print one line and exit 1.
    const auto r = run_diobench({"run", file_, "--engine", "io_uring-poll", "--runtime", "0.3"}, 30);
    if (r.exit_status == 0) {
        EXPECT_NE(r.out.find("IOPS="), std::string::npos);
    } else {
        EXPECT_EQ(r.exit_status, 1);
        EXPECT_EQ(diobench::test::line_count(r.err), 1U) << r.err;
        EXPECT_NE(r.err.find("Operation not supported"), std::string::npos) << r.err;
    }
}

TEST_F(RunE2E, BlockSizeMustFitTheTarget)
{
    const auto r = run_diobench({"run", file_, "--bs", "64M", "--number-ios", "1"});
    EXPECT_NE(r.exit_status, 0);
    EXPECT_NE(r.err.find("larger than"), std::string::npos) << r.err;
}

TEST_F(RunE2E, MissingAndEmptyTargetsAreOneLineErrors)
{
    const auto missing = run_diobench({"run", dir_.file("missing"), "--number-ios", "1"});
    EXPECT_EQ(missing.exit_status, 1);
    EXPECT_NE(missing.err.find("No such file or directory"), std::string::npos);
    EXPECT_EQ(diobench::test::line_count(missing.err), 1U);
    diobench::test::write_text(dir_.file("empty"), "");
    const auto empty = run_diobench({"run", dir_.file("empty"), "--number-ios", "1"});
    EXPECT_EQ(empty.exit_status, 1);
    EXPECT_NE(empty.err.find("is empty"), std::string::npos);
}
