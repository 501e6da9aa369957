// SPDX-License-Identifier: GPL-2.0
/*
 * The test harness itself: zbtest_selfcheck's tests misbehave on purpose
 * (one hangs, some fail); each must be reported as it is, and the run go on.
 */
#include <stdint.h>

#include "core/timer.h"
#include "zbtest.h"

struct selfcheck {
	int status;			/* exit code */
	char out[16384];
	double took;			/* seconds */
};

static const char *selfcheck_path(void)
{
	const char *p = getenv("ZBTEST_SELFCHECK");

	return p ? p : "build/tests/zbtest_selfcheck";
}

static void selfcheck(struct selfcheck *s)
{
	uint64_t t0 = zb_mono_ns();
	size_t n = 0, got;
	FILE *f;

	fflush(stdout);
	f = popen(selfcheck_path(), "r");
	ASSERT_TRUE(f);
	while (n < sizeof(s->out) - 1 && (got = fread(s->out + n, 1, sizeof(s->out) - 1 - n, f)))
		n += got;
	s->out[n] = '\0';
	s->status = pclose(f);
	ASSERT_TRUE(WIFEXITED(s->status));
	s->status = WEXITSTATUS(s->status);
	s->took = (double)(zb_mono_ns() - t0) / 1e9;
}

TEST(a_hanging_test_fails_by_its_alarm_and_the_run_goes_on)
{
	struct selfcheck s;

	selfcheck(&s);
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "# hangs_past_its_alarm: timed out after 1 s (killed)\n"
			"not ok 1 hangs_past_its_alarm\n");
	ASSERT_CONTAINS(s.out, "ok 2 runs_after_the_hang\n");
	ASSERT_TRUE(s.took < 10);
	ASSERT_CONTAINS(s.out, ": 1 passed, 4 failed, 1 skipped\n");
}

TEST(expect_says_expected_then_seen_and_goes_on)
{
	struct selfcheck s;

	selfcheck(&s);
	ASSERT_CONTAINS(s.out, "EXPECT_EQ(4, got): expected 4, seen 3\n");
	ASSERT_CONTAINS(s.out, "EXPECT_STREQ(\"want\", \"got\"): expected \"want\", seen \"got\"\n");
	ASSERT_CONTAINS(s.out, "# still running after two EXPECTs\nnot ok 3 expect_goes_on\n");
}

TEST(assert_says_expected_then_seen_and_stops)
{
	struct selfcheck s;

	selfcheck(&s);
	ASSERT_CONTAINS(s.out, "ASSERT_EQ(6, got): expected 6, seen 5\nnot ok 4 assert_stops\n");
	ASSERT_TRUE(!strstr(s.out, "still running after ASSERT"));
}

TEST(skip_gives_its_reason_and_a_later_failure_still_fails)
{
	struct selfcheck s;

	selfcheck(&s);
	ASSERT_CONTAINS(s.out, "# SKIP nothing to do here\nok 5 skips_with_a_reason # SKIP\n");
	ASSERT_CONTAINS(s.out, "not ok 6 skip_then_fail_is_a_failure\n");
}
