// `diobench compare` against a temp file as the knob: the knob must hold
// its original value after every way out.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands/prep_command.hpp"
#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"

using diobench::test::read_text;
using diobench::test::run_diobench;
using diobench::test::TempDir;
using diobench::test::write_text;

namespace {

class CompareE2E : public ::testing::Test {
protected:
    void SetUp() override
    {
        diobench::prep_file({.path = data_, .size = 4ULL << 20, .seed = 1});
        write_text(knob_, "0\n");
        write_text(stats_, "calls 100\nhits 90\nnot a stat line\n");
    }

    // Waits until the knob shows a value other than the original, i.e. a
    // round is running.
    bool wait_for_knob_change(std::chrono::seconds limit)
    {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            const std::string v = read_text(knob_);
            if (v == "1\n" || v == "2\n") {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    void interrupt_mid_run(int signal, int expected_exit, const std::vector<std::string>& run_options = {})
    {
        std::vector<std::string> argv = {DIOBENCH_BINARY, "compare", "--knob", knob_, "--stats", stats_, "--states",
                                         "1,2", "--rounds", "100", "--", "run", data_, "--runtime", "0.5"};
        argv.insert(argv.end(), run_options.begin(), run_options.end());
        diobench::ChildProcess child(argv, {});
        ASSERT_TRUE(wait_for_knob_change(std::chrono::seconds(20)));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // inside a measurement
        ASSERT_EQ(::kill(child.pid(), signal), 0);
        const auto outcome = child.wait({}, 30.0);
        EXPECT_EQ(outcome.term_signal, 0) << "must exit, not die, on the signal";
        EXPECT_EQ(outcome.exit_status, expected_exit) << outcome.err;
        EXPECT_EQ(read_text(knob_), "0\n");
        EXPECT_NE(outcome.err.find("restored"), std::string::npos) << outcome.err;
    }

    TempDir dir_;
    std::string data_ = dir_.file("data");
    std::string knob_ = dir_.file("knob");
    std::string stats_ = dir_.file("stats");
};

}  // namespace

TEST_F(CompareE2E, ReportsBothStatesAndRestores)
{
    const auto r = run_diobench({"compare", "--knob", knob_, "--stats", stats_, "--rounds", "3", "--warmup", "--json",
                                 "--", "run", data_, "--runtime", "0.2"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(read_text(knob_), "0\n");
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["states"].size(), 2U);
    EXPECT_EQ(j["states"][0]["state"], "0");
    EXPECT_EQ(j["states"][1]["iops"].size(), 3U);
    EXPECT_GT(j["states"][0]["median_iops"].get<double>(), 0.0);
    EXPECT_TRUE(j["ci95_low_pct"].is_number());
    EXPECT_LE(j["ci95_low_pct"].get<double>(), j["ci95_high_pct"].get<double>());
    EXPECT_EQ(j["states"][0]["stats_delta"]["calls"], 0);  // the stand-in stats file does not move
    EXPECT_FALSE(j["verdict"].get<std::string>().empty());
    // Interleaved A B A B with a warmup pair first.
    EXPECT_NE(r.err.find("warmup state 0"), std::string::npos);
    EXPECT_LT(r.err.find("round 1/3 state 0"), r.err.find("round 1/3 state 1"));
    EXPECT_LT(r.err.find("round 1/3 state 1"), r.err.find("round 2/3 state 0"));
}

TEST_F(CompareE2E, TextReportHasVerdictAndMethod)
{
    const auto r = run_diobench({"compare", "--knob", knob_, "--stats", dir_.file("no-stats"), "--rounds", "2",
                                 "--", "run", data_, "--runtime", "0.2"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_NE(r.out.find("verdict: "), std::string::npos);
    EXPECT_NE(r.out.find("Welch"), std::string::npos);
    EXPECT_NE(r.out.find("knob=0"), std::string::npos);
    EXPECT_EQ(r.out.find("module stats"), std::string::npos);  // absent stats file: no section
}

TEST_F(CompareE2E, TwoRoundsWarnAndTheVerdictFollowsTheInterval)
{
    const auto r = run_diobench({"compare", "--knob", knob_, "--stats", stats_, "--rounds", "2", "--json", "--", "run",
                                 data_, "--runtime", "0.1"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.err.rfind("diobench: warning: only 2 rounds per state", 0), 0U) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["warnings"].size(), 1U);
    const double low = j["ci95_low_pct"].get<double>();
    const double high = j["ci95_high_pct"].get<double>();
    const double gain = j["gain_pct"].get<double>();
    EXPECT_LE(low, gain);
    EXPECT_LE(gain, high);
    const std::string verdict = j["verdict"].get<std::string>();
    if (low <= 0 && high >= 0) {
        EXPECT_FALSE(j["significant"].get<bool>());
        EXPECT_EQ(verdict.rfind("inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI ", 0),
                  0U)
            << verdict;
    } else {
        EXPECT_TRUE(j["significant"].get<bool>());
        EXPECT_NE(verdict.find(" is faster by "), std::string::npos) << verdict;
    }
}

TEST_F(CompareE2E, SigintMidRunRestoresTheKnob)
{
    interrupt_mid_run(SIGINT, 130);
}

TEST_F(CompareE2E, SigtermMidRunRestoresTheKnob)
{
    interrupt_mid_run(SIGTERM, 143);
}

TEST_F(CompareE2E, SigintMidWriteRunRestoresTheKnob)
{
    interrupt_mid_run(SIGINT, 130, {"--rw", "randwrite", "--dsync"});
}

TEST_F(CompareE2E, WriteWorkloadComparesAndRestores)
{
    // As for simple_read: the write knob's states, written and put back.
    const std::string write_knob = dir_.file("simple_write");
    write_text(write_knob, "0\n");
    const auto r = run_diobench({"compare", "--knob", write_knob, "--stats", stats_, "--rounds", "2", "--json", "--",
                                 "run", data_, "--rw", "randwrite", "--dsync", "--runtime", "0.1"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(read_text(write_knob), "0\n");
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["states"][1]["mean_iops"].get<double>(), 0.0);
    EXPECT_NE(j["workload"].get<std::string>().find("randwrite dsync"), std::string::npos) << j["workload"];
    const auto text = run_diobench({"compare", "--knob", write_knob, "--rounds", "2", "--", "run", data_, "--rw",
                                    "randwrite", "--runtime", "0.1"});
    ASSERT_EQ(text.exit_status, 0) << text.err;
    EXPECT_NE(text.out.find("simple_write=0"), std::string::npos) << text.out;
    EXPECT_EQ(read_text(write_knob), "0\n");
}

TEST_F(CompareE2E, FioWriteWorkloadCountsWrites)
{
    const auto r = run_diobench({"compare", "--knob", knob_, "--rounds", "2", "--json", "--fio-job",
                                 std::string(DIOBENCH_FIO_JOBS_DIR) + "/randwrite-io_uring-dsync.fio", "--fio-env",
                                 "FILENAME=" + data_, "--fio-env", "RUNTIME=300ms", "--fio-env", "RAMP=0",
                                 "--fio-env", "IODEPTH=1"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["states"][0]["mean_iops"].get<double>(), 0.0);
    EXPECT_EQ(read_text(knob_), "0\n");
}

TEST_F(CompareE2E, WorkloadErrorRestoresTheKnob)
{
    // Verifying with the wrong seed fails inside the first round, after the
    // knob was switched to state 1.
    const auto r = run_diobench({"compare", "--knob", knob_, "--states", "1,2", "--", "run", data_, "--verify",
                                 "--seed", "999", "--runtime", "0.2"});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("verify failed"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(knob_), "0\n");
}

TEST_F(CompareE2E, FioWorkloadErrorRestoresTheKnob)
{
    const std::string job = dir_.file("bad.fio");
    write_text(job, "[bad]\nfilename=${FILENAME}\nioengine=no_such_engine\nsize=1M\n");
    const auto r = run_diobench({"compare", "--knob", knob_, "--states", "1,2", "--fio-job", job, "--fio-env",
                                 "FILENAME=" + data_});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("fio"), std::string::npos) << r.err;
    EXPECT_EQ(diobench::test::line_count(r.err), 1U) << r.err;
    EXPECT_EQ(read_text(knob_), "0\n");
}

TEST_F(CompareE2E, FioWorkloadRuns)
{
    const auto r = run_diobench({"compare", "--knob", knob_, "--rounds", "2", "--json", "--fio-job",
                                 std::string(DIOBENCH_FIO_JOBS_DIR) + "/randread-io_uring.fio", "--fio-env",
                                 "FILENAME=" + data_, "--fio-env", "RUNTIME=300ms", "--fio-env", "RAMP=0",
                                 "--fio-env", "IODEPTH=8"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["states"][0]["mean_iops"].get<double>(), 0.0);
    EXPECT_EQ(read_text(knob_), "0\n");
}

TEST_F(CompareE2E, BadKnobLeavesEverythingUntouched)
{
    const auto missing = run_diobench({"compare", "--knob", dir_.file("nope"), "--", "run", data_});
    EXPECT_EQ(missing.exit_status, 1);
    EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
    EXPECT_EQ(diobench::test::line_count(missing.err), 1U);

    const std::string readonly_knob = diobench::test::unwritable_file();
    if (!readonly_knob.empty()) {
        const auto readonly = run_diobench({"compare", "--knob", readonly_knob, "--", "run", data_});
        EXPECT_EQ(readonly.exit_status, 1);
        EXPECT_NE(readonly.err.find("not writable"), std::string::npos) << readonly.err;
        EXPECT_EQ(diobench::test::line_count(readonly.err), 1U);
    }
}

TEST_F(CompareE2E, BadWorkloadIsRejectedBeforeTouchingTheKnob)
{
    write_text(knob_, "0\n");
    const auto r = run_diobench({"compare", "--knob", knob_, "--", "run", dir_.file("missing")});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("No such file"), std::string::npos);
    const auto no_workload = run_diobench({"compare", "--knob", knob_});
    EXPECT_EQ(no_workload.exit_status, 1);
    EXPECT_NE(no_workload.err.find("needs a workload"), std::string::npos);
    const auto three_states = run_diobench({"compare", "--knob", knob_, "--states", "0,1,2", "--", "run", data_});
    EXPECT_NE(three_states.exit_status, 0);
    EXPECT_NE(three_states.err.find("exactly two"), std::string::npos);
    EXPECT_EQ(read_text(knob_), "0\n");
}
