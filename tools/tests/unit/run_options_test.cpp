#include <gtest/gtest.h>

#include "commands/run_cli.hpp"
#include "util/error.hpp"

using diobench::Engine;
using diobench::Error;
using diobench::parse_run_arguments;

namespace {

// The message of the Error parse_run_arguments throws, "" if none.
std::string error_of(const std::vector<std::string>& args)
{
    try {
        parse_run_arguments(args);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(RunOptions, DefaultsMatchTheIssue)
{
    const auto o = parse_run_arguments({"/dev/null"});
    EXPECT_EQ(o.engine, Engine::io_uring);
    EXPECT_EQ(o.pattern, diobench::AccessPattern::random);
    EXPECT_EQ(o.iodepth, 32U);
    EXPECT_EQ(o.block_size, 4096U);
    EXPECT_EQ(o.submit_batch, 8U);  // iodepth / 4
    EXPECT_EQ(o.complete_batch, 8U);
    EXPECT_DOUBLE_EQ(o.runtime_s, 10.0);
    EXPECT_FALSE(o.hipri);
}

TEST(RunOptions, ParsesTheCoreSet)
{
    const auto o = parse_run_arguments({"a", "b", "-d", "128", "-s", "16", "-c", "4", "-b", "16k", "--fixedbufs",
                                        "--registerfiles", "--register-ring", "--rw", "read", "--numjobs", "2",
                                        "--cpus", "0,1", "--runtime", "1.5", "--ramp", "0.5", "--seed", "7",
                                        "--lat", "--verify"});
    EXPECT_EQ(o.targets, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(o.iodepth, 128U);
    EXPECT_EQ(o.submit_batch, 16U);
    EXPECT_EQ(o.complete_batch, 4U);
    EXPECT_EQ(o.block_size, 16384U);
    EXPECT_TRUE(o.fixed_buffers && o.register_files && o.register_ring && o.latency && o.verify);
    EXPECT_EQ(o.pattern, diobench::AccessPattern::sequential);
    EXPECT_EQ(o.numjobs, 2U);
    EXPECT_EQ(o.cpus, (std::vector<unsigned>{0, 1}));
    EXPECT_DOUBLE_EQ(o.runtime_s, 1.5);
    EXPECT_DOUBLE_EQ(o.ramp_s, 0.5);
    EXPECT_EQ(o.seed, 7U);
}

TEST(RunOptions, PollEngineImpliesHipri)
{
    EXPECT_TRUE(parse_run_arguments({"f", "--engine", "io_uring-poll"}).hipri);
    EXPECT_EQ(parse_run_arguments({"f", "--engine", "io_uring_poll"}).engine, Engine::io_uring_poll);
}

TEST(RunOptions, NumberIosAloneMeansNoTimeLimit)
{
    const auto o = parse_run_arguments({"f", "--number-ios", "100"});
    EXPECT_EQ(o.number_ios, 100U);
    EXPECT_DOUBLE_EQ(o.runtime_s, 0.0);
    EXPECT_DOUBLE_EQ(parse_run_arguments({"f", "--number-ios", "100", "--runtime", "3"}).runtime_s, 3.0);
}

TEST(RunOptions, SyncEngineRunsAtDepthOne)
{
    EXPECT_EQ(parse_run_arguments({"f", "--engine", "sync"}).iodepth, 1U);
    EXPECT_NE(error_of({"f", "--engine", "sync", "-d", "8"}).find("--iodepth must be 1"), std::string::npos);
}

TEST(RunOptions, RejectsBadBlockSizes)
{
    EXPECT_NE(error_of({"f", "--bs", "1000"}).find("multiple of 512"), std::string::npos);
    EXPECT_NE(error_of({"f", "--bs", "0"}).find("multiple of 512"), std::string::npos);
    EXPECT_NE(error_of({"f", "--bs", "4x"}).find("unknown suffix"), std::string::npos);
    EXPECT_NE(error_of({"f", "--bs", "128M"}).find("larger than 64M"), std::string::npos);
}

TEST(RunOptions, RejectsBadQueueDepthsAndBatches)
{
    EXPECT_NE(error_of({"f", "-d", "0"}).find("out of range"), std::string::npos);
    EXPECT_NE(error_of({"f", "-d", "5000"}).find("out of range"), std::string::npos);
    EXPECT_NE(error_of({"f", "-d", "abc"}), "");
    EXPECT_NE(error_of({"f", "-d", "4", "-s", "8"}).find("--submit-batch"), std::string::npos);
    EXPECT_NE(error_of({"f", "-d", "4", "-c", "8"}).find("--complete-batch"), std::string::npos);
}

TEST(RunOptions, RejectsUnknownEngineAndPattern)
{
    EXPECT_NE(error_of({"f", "--engine", "posixaio"}).find("unknown engine 'posixaio'"), std::string::npos);
    const std::string rw = error_of({"f", "--rw", "randtrim"});
    EXPECT_NE(rw.find("unknown --rw 'randtrim' (choose randread, read, randwrite or write)"), std::string::npos) << rw;
}

TEST(RunOptions, ParsesWrites)
{
    const auto random = parse_run_arguments({"f", "--rw", "randwrite"});
    EXPECT_EQ(random.direction, diobench::Direction::write);
    EXPECT_EQ(random.pattern, diobench::AccessPattern::random);
    EXPECT_TRUE(random.writes());
    EXPECT_FALSE(random.dsync);
    const auto sequential = parse_run_arguments({"f", "--rw", "write", "--dsync", "--allow-write"});
    EXPECT_EQ(sequential.pattern, diobench::AccessPattern::sequential);
    EXPECT_TRUE(sequential.writes() && sequential.dsync && sequential.allow_write);
    EXPECT_FALSE(parse_run_arguments({"f"}).writes());
    EXPECT_EQ(diobench::rw_name(random.pattern, random.direction), "randwrite");
    EXPECT_EQ(diobench::rw_name(diobench::AccessPattern::sequential, diobench::Direction::read), "read");
}

TEST(RunOptions, DsyncIsPerIoExceptOnLibaio)
{
    // io_uring and pwritev2 carry RWF_DSYNC per write; libaio gets an O_DSYNC open.
    for (const std::string engine : {"io_uring", "io_uring-poll", "sync"}) {
        const auto mode = diobench::target_open_mode(
            parse_run_arguments({"f", "--rw", "randwrite", "--dsync", "--engine", engine}));
        EXPECT_TRUE(mode.write) << engine;
        EXPECT_FALSE(mode.o_dsync) << engine;
    }
    const auto libaio =
        diobench::target_open_mode(parse_run_arguments({"f", "--rw", "randwrite", "--dsync", "--engine", "libaio"}));
    EXPECT_TRUE(libaio.write && libaio.o_dsync);
    EXPECT_FALSE(libaio.allow_block_device_write);
    const auto plain = diobench::target_open_mode(parse_run_arguments({"f", "--rw", "randwrite", "--engine", "libaio"}));
    EXPECT_FALSE(plain.o_dsync);
    const auto reads = diobench::target_open_mode(parse_run_arguments({"f"}));
    EXPECT_FALSE(reads.write || reads.o_dsync || reads.allow_block_device_write);
    EXPECT_TRUE(diobench::target_open_mode(parse_run_arguments({"f", "--rw", "write", "--allow-write"}))
                    .allow_block_device_write);
}

TEST(RunOptions, RejectsWriteOptionsOnReads)
{
    const std::string dsync = error_of({"f", "--dsync"});
    EXPECT_NE(dsync.find("--dsync applies to writes: use it with --rw randwrite or write"), std::string::npos)
        << dsync;
    EXPECT_NE(error_of({"f", "--rw", "read", "--dsync"}).find("--dsync applies to writes"), std::string::npos);
    EXPECT_NE(error_of({"f", "--allow-write"}).find("--allow-write applies to writes"), std::string::npos);
    EXPECT_EQ(dsync.find('\n'), std::string::npos);
}

TEST(RunOptions, RejectsConflictingOptions)
{
    EXPECT_NE(error_of({"f", "--engine", "libaio", "--hipri"}).find("--hipri needs an io_uring"), std::string::npos);
    EXPECT_NE(error_of({"f", "--engine", "sync", "--fixedbufs"}).find("need an io_uring"), std::string::npos);
    EXPECT_NE(error_of({"f", "--engine", "libaio", "--registerfiles"}).find("need an io_uring"), std::string::npos);
    EXPECT_NE(error_of({"f", "--runtime", "0"}).find("--number-ios"), std::string::npos);
    EXPECT_NE(error_of({"f", "--numjobs", "0"}).find("out of range"), std::string::npos);
    EXPECT_NE(error_of({"f", "--cpus", "0,,1"}).find("empty item"), std::string::npos);
}

TEST(RunOptions, RejectsUnknownOptionsAndMissingTargetInOneLine)
{
    const std::string unknown = error_of({"f", "--no-such-option"});
    EXPECT_NE(unknown.find("--no-such-option"), std::string::npos);
    EXPECT_EQ(unknown.find('\n'), std::string::npos);
    EXPECT_NE(error_of({}), "");
}
