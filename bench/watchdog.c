// SPDX-License-Identifier: GPL-2.0
/*
 * Cases that test the harness, not the kernel: hidden (ZB_CASE_HIDDEN)
 * unless ZAPBENCH_TEST_CASES is set.  watchdog/hang blocks forever in its
 * op, so only the point timeout can end it; watchdog/nop is the point
 * after it, which must still run.
 */
#include <unistd.h>

#include "case.h"

static int hang_op(struct zb_worker *w)
{
	(void)w;
	for (;;)
		pause();
	return 0;
}

static int nop_op(struct zb_worker *w)
{
	(void)w;
	return 0;
}

const struct zb_case zb_family_watchdog[] = {
	{
		.name = "watchdog/hang",
		.desc = "test only: an op that never returns (--point-timeout ends it)",
		.flags = ZB_CASE_HIDDEN,
		.op = hang_op,
	},
	{
		.name = "watchdog/nop",
		.desc = "test only: an op that does nothing",
		.flags = ZB_CASE_HIDDEN,
		.op = nop_op,
	},
	{ .name = NULL },
};
