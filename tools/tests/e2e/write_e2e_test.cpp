// `diobench run --rw randwrite|write` and `prep --preallocate` through the
// real binary: overwrites on every engine, with and without --dsync, that
// land in the file and never extend it.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"
#include "util/unique_fd.hpp"

using diobench::test::line_count;
using diobench::test::run_diobench;
using diobench::test::TempDir;

namespace {

constexpr std::uint64_t kFileBytes = 1ULL << 20;
constexpr const char* kFileBlocks = "256";  // of 4 KiB

std::uint64_t file_size(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// Pages of the file in the page cache (mincore over a shared mapping), or
// -1 if it cannot be told.
long cached_pages(const std::string& path)
{
    const diobench::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        return -1;
    }
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t len = file_size(path);
    void* addr = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, fd.get(), 0);
    if (addr == MAP_FAILED) {
        return -1;
    }
    const auto unmap = [len](void* p) { ::munmap(p, len); };
    const std::unique_ptr<void, decltype(unmap)> map(addr, unmap);
    std::vector<unsigned char> resident((len + page - 1) / page);
    if (::mincore(map.get(), len, resident.data()) != 0) {
        return -1;
    }
    return static_cast<long>(std::count_if(resident.begin(), resident.end(),
                                           [](unsigned char r) { return (r & 1U) != 0; }));
}

class WriteE2E : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto prep = run_diobench({"prep", file_, "--size", "1M", "--seed", "1", "--preallocate"});
        ASSERT_EQ(prep.exit_status, 0) << prep.err;
        EXPECT_NE(prep.out.find("(preallocated)"), std::string::npos) << prep.out;
    }

    // Reads the whole file sequentially with --verify against `seed`.
    diobench::ChildOutcome verify_all(const std::string& seed)
    {
        return run_diobench({"run", file_, "--rw", "read", "--verify", "--seed", seed, "--number-ios", kFileBlocks});
    }

    TempDir dir_;
    std::string file_ = dir_.file("data");
};

}  // namespace

class WriteEngineE2E : public WriteE2E,
                       public ::testing::WithParamInterface<std::tuple<std::string, bool>> {};

TEST_P(WriteEngineE2E, OverwritesInsideTheFile)
{
    const auto& [engine, dsync] = GetParam();
    std::vector<std::string> args = {"run", file_, "--rw", "randwrite", "--engine", engine, "--number-ios", "300",
                                     "--json"};
    if (dsync) {
        args.emplace_back("--dsync");
    }
    const auto r = run_diobench(args);
    ASSERT_EQ(r.exit_status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["rw"], "randwrite");
    EXPECT_EQ(j["dsync"], dsync);
    EXPECT_EQ(j["engine"], engine);
    EXPECT_EQ(j["ios"].get<std::uint64_t>(), 300U);
    EXPECT_GT(j["iops"].get<double>(), 0.0);
    EXPECT_EQ(file_size(file_), kFileBytes) << "writes must not extend the file";
    // The writes landed: the file no longer carries the prep pattern everywhere.
    EXPECT_EQ(verify_all("1").exit_status, 1);
}

INSTANTIATE_TEST_SUITE_P(EnginesAndDsync, WriteEngineE2E,
                         ::testing::Combine(::testing::Values("io_uring", "libaio", "sync"), ::testing::Bool()));

TEST_F(WriteE2E, TextReportNamesWritesAndDsync)
{
    const auto r = run_diobench({"run", file_, "--rw", "randwrite", "--dsync", "--number-ios", "10"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out.rfind("io_uring randwrite dsync bs=4096 ", 0), 0U) << r.out;
}

TEST_F(WriteE2E, SequentialWritesWrapAtTheEndOfTheFile)
{
    const auto r = run_diobench({"run", file_, "--rw", "write", "--bs", "64k", "--number-ios", "40", "--json"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["rw"], "write");
    EXPECT_EQ(file_size(file_), kFileBytes);
}

TEST_F(WriteE2E, VerifyWritesThePatternForEachOffset)
{
    // Every block written once, sequentially, with seed 5's pattern: the
    // file then verifies with seed 5 and no longer with the prep's seed 1.
    for (const std::string engine : {"io_uring", "libaio", "sync"}) {
        const auto w = run_diobench({"run", file_, "--rw", "write", "--engine", engine, "--verify", "--seed", "5",
                                     "--number-ios", kFileBlocks});
        ASSERT_EQ(w.exit_status, 0) << engine << ": " << w.err;
        EXPECT_NE(w.out.find("every write carried the prep pattern"), std::string::npos) << w.out;
        EXPECT_EQ(verify_all("5").exit_status, 0) << engine;
        const auto old_seed = verify_all("1");
        EXPECT_EQ(old_seed.exit_status, 1) << engine;
        EXPECT_NE(old_seed.err.find("verify failed at offset 0 "), std::string::npos) << old_seed.err;
        ASSERT_EQ(run_diobench({"prep", file_, "--force", "--seed", "1"}).exit_status, 0);
    }
}

TEST_F(WriteE2E, NeverCreatesAFile)
{
    const std::string missing = dir_.file("missing");
    const auto r = run_diobench({"run", missing, "--rw", "randwrite", "--number-ios", "1"});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("No such file"), std::string::npos) << r.err;
    EXPECT_EQ(line_count(r.err), 1U) << r.err;
    EXPECT_NE(::access(missing.c_str(), F_OK), 0);
}

TEST_F(WriteE2E, MisuseIsAOneLineError)
{
    const std::vector<std::vector<std::string>> bad = {
        {"run", file_, "--dsync"},
        {"run", file_, "--rw", "read", "--dsync"},
        {"run", file_, "--allow-write"},
        {"run", file_, "--rw", "overwrite"},
        {"run", file_, "--rw", "randwrite", "--engine", "libaio", "--hipri"},
    };
    for (const auto& args : bad) {
        const auto r = run_diobench(args);
        EXPECT_NE(r.exit_status, 0) << args[3];
        EXPECT_EQ(line_count(r.err), 1U) << r.err;
        EXPECT_EQ(r.err.rfind("diobench: ", 0), 0U) << r.err;
    }
    EXPECT_EQ(verify_all("1").exit_status, 0) << "a refused run must not write";
}

TEST_F(WriteE2E, RefusesBlockDevicesWithoutAllowWrite)
{
    // A node whose major no driver owns (see unused_block_major): refused
    // before it is opened; with --allow-write, open() fails with ENXIO.
    const std::string node = dir_.file("fake-blockdev");
    const unsigned major = diobench::test::unused_block_major();
    if (major == 0 || ::mknod(node.c_str(), S_IFBLK | 0600, makedev(major, 0)) != 0) {
        GTEST_SKIP() << "cannot create a block device node here";
    }
    const auto r = run_diobench({"run", node, "--rw", "randwrite", "--number-ios", "1"});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("is a block device and writing destroys its data; pass --allow-write"), std::string::npos)
        << r.err;
    EXPECT_EQ(line_count(r.err), 1U) << r.err;
    const auto allowed = run_diobench({"run", node, "--rw", "randwrite", "--allow-write", "--number-ios", "1"});
    EXPECT_EQ(allowed.exit_status, 1);
    EXPECT_EQ(allowed.err.find("pass --allow-write"), std::string::npos) << allowed.err;
    const auto compare = run_diobench({"compare", "--knob", dir_.file("knob"), "--", "run", node, "--rw", "write"});
    EXPECT_NE(compare.err.find("pass --allow-write"), std::string::npos) << compare.err;
    const auto prealloc = run_diobench({"prep", node, "--preallocate", "--allow-write"});
    EXPECT_EQ(prealloc.exit_status, 1);
    EXPECT_NE(prealloc.err.find("--preallocate applies to files"), std::string::npos) << prealloc.err;
}

// The kernel checks a file's page cache on every direct write and, on 7.x,
// completes it in a workqueue while any page is cached: prep leaves none.
TEST_F(WriteE2E, PrepLeavesNoPageCache)
{
    struct statfs fs {};
    ASSERT_EQ(::statfs(file_.c_str(), &fs), 0);
    if (fs.f_type == TMPFS_MAGIC) {
        GTEST_SKIP() << "tmpfs keeps its pages: they are the file";
    }
    EXPECT_EQ(cached_pages(file_), 0);
}

TEST_F(WriteE2E, PreallocatedPrepVerifies)
{
    EXPECT_EQ(file_size(file_), kFileBytes);
    EXPECT_EQ(verify_all("1").exit_status, 0);
    const auto again = run_diobench({"prep", file_, "--preallocate"});
    EXPECT_EQ(again.exit_status, 1);
    EXPECT_NE(again.err.find("already exists; pass --force"), std::string::npos) << again.err;
}
