#include <gtest/gtest.h>

#include "kernel/knob.hpp"
#include "support/test_dirs.hpp"

using diobench::KnobError;
using diobench::KnobGuard;
using diobench::test::read_text;
using diobench::test::write_text;

TEST(KnobGuard, SetsAndRestoresTheExactOriginal)
{
    const diobench::test::TempDir dir;
    const std::string knob = dir.file("knob");
    write_text(knob, "10\n");
    {
        KnobGuard guard(knob);
        EXPECT_EQ(guard.original(), "10\n");
        guard.set("1");
        EXPECT_EQ(read_text(knob), "1\n");  // truncated, not "1\n\n" or "10"
        guard.restore();
        EXPECT_EQ(read_text(knob), "10\n");
        guard.set("2");
    }  // destructor restores
    EXPECT_EQ(read_text(knob), "10\n");
}

TEST(KnobGuard, UntouchedKnobIsNotRewritten)
{
    const diobench::test::TempDir dir;
    const std::string knob = dir.file("knob");
    write_text(knob, "0\n");
    {
        const KnobGuard guard(knob);
        write_text(knob, "changed by someone else\n");
    }
    EXPECT_EQ(read_text(knob), "changed by someone else\n");
}

TEST(KnobGuard, MissingOrReadOnlyKnobIsRefused)
{
    const diobench::test::TempDir dir;
    EXPECT_THROW(KnobGuard(dir.file("missing")), KnobError);
    EXPECT_THROW(KnobGuard(dir.path()), KnobError);
    const std::string readonly = diobench::test::unwritable_file();
    if (readonly.empty()) {
        GTEST_SKIP() << "no file here refuses open(O_WRONLY) for this user";
    }
    try {
        const KnobGuard guard(readonly);
        FAIL() << "expected KnobError";
    } catch (const KnobError& e) {
        EXPECT_NE(std::string(e.what()).find("not writable"), std::string::npos) << e.what();
    }
}

TEST(KnobWrite, RejectedWriteIsAnError)
{
    // /dev/full accepts open(O_WRONLY) but every write fails with ENOSPC,
    // like a sysfs store() rejecting a value.
    try {
        diobench::write_small_file("/dev/full", "1\n");
        FAIL() << "expected an Error";
    } catch (const diobench::Error& e) {
        EXPECT_NE(std::string(e.what()).find("writing '1' to /dev/full failed"), std::string::npos) << e.what();
    }
}
