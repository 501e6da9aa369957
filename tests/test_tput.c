// SPDX-License-Identifier: GPL-2.0
/*
 * The throughput phase (core/tput.c) on a case whose cost is known by
 * construction: ->prepare and ->op each busy-wait a fixed wall time, so
 * one iteration of the loop can never take less than their sum.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/runner.h"
#include "zbtest.h"

#define PREP_US	100
#define OP_US	100

struct calls {
	volatile long prepares, ops;
};

static void spin_us(long us)
{
	uint64_t end = zb_mono_ns() + (uint64_t)us * 1000;

	while (zb_mono_ns() < end)
		;
}

static int known_prepare(struct zb_worker *w)
{
	struct calls *c = w->shared;

	__sync_fetch_and_add(&c->prepares, 1);
	spin_us(PREP_US);
	return 0;
}

static int known_op(struct zb_worker *w)
{
	struct calls *c = w->shared;

	__sync_fetch_and_add(&c->ops, 1);
	spin_us(OP_US);
	return 0;
}

static int crash_op(struct zb_worker *w)
{
	if (w->id == 1)
		raise(SIGSEGV);
	return 0;
}

static const struct zb_param cpus_mode[] = {
	ZB_CPUS_PARAM(.def = "1"),
	ZB_MODE_PARAM(.def = "process"),
	{ .name = NULL },
};

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* How much of its CPU the worker had, wall against CPU time: a shared one skews rates. */
struct share {
	double wall0, cpu0;
};

static int share_start(struct zb_worker *w)
{
	struct share *p = w->priv;

	p->wall0 = (double)zb_mono_ns();
	p->cpu0 = thread_cpu_ns();
	return 0;
}

static void share_note(struct zb_worker *w)
{
	struct share *p = w->priv;

	zb_note(w, "cpu_share", (thread_cpu_ns() - p->cpu0) / ((double)zb_mono_ns() - p->wall0));
}

static const struct zb_case known = {
	.name = "t/known", .params = cpus_mode, .flags = ZB_CASE_TPUT,
	.shared_size = sizeof(struct calls), .priv_size = sizeof(struct share),
	.worker_setup = share_start, .worker_teardown = share_note,
	.prepare = known_prepare, .op = known_op,
};

static double note(const struct zb_result *r, const char *key)
{
	int i;

	for (i = 0; i < r->nr_notes; i++)
		if (!strcmp(r->notes[i].key, key))
			return r->notes[i].value;
	return -1;
}

static void run(const struct zb_case *c, int cpus, const char *mode, int intervals,
		struct zb_result *r)
{
	struct zb_options o = { 0 };
	struct zb_point pt = { .nr = 2, .name = { "cpus", "mode" } };

	o.min_time = 0.02;
	o.repetitions = 1;
	o.min_samples = 10;
	o.max_samples = 100000;
	o.tput_intervals = intervals;
	o.tput_interval_s = 0.05;
	ASSERT_EQ(0, zb_timer_init(&o.timer, ZB_CLOCK_MONOTONIC));
	ASSERT_EQ(0, zb_cpus_load(&o.cpus));
	if (cpus > o.cpus.n)
		SKIP(_exit(ZBT_SKIP_CODE), "needs %d CPUs", cpus);
	snprintf(pt.value[0], sizeof(pt.value[0]), "%d", cpus);
	snprintf(pt.value[1], sizeof(pt.value[1]), "%s", mode);
	ASSERT_EQ(0, zb_run_point(c, &pt, 0, &o, r));
}

/*
 * Iterations per wall second, prepare included: never above 1 / (prepare
 * + op), the hard bound.  On a CPU the worker had to itself, also near
 * it, and well below what the timed region alone gives (ops_per_sec,
 * 1 / op); on a shared one (another process took its CPU) skip those.
 */
static void check_known(const char *mode)
{
	const double bound = 1e6 / (PREP_US + OP_US);
	struct zb_result r;

	run(&known, 1, mode, 4, &r);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(4, r.tput.n);
	ASSERT_EQ(1, r.tput.tasks);
	EXPECT_TRUE(r.tput.per_task_min <= r.tput.per_task &&
		    r.tput.per_task <= r.tput.per_task_max);
	EXPECT_TRUE(r.tput.per_task_max <= bound * 1.02);
	printf("# per task %.4g/s, bound %.4g/s, the worker had %.0f %% of its CPU\n",
	       r.tput.per_task, bound, note(&r, "cpu_share") * 100);
	if (note(&r, "cpu_share") < 0.9)
		SKIP(return, "the worker had %.0f %% of its CPU: no lower bound",
		     note(&r, "cpu_share") * 100);
	EXPECT_TRUE(r.tput.per_task >= bound * 0.8);
	EXPECT_TRUE(r.ops_per_sec > 1.5 * r.tput.per_task);
	zb_result_free(&r);
}

TEST(tput_is_prepare_and_op_per_wall_second_process)
{
	check_known("process");
}

TEST(tput_is_prepare_and_op_per_wall_second_thread)
{
	check_known("thread");
}

/* Two tasks: per task is the total over tasks; prepare ran with every op. */
TEST(tput_per_task_of_two_tasks)
{
	struct zb_result r;

	run(&known, 2, "process", 3, &r);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(2, r.tput.tasks);
	ASSERT_EQ(3, r.tput.n);
	/* a median interval may hold no iteration on a busy machine: no "> 0" */
	EXPECT_TRUE(r.tput.total <= 2 * r.tput.per_task_max * 1.0001);
	EXPECT_TRUE(r.tput.total >= 2 * r.tput.per_task_min * 0.9999);
	/* 0 is possible: a task preempted for a whole interval */
	EXPECT_TRUE(r.tput.least_share >= 0 && r.tput.least_share <= 1);
	zb_result_free(&r);
}

/* Counted in the workers, noted from their teardown, after both phases. */
static void note_calls(struct zb_worker *w)
{
	struct calls *c = w->shared;

	zb_note(w, "prepares", (double)c->prepares);
	zb_note(w, "ops", (double)c->ops);
}

TEST(tput_loop_runs_prepare_before_every_op)
{
	struct zb_case k = known;
	struct zb_result r;

	k.worker_teardown = note_calls;
	run(&k, 1, "thread", 2, &r);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(2, r.tput.n);
	/* the phase ran ops beyond the samples' (and their warm-up's) */
	EXPECT_TRUE(note(&r, "ops") > (double)r.total + 10);
	EXPECT_EQ(note(&r, "ops"), note(&r, "prepares"));
	zb_result_free(&r);
}

TEST(no_tput_without_the_flag_or_intervals)
{
	struct zb_case plain = known;
	struct zb_result r;

	plain.flags = 0;
	run(&plain, 1, "process", 3, &r);
	ASSERT_EQ(ZB_OK, r.status);
	EXPECT_EQ(0, r.tput.n);
	zb_result_free(&r);
	run(&known, 1, "process", 0, &r);
	ASSERT_EQ(ZB_OK, r.status);
	EXPECT_EQ(0, r.tput.n);
	zb_result_free(&r);
}

/* A worker that dies before the phase: the conductor must not wait for it. */
TEST(tput_phase_ends_when_a_worker_dies)
{
	static const struct zb_case c = {
		.name = "t/crash", .params = cpus_mode, .flags = ZB_CASE_TPUT,
		.op = crash_op,
	};
	struct zb_result r;

	run(&c, 2, "process", 3, &r);
	ASSERT_EQ(ZB_FAILED, r.status);
	ASSERT_CONTAINS(r.msg, "killed by signal 11");
	EXPECT_EQ(0, r.tput.n);
}
