// SPDX-License-Identifier: GPL-2.0
/*
 * The runner with cases made for the test: sampling, workers on CPUs,
 * peers that stop, skips, failures and workers that die by a signal.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

#include "core/runner.h"
#include "zbtest.h"

struct counters {
	volatile int setups, peers_ran, ops;
};

static int count_setup(struct zb_worker *w)
{
	struct counters *c = w->shared;

	__sync_fetch_and_add(&c->setups, 1);
	return 0;
}

static int count_op(struct zb_worker *w)
{
	struct counters *c = w->shared;

	/* pinned: a worker never runs anywhere but its CPU */
	if (sched_getcpu() != w->cpu)
		return -EPROTO;
	__sync_fetch_and_add(&c->ops, 1);
	return 0;
}

static int spin_peer(struct zb_worker *w)
{
	struct counters *c = w->shared;

	c->peers_ran = 1;
	while (!zb_stopping(w))
		;
	return 0;
}

static int skip_setup(struct zb_worker *w)
{
	return zb_skip(w, "no such device here");
}

static int crash_op(struct zb_worker *w)
{
	if (w->id == 1)
		raise(SIGSEGV);
	return 0;
}

/* The write end of a pipe: hang_op says there which process it hangs in. */
static int hang_fd = -1;

static int hang_op(struct zb_worker *w)
{
	pid_t pid = getpid();

	(void)w;
	if (write(hang_fd, &pid, sizeof(pid)) != sizeof(pid))
		return -EIO;
	for (;;)
		pause();
	return 0;
}

static int fail_validate(struct zb_worker *w)
{
	return zb_fail(w, -EPROTO, "validation found %d VMAs", 3);
}

static const struct zb_param cpus_mode[] = {
	ZB_CPUS_PARAM(.def = "1"),
	ZB_MODE_PARAM(.def = "process"),
	{ .name = NULL },
};

static struct zb_options opts(void)
{
	struct zb_options o = { 0 };

	o.min_time = 0.01;
	o.repetitions = 1;
	o.warmup = 2;
	o.min_samples = 10;
	o.max_samples = 100000;
	o.keep_samples = 50;
	if (zb_timer_init(&o.timer, ZB_CLOCK_MONOTONIC))
		ZBT_FAIL("timer");
	if (zb_cpus_load(&o.cpus))
		ZBT_FAIL("cpus");
	return o;
}

static struct zb_point point(int cpus, const char *mode)
{
	struct zb_point pt = { 0 };

	pt.nr = 2;
	pt.name[0] = "cpus";
	snprintf(pt.value[0], 32, "%d", cpus);
	pt.name[1] = "mode";
	snprintf(pt.value[1], 32, "%s", mode);
	return pt;
}

static void run(const struct zb_case *c, int cpus, const char *mode, struct zb_result *r)
{
	struct zb_options o = opts();
	struct zb_point pt = point(cpus, mode);

	if (cpus > o.cpus.n)
		SKIP(_exit(ZBT_SKIP_CODE), "needs %d CPUs", cpus);
	ASSERT_EQ(0, zb_run_point(c, &pt, 0, &o, r));
}

static void check_samples(const char *mode)
{
	static const struct zb_case c = {
		.name = "t/ops", .params = cpus_mode,
		.shared_size = sizeof(struct counters),
		.setup = count_setup, .op = count_op,
	};
	struct zb_result r;
	int cpus = 2;

	run(&c, cpus, mode, &r);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(r.nr_timed, cpus);
	ASSERT_TRUE(r.total >= 2 * 10);
	ASSERT_EQ(r.sum.n, r.total);
	ASSERT_EQ(r.nr_kept, r.total < 50 ? r.total : 50);
	ASSERT_TRUE(r.sum.min <= r.sum.median && r.sum.median <= r.sum.max);
	ASSERT_TRUE(r.ops_per_sec > 0);
	ASSERT_TRUE(r.cpu[0] != r.cpu[1]);
	zb_result_free(&r);
}

TEST(samples_from_every_timed_worker_process)
{
	check_samples("process");
}

TEST(samples_from_every_timed_worker_thread)
{
	check_samples("thread");
}

TEST(peers_run_and_stop)
{
	static const struct zb_case c = {
		.name = "t/peers", .params = cpus_mode, .flags = ZB_CASE_PEERS,
		.shared_size = sizeof(struct counters),
		.op = count_op, .peer = spin_peer,
	};
	struct zb_result r;

	run(&c, 2, "process", &r);
	ASSERT_EQ(ZB_OK, r.status);
	/* only worker 0 is timed; the peer returned or this would hang */
	ASSERT_EQ(1, r.nr_timed);
	ASSERT_EQ(2, r.nr_workers);
	zb_result_free(&r);
}

/*
 * kmod_barrier's "kthreads" once was "cpus": two workers, two teams, a
 * lockup.  A case's own parameter of that name is not the harness's.
 */
TEST(single_worker_case_ignores_its_cpus_parameter)
{
	static const struct zb_param own_cpus[] = {
		ZB_INT_PARAM("cpus", 1, 64, "1", "kthreads, say"),
		ZB_MODE_PARAM(.def = "process"),
		{ .name = NULL },
	};
	static const struct zb_case c = {
		.name = "t/single", .params = own_cpus,
		.shared_size = sizeof(struct counters),
		.setup = count_setup, .op = count_op,
	};
	struct zb_result r;

	run(&c, 2, "process", &r);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(1, r.nr_workers);
	ASSERT_EQ(1, r.nr_timed);
	zb_result_free(&r);
}

TEST(skip_carries_its_reason)
{
	static const struct zb_case c = {
		.name = "t/skip", .params = cpus_mode, .setup = skip_setup, .op = count_op,
	};
	struct zb_result r;

	run(&c, 1, "process", &r);
	ASSERT_EQ(ZB_SKIPPED, r.status);
	ASSERT_STREQ("no such device here", r.msg);
	ASSERT_EQ(0, r.total);
}

TEST(validation_failure_is_reported)
{
	static const struct zb_case c = {
		.name = "t/validate", .params = cpus_mode,
		.validate = fail_validate, .op = count_op,
	};
	struct zb_result r;

	run(&c, 1, "thread", &r);
	ASSERT_EQ(ZB_FAILED, r.status);
	ASSERT_STREQ("validation found 3 VMAs", r.msg);
}

TEST(dead_worker_process_reported_with_signal)
{
	static const struct zb_case c = {
		.name = "t/crash", .params = cpus_mode, .op = crash_op,
	};
	struct zb_result r;

	run(&c, 2, "process", &r);
	ASSERT_EQ(ZB_FAILED, r.status);
	ASSERT_CONTAINS(r.msg, "worker 1");
	ASSERT_CONTAINS(r.msg, "killed by signal 11");
}

TEST(dead_worker_thread_reported_with_signal)
{
	static const struct zb_case c = {
		.name = "t/crash", .params = cpus_mode, .op = crash_op,
	};
	struct zb_result r;

	run(&c, 2, "thread", &r);
	ASSERT_EQ(ZB_FAILED, r.status);
	ASSERT_CONTAINS(r.msg, "killed by signal 11");
	ASSERT_CONTAINS(r.msg, "thread mode");
}

/* Gone, or a zombie nobody has reaped yet: within a second of being killed. */
static int dies(pid_t pid)
{
	char path[64], buf[512], *state;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 100; i++) {
		FILE *f = fopen(path, "r");
		size_t n;

		if (!f)
			return 1;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		state = strrchr(buf, ')');
		if (state && state[1] == ' ' && (state[2] == 'Z' || state[2] == 'X'))
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * An op that never returns: the point timeout kills the conductor, the
 * workers die with it, and the point fails with the reason, in time.
 */
static void check_hang(const char *mode, int nr_pids)
{
	static const struct zb_case c = { .name = "t/hang", .params = cpus_mode, .op = hang_op };
	struct zb_options o = opts();
	struct zb_point pt = point(2, mode);
	struct zb_result r;
	pid_t pid[2];
	int fds[2], i;

	if (o.cpus.n < 2)
		SKIP(return, "needs 2 CPUs");
	ASSERT_EQ(0, pipe(fds));
	hang_fd = fds[1];
	o.point_timeout = 0.5;
	ASSERT_EQ(0, zb_run_point(&c, &pt, 0, &o, &r));
	ASSERT_EQ(ZB_FAILED, r.status);
	ASSERT_STREQ("timed out after 0.5 s (--point-timeout): conductor and workers killed",
		     r.msg);
	ASSERT_TRUE(r.wall_s >= 0.5 && r.wall_s < 5);
	for (i = 0; i < nr_pids; i++) {
		ASSERT_EQ(sizeof(pid[i]), read(fds[0], &pid[i], sizeof(pid[i])));
		ASSERT_TRUE(pid[i] != getpid());
		ASSERT_TRUE(dies(pid[i]));
	}
	close(fds[0]);
	close(fds[1]);
}

TEST(hung_worker_processes_are_killed_by_the_point_timeout)
{
	check_hang("process", 2);
}

TEST(hung_worker_threads_are_killed_by_the_point_timeout)
{
	/* both threads are the conductor's process: it is the one to die */
	check_hang("thread", 1);
}

TEST(more_workers_than_cpus_is_skipped)
{
	static const struct zb_case c = { .name = "t/ops", .params = cpus_mode, .op = count_op };
	struct zb_options o = opts();
	struct zb_point pt = point(o.cpus.n + 1, "process");
	struct zb_result r;

	ASSERT_EQ(0, zb_run_point(&c, &pt, 0, &o, &r));
	ASSERT_EQ(ZB_SKIPPED, r.status);
	ASSERT_CONTAINS(r.msg, "CPUs");
}

/* A slot per worker, after the counters: shared_per_worker bytes each. */
struct slots {
	struct counters c;
	volatile int cpu[];		/* 1 + the CPU worker i ran its op on */
};

static int slot_op(struct zb_worker *w)
{
	struct slots *s = w->shared;
	int err = count_op(w);

	if (!err)
		s->cpu[w->id] = 1 + w->cpu;
	return err;
}

/* Every timed worker notes one key at once, as fault's validate does. */
static int slot_validate(struct zb_worker *w)
{
	zb_note(w, "validated", 1);
	return 0;
}

static void slot_teardown(struct zb_worker *w)
{
	struct slots *s = w->shared;
	int i, n = 0;

	for (i = 0; i < w->nr_workers; i++)
		n += s->cpu[i] > 0;
	zb_note(w, "slots", n);
}

/*
 * More workers than the 64 the runner once held, each pinned where the
 * plan says: the plan repeats this machine's CPUs, as a big box's would
 * not, but the runner cannot tell.  test_cpus plans 256 and 1024; this
 * many already costs a second in the start barrier's spin on 2 CPUs.
 */
static void run_many(int nr, const char *mode)
{
	static const struct zb_case c = {
		.name = "t/many", .params = cpus_mode,
		.shared_size = sizeof(struct slots), .shared_per_worker = sizeof(int),
		.validate = slot_validate, .op = slot_op, .teardown = slot_teardown,
	};
	struct zb_options o = opts();
	struct zb_point pt = point(nr, mode);
	struct zb_cpus real = o.cpus;
	struct zb_result r;
	int i;

	o.cpus.cpu = calloc((size_t)nr, sizeof(*o.cpus.cpu));
	ASSERT_TRUE(o.cpus.cpu != NULL);
	o.cpus.n = nr;
	for (i = 0; i < nr; i++)
		o.cpus.cpu[i] = real.cpu[(i * 7) % real.n];
	o.min_time = 0.001;
	o.min_samples = 2;
	o.max_samples = 100;
	o.warmup = 0;
	ASSERT_EQ(0, zb_run_point(&c, &pt, 0, &o, &r));
	ASSERT_STREQ("", r.msg);
	ASSERT_EQ(ZB_OK, r.status);
	ASSERT_EQ(r.nr_workers, nr);
	ASSERT_EQ(r.nr_timed, nr);
	ASSERT_TRUE(r.total >= (size_t)(2 * nr));
	for (i = 0; i < nr; i++)
		ASSERT_EQ(r.cpu[i], o.cpus.cpu[i].cpu);
	/* one key once, however many workers noted it: a record has no duplicate keys */
	ASSERT_EQ(2, r.nr_notes);
	ASSERT_STREQ("validated", r.notes[0].key);
	ASSERT_STREQ("slots", r.notes[1].key);
	ASSERT_EQ(nr, r.notes[1].value);
	zb_result_free(&r);
	zb_cpus_free(&o.cpus);
	zb_cpus_free(&real);
}

TEST(runs_100_workers_processes)
{
	run_many(100, "process");
}

TEST(runs_100_workers_threads)
{
	run_many(100, "thread");
}
