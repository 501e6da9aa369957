// SPDX-License-Identifier: GPL-2.0
/*
 * A test of --perf-record, hidden (ZB_CASE_HIDDEN) unless
 * ZAPBENCH_TEST_CASES is set: the op spins in perftest_op_spin for
 * --spin-us, and setup, worker setup and worker teardown spin in
 * functions of their own, outside the timed region, so a profile shows
 * whether perf sampled only the op (tests/test_perf.c).
 */
#include <time.h>

#include "case.h"

#define OUTSIDE_NS	200000000	/* each untimed spin: 0.2 s */

static volatile unsigned long sink;

static unsigned long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

/*
 * Most of the time in the loop itself, not the clock: the samples name us.
 * Three spinners of one body: noipa keeps the compiler from folding them
 * into one function with three names, or cloning one under another name
 * ("perftest_setup_spin.constprop.0").
 */
#define SPIN_BODY(ns)								\
	do {									\
		unsigned long long end = now_ns() + (ns);			\
		unsigned long k;						\
										\
		do {								\
			for (k = 0; k < 2000; k++)				\
				sink += k;					\
		} while (now_ns() < end);					\
	} while (0)

static __attribute__((noipa)) void perftest_op_spin(unsigned long long ns)
{
	SPIN_BODY(ns);
}

static __attribute__((noipa)) void perftest_setup_spin(unsigned long long ns)
{
	SPIN_BODY(ns);
}

static __attribute__((noipa)) void perftest_teardown_spin(unsigned long long ns)
{
	SPIN_BODY(ns);
}

static int setup(struct zb_worker *w)
{
	(void)w;
	perftest_setup_spin(OUTSIDE_NS);
	return 0;
}

static int worker_setup(struct zb_worker *w)
{
	(void)w;
	perftest_setup_spin(OUTSIDE_NS);
	return 0;
}

static void worker_teardown(struct zb_worker *w)
{
	(void)w;
	perftest_teardown_spin(OUTSIDE_NS);
}

static int op(struct zb_worker *w)
{
	perftest_op_spin((unsigned long long)zb_param_int(w, "spin-us") * 1000);
	return 0;
}

static const struct zb_param params[] = {
	ZB_INT_PARAM("spin-us", 1, 100000, "100", "microseconds the op spins"),
	ZB_CPUS_PARAM(.def = "1"),
	ZB_MODE_PARAM(),
	{ .name = NULL },
};

const struct zb_case zb_family_perftest[] = {
	{
		.name = "perftest/spin",
		.desc = "test only: the op spins in perftest_op_spin, untimed hooks elsewhere",
		.params = params,
		.flags = ZB_CASE_HIDDEN,
		.setup = setup,
		.worker_setup = worker_setup,
		.op = op,
		.worker_teardown = worker_teardown,
	},
	{ .name = NULL },
};
