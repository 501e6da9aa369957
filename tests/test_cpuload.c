// SPDX-License-Identifier: GPL-2.0
/* What else used the CPUs during a round: other processes, not ours. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cpuload.h"
#include "zbtest.h"

static struct zb_proc_time procs_a[12], procs_b[12];

static void put(struct zb_proc_time *t, int pid, int ppid, int kthread,
		unsigned long long start, unsigned long long ticks)
{
	t->pid = pid;
	t->ppid = ppid;
	t->kthread = kthread;
	t->start = start;
	t->ticks = ticks;
}

TEST(cpuload_counts_others_not_ours)
{
	struct zb_cpuload a = { procs_a, 0, 1.0, 1 }, b = { procs_b, 0, 1.5, 1 };
	double hz = (double)sysconf(_SC_CLK_TCK), o, k, st;
	int self = getpid();

	put(&procs_a[a.n++], 1, 0, 0, 1, 5000);
	put(&procs_a[a.n++], self, 1, 0, 10, 100);
	put(&procs_a[a.n++], 500, 1, 0, 20, 1000);	/* another process */
	put(&procs_a[a.n++], 600, 1, 0, 30, 50);	/* dies, its pid reused */
	put(&procs_a[a.n++], 7, 2, 1, 5, 10);		/* a kernel thread */
	put(&procs_a[a.n++], 501, 500, 0, 25, 3000);	/* 500's child, ends in the round */
	put(&procs_a[a.n++], 650, 1, 0, 26, 100);	/* ends, reaped by init ... */
	put(&procs_a[a.n++], 700, 650, 0, 27, 400);	/* ... orphaned, then by init */

	put(&procs_b[b.n++], self, 1, 0, 10, 900);	/* our reaped sides: not counted */
	put(&procs_b[b.n++], 900, self, 0, 40, 300);	/* our child: not counted */
	put(&procs_b[b.n++], 901, 900, 0, 41, 300);	/* its child: not counted */
	/* added 25 ticks, and 501's 3000 + 10 more when it reaped 501 */
	put(&procs_b[b.n++], 500, 1, 0, 20, 1000 + 25 + 3010);
	put(&procs_b[b.n++], 600, 1, 0, 99, 7);		/* a new process: all 7 */
	put(&procs_b[b.n++], 7, 2, 1, 5, 10 + 4);
	/*
	 * init reaped 650 (100 + 10 more), its orphan 700 (400 + 20 more) and
	 * the old 600 (50, all before the round)
	 */
	put(&procs_b[b.n++], 1, 0, 0, 1, 5000 + 110 + 420 + 50);
	zb_cpuload_delta(&a, &b, &o, &k, &st);
	ASSERT_NEAR(o, (25 + 10 + 7 + 10 + 20) / hz, 1e-9);
	ASSERT_NEAR(k, 4 / hz, 1e-9);
	ASSERT_NEAR(0.5, st, 1e-9);
}

TEST(cpuload_unusable_snapshot_is_unknown)
{
	struct zb_cpuload a = { procs_a, 0, 0, 0 }, b = { procs_b, 0, 0, 1 };
	double o, k, st;

	zb_cpuload_delta(&a, &b, &o, &k, &st);
	ASSERT_TRUE(o < 0 && k < 0 && st < 0);
}

static void spin_cpu(double s)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < s);
}

/* A process that is not our descendant (reparented away) is seen. */
TEST(cpuload_sees_a_live_stranger)
{
	struct zb_cpuload a, b;
	double o, k, st;
	int fds[2], st2;
	pid_t mid, far = 0;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, zb_cpuload_snap(&a));
	mid = fork();
	ASSERT_TRUE(mid >= 0);
	if (!mid) {
		pid_t g = fork();

		if (!g) {
			spin_cpu(0.4);
			/* stay alive, so its own ticks are what is read */
			write(fds[1], "x", 1);
			pause();
			_exit(0);
		}
		write(fds[1], &g, sizeof(g));
		_exit(0);
	}
	ASSERT_EQ(mid, waitpid(mid, &st2, 0));
	ASSERT_EQ((ssize_t)sizeof(far), read(fds[0], &far, sizeof(far)));
	{
		char c;

		ASSERT_EQ(1, read(fds[0], &c, 1));
	}
	ASSERT_EQ(0, zb_cpuload_snap(&b));
	zb_cpuload_delta(&a, &b, &o, &k, &st);
	kill(far, SIGKILL);
	zb_cpuload_free(&a);
	zb_cpuload_free(&b);
	/* 0.4 s of its CPU time, in clock ticks: at least 0.3 s seen */
	ASSERT_TRUE(o >= 0.3);
}
