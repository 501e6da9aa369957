// SPDX-License-Identifier: GPL-2.0
/*
 * Not a test of zapbench: a binary of tests that misbehave on purpose,
 * run by test_zbtest.c to prove what the harness does with each.
 */
#include "zbtest.h"

TEST_TIMEOUT(hangs_past_its_alarm, 1)
{
	for (;;)
		pause();
}

TEST(runs_after_the_hang)
{
	ASSERT_EQ(2, 1 + 1);
}

TEST(expect_goes_on)
{
	int got = 3;

	EXPECT_EQ(4, got);
	EXPECT_STREQ("want", "got");
	printf("# still running after two EXPECTs\n");
}

TEST(assert_stops)
{
	long got = 5;

	ASSERT_EQ(6, got);
	printf("# still running after ASSERT\n");
}

TEST(skips_with_a_reason)
{
	SKIP(return, "nothing to do here");
	ASSERT_TRUE(0);
}

TEST(skip_then_fail_is_a_failure)
{
	SKIP(, "skipped, but goes on");
	EXPECT_TRUE(0);
}
