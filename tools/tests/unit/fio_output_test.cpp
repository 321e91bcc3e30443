#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "commands/prep_command.hpp"
#include "fio/fio_job.hpp"
#include "fio/fio_output.hpp"
#include "support/test_dirs.hpp"
#include "util/error.hpp"

using diobench::Error;
using diobench::parse_fio_json;
using diobench::test::read_text;

namespace {

std::string data_file(const std::string& name)
{
    return std::string(DIOBENCH_TEST_DATA_DIR) + "/" + name;
}

std::string error_of(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class FioCapturedOutput : public ::testing::TestWithParam<std::string> {};

TEST_P(FioCapturedOutput, ParserAgreesWithTheRawReport)
{
    const std::string text = read_text(data_file("fio-" + GetParam() + ".json"));
    ASSERT_FALSE(text.empty());
    const auto raw = nlohmann::json::parse(text);
    const auto& read = raw["jobs"][0]["read"];
    const auto r = parse_fio_json(text);
    EXPECT_EQ(r.fio_version, "fio-3.33");
    EXPECT_EQ(r.jobs, 1U);
    EXPECT_DOUBLE_EQ(r.read_iops, read["iops"].get<double>());
    EXPECT_DOUBLE_EQ(r.read_bw_bytes, read["bw_bytes"].get<double>());
    EXPECT_EQ(r.read_ios, read["total_ios"].get<std::uint64_t>());
    EXPECT_GT(r.read_iops, 0.0);
    EXPECT_EQ(raw["jobs"][0]["job options"]["ioengine"], GetParam());
}

INSTANTIATE_TEST_SUITE_P(Engines, FioCapturedOutput, ::testing::Values("psync", "libaio", "io_uring"));

TEST(FioOutput, SkipsWarningLinesBeforeTheJson)
{
    const std::string text = "fio: some warning\n" + read_text(data_file("fio-libaio.json"));
    EXPECT_GT(parse_fio_json(text).read_iops, 0.0);
}

TEST(FioOutput, JobErrorInReportIsAnError)
{
    const std::string message = error_of([] { parse_fio_json(read_text(data_file("fio-job-error.json"))); });
    EXPECT_NE(message.find("failed with error 22"), std::string::npos) << message;
}

TEST(FioOutput, BadJsonIsAClearError)
{
    EXPECT_NE(error_of([] { parse_fio_json("fio: engine x not loadable\n"); }).find("no JSON"), std::string::npos);
    EXPECT_NE(error_of([] { parse_fio_json("{\"jobs\": [ {"); }).find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_of([] { parse_fio_json("{\"jobs\": []}"); }).find("no jobs"), std::string::npos);
    EXPECT_NE(error_of([] { parse_fio_json("{\"jobs\": [{\"jobname\": \"x\"}]}"); }).find("expected field"),
              std::string::npos);
}

TEST(FioJob, MissingFilenameIsReportedBeforeRunning)
{
    ::unsetenv("FILENAME");  // NOLINT(concurrency-mt-unsafe): tests run on one thread
    EXPECT_NE(error_of([] { diobench::resolve_fio_env({}); }).find("needs FILENAME"), std::string::npos);
    const auto env = diobench::resolve_fio_env({"FILENAME=/x", "IODEPTH=7"});
    EXPECT_NE(std::ranges::find(env, "IODEPTH=7"), env.end());
    EXPECT_NE(std::ranges::find(env, "BS=4k"), env.end());
}

TEST(FioJob, FailingFioRunGivesItsFirstErrorLine)
{
    const diobench::test::TempDir dir;
    const std::string job = dir.file("bad.fio");
    diobench::test::write_text(job, "[bad]\nfilename=" + dir.file("x") + "\nsize=1M\nioengine=no_such_engine\n");
    const std::string message = error_of([&] { diobench::run_fio_job(job, {"FILENAME=unused"}); });
    EXPECT_NE(message.find("exit status 1"), std::string::npos) << message;
    EXPECT_NE(message.find("no_such_engine"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);

    const std::string missing = error_of([&] { diobench::run_fio_job(dir.file("none.fio"), {"FILENAME=x"}); });
    EXPECT_NE(missing.find("exit status"), std::string::npos) << missing;
}

TEST(FioJob, ShippedJobFilesRunWithRealFio)
{
    const diobench::test::TempDir dir;
    const std::string data = dir.file("data");
    diobench::prep_file({.path = data, .size = 8ULL << 20, .seed = 1});
    for (const std::string engine : {"libaio", "io_uring"}) {
        const auto run = diobench::run_fio_job(std::string(DIOBENCH_FIO_JOBS_DIR) + "/randread-" + engine + ".fio",
                                               {"FILENAME=" + data, "IODEPTH=4", "RUNTIME=300ms", "RAMP=0"});
        EXPECT_FALSE(run.interrupted);
        EXPECT_GT(run.result.read_iops, 0.0) << engine;
        EXPECT_GT(run.result.read_ios, 0U) << engine;
    }
}

TEST(FioJob, ShippedWriteJobFilesOverwriteAnExistingFile)
{
    const diobench::test::TempDir dir;
    const std::string data = dir.file("data");
    diobench::prep_file({.path = data, .size = 8ULL << 20, .seed = 1, .preallocate = true});
    for (const std::string job : {"io_uring", "io_uring-dsync", "libaio", "libaio-dsync"}) {
        const auto run = diobench::run_fio_job(std::string(DIOBENCH_FIO_JOBS_DIR) + "/randwrite-" + job + ".fio",
                                               {"FILENAME=" + data, "IODEPTH=4", "BS=8k", "RUNTIME=300ms", "RAMP=0"});
        EXPECT_GT(run.result.write_iops, 0.0) << job;
        EXPECT_GT(run.result.write_ios, 0U) << job;
        EXPECT_DOUBLE_EQ(run.result.read_iops, 0.0) << job;
    }
    // No file to overwrite: fio fails rather than lay one out.
    const std::string missing = dir.file("missing");
    const std::string message = error_of([&] {
        diobench::run_fio_job(std::string(DIOBENCH_FIO_JOBS_DIR) + "/randwrite-io_uring.fio",
                              {"FILENAME=" + missing, "IODEPTH=4", "RUNTIME=300ms", "RAMP=0"});
    });
    EXPECT_NE(message.find("failed"), std::string::npos) << message;
    EXPECT_NE(::access(missing.c_str(), F_OK), 0) << "fio created " << missing;
}
