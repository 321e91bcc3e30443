// The A/B procedure's naming: which column label a knob gets.
#include <gtest/gtest.h>

#include "measurement/comparison.hpp"

using diobench::knob_label;

TEST(Comparison, KnobLabelTellsTheReadAndWriteKnobsApart)
{
    EXPECT_EQ(knob_label("/sys/kernel/iomap/simple_read"), "simple");
    EXPECT_EQ(knob_label("/sys/kernel/iomap/simple_write"), "simple_write");
    EXPECT_EQ(knob_label("/sys/kernel/iomap/alloc_cache"), "alloc_cache");
    EXPECT_EQ(knob_label("knob"), "knob");
    EXPECT_EQ(knob_label("/tmp/"), "state");
}
