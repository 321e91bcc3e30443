// prep + run --verify through the real binary with real O_DIRECT I/O.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "support/diobench_process.hpp"
#include "support/test_dirs.hpp"
#include "util/unique_fd.hpp"

using diobench::test::run_diobench;
using diobench::test::TempDir;

namespace {

// Overwrites one 512-byte sector with garbage, bypassing the page cache
// concerns by syncing afterwards.
void corrupt_sector(const std::string& path, off_t offset)
{
    const diobench::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_TRUE(fd.valid());
    const std::string garbage(512, 'Z');
    ASSERT_EQ(::pwrite(fd.get(), garbage.data(), garbage.size(), offset), 512);
    ASSERT_EQ(::fsync(fd.get()), 0);
}

}  // namespace

TEST(VerifyE2E, PreppedFileVerifiesCleanWithEveryEngine)
{
    const TempDir dir;
    const std::string file = dir.file("data");
    const auto prep = run_diobench({"prep", file, "--size", "1M", "--seed", "77"});
    ASSERT_EQ(prep.exit_status, 0) << prep.err;
    for (const std::string engine : {"io_uring", "libaio", "sync"}) {
        // Sequential, so every block of the file is read and checked.
        const auto run = run_diobench({"run", file, "--engine", engine, "--verify", "--seed", "77", "--rw", "read",
                                       "--number-ios", "256", "--json"});
        EXPECT_EQ(run.exit_status, 0) << engine << ": " << run.err;
    }
}

TEST(VerifyE2E, WrongSeedFails)
{
    const TempDir dir;
    const std::string file = dir.file("data");
    ASSERT_EQ(run_diobench({"prep", file, "--size", "64k", "--seed", "1"}).exit_status, 0);
    const auto run = run_diobench({"run", file, "--verify", "--seed", "2", "--number-ios", "16"});
    EXPECT_NE(run.exit_status, 0);
    EXPECT_NE(run.err.find("seed=2, got offset="), std::string::npos) << run.err;
}

TEST(VerifyE2E, CorruptSectorIsNamedByOffset)
{
    const TempDir dir;
    const std::string file = dir.file("data");
    ASSERT_EQ(run_diobench({"prep", file, "--size", "256k"}).exit_status, 0);
    corrupt_sector(file, off_t{100} * 512);
    for (const std::string engine : {"io_uring", "libaio", "sync"}) {
        const auto run = run_diobench({"run", file, "--engine", engine, "--verify", "--rw", "read", "--bs", "4k",
                                       "--number-ios", "64"});
        EXPECT_EQ(run.exit_status, 1) << engine;
        EXPECT_NE(run.err.find("verify failed at offset 51200 of " + file), std::string::npos)
            << engine << ": " << run.err;
        EXPECT_EQ(diobench::test::line_count(run.err), 1U) << run.err;
    }
}

TEST(VerifyE2E, ZeroedSectorIsReported)
{
    const TempDir dir;
    const std::string file = dir.file("data");
    ASSERT_EQ(run_diobench({"prep", file, "--size", "64k"}).exit_status, 0);
    {
        const diobench::UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
        const std::string zeros(512, '\0');
        ASSERT_EQ(::pwrite(fd.get(), zeros.data(), zeros.size(), 4096), 512);
        ::fsync(fd.get());
    }
    const auto run = run_diobench({"run", file, "--verify", "--rw", "read", "--number-ios", "16"});
    EXPECT_NE(run.exit_status, 0);
    EXPECT_NE(run.err.find("offset 4096"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("all-zero"), std::string::npos) << run.err;
}

TEST(PrepE2E, RefusesExistingFilesUnlessForced)
{
    const TempDir dir;
    const std::string file = dir.file("data");
    diobench::test::write_text(file, "precious");
    const auto refused = run_diobench({"prep", file, "--size", "64k"});
    EXPECT_NE(refused.exit_status, 0);
    EXPECT_NE(refused.err.find("already exists; pass --force"), std::string::npos) << refused.err;
    EXPECT_EQ(diobench::test::read_text(file), "precious");

    const auto forced = run_diobench({"prep", file, "--size", "64k", "--force"});
    EXPECT_EQ(forced.exit_status, 0) << forced.err;
    EXPECT_EQ(diobench::test::read_text(file).size(), 65536U);
}

TEST(PrepE2E, RefusesOddSizesAndMissingSize)
{
    const TempDir dir;
    const auto odd = run_diobench({"prep", dir.file("x"), "--size", "1000"});
    EXPECT_NE(odd.exit_status, 0);
    EXPECT_NE(odd.err.find("multiple of 512"), std::string::npos);
    EXPECT_NE(::access(dir.file("x").c_str(), F_OK), 0);  // nothing left behind

    const auto no_size = run_diobench({"prep", dir.file("y")});
    EXPECT_NE(no_size.exit_status, 0);
    EXPECT_NE(no_size.err.find("--size is required"), std::string::npos);
}

TEST(PrepE2E, RefusesBlockDevicesWithoutAllowWrite)
{
    // A block device node whose major number no driver owns: if the check
    // ever regressed, open() would fail with ENXIO instead of writing to a
    // real disk.
    const TempDir dir;
    const std::string node = dir.file("fake-blockdev");
    const unsigned major = diobench::test::unused_block_major();
    if (major == 0 || ::mknod(node.c_str(), S_IFBLK | 0600, makedev(major, 0)) != 0) {
        GTEST_SKIP() << "cannot create a block device node here";
    }
    const auto r = run_diobench({"prep", node, "--size", "64k"});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("block device; pass --allow-write"), std::string::npos) << r.err;
    const auto forced = run_diobench({"prep", node, "--size", "64k", "--force"});
    EXPECT_NE(forced.err.find("block device; pass --allow-write"), std::string::npos) << forced.err;
    const auto allowed = run_diobench({"prep", node, "--size", "64k", "--allow-write"});
    EXPECT_EQ(allowed.exit_status, 1);  // passes the check, then open() fails: no such device
    EXPECT_NE(allowed.err.find("open " + node), std::string::npos) << allowed.err;
}
