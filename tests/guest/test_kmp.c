// SPDX-License-Identifier: GPL-2.0
/*
 * The MP writer's reschedule point, in the guest.  A long MP run once
 * held CPU 0 long enough for the soft-lockup watchdog; now the writer
 * kthread calls cond_resched() once per pool of publishes.  Proof
 * without waiting out the watchdog: a spinner made runnable on the
 * writer's CPU, and the writer's nonvoluntary_ctxt_switches rising
 * while the run goes on.  Under voluntary preemption nothing else in
 * that loop can switch it out, so without the call the count stays put.
 */
#include <dirent.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include "zbtest.h"
#include "zt.h"
#include "util.h"

/* The writer runs the run for about this long (spinner included). */
#define RUN_NS		1000000000.0

/* Pid of the kernel thread named @comm, or -1. */
static pid_t find_kthread(const char *comm)
{
	struct dirent *e;
	char path[300], c[32];
	pid_t pid = -1;
	DIR *d = opendir("/proc");

	while (d && pid < 0 && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (!zb_read_line(path, c, sizeof(c)) && !strcmp(c, comm))
			pid = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return pid;
}

/* nonvoluntary_ctxt_switches of @pid, or -1 once it is gone. */
static long nonvoluntary(pid_t pid)
{
	char path[64], *buf, *p;
	long n = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (zb_read_file(path, &buf, NULL))
		return -1;
	p = strstr(buf, "nonvoluntary_ctxt_switches:");
	if (p)
		n = strtol(p + strlen("nonvoluntary_ctxt_switches:"), NULL, 10);
	free(buf);
	return n;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		ZBT_FAIL("sched_setaffinity %d: %s", cpu, strerror(errno));
}

/* Runnable on CPU 0 for at most a minute, or until killed. */
static pid_t start_spinner(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		time_t end = time(NULL) + 60;

		pin(0);
		while (time(NULL) < end)
			;
		_exit(0);
	}
	return pid;
}

TEST(mp_writer_reschedules_during_a_long_run)
{
	struct zaptest_mp mp = { .variant = ZAPTEST_ACQREL, .nr_cpus = 2, .publishes = 100000 };
	char mode[64] = "";
	long s1, s2;
	pid_t spin, caller, w = -1;
	int fd = zt_fresh(), st, i;

	ASSERT_TRUE(fd >= 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "message passing needs 2 CPUs (scripts/vm -s 2)");
	zb_read_line("/sys/kernel/debug/sched/preempt", mode, sizeof(mode));
	if (strstr(mode, "(full)"))
		SKIP(return, "preempt=full switches the writer anywhere: the count proves nothing");
	/* size the run from a short one: about RUN_NS of writing */
	ASSERT_EQ(0, zt_ioctl(fd, ZAPTEST_IOC_MP, &mp));
	mp.publishes = (uint64_t)(RUN_NS / ((double)mp.ns / (double)mp.publishes));
	if (mp.publishes < 1000000)
		mp.publishes = 1000000;
	if (mp.publishes > 100000000)
		mp.publishes = 100000000;
	spin = start_spinner();
	ASSERT_TRUE(spin > 0);
	caller = fork();
	if (caller == 0) {
		_exit(zt_ioctl(fd, ZAPTEST_IOC_MP, &mp) || mp.forbidden ? 1 : 0);
	}
	ASSERT_TRUE(caller > 0);
	/* the writer is member 0, bound to the first CPU: "zaptest/0" */
	for (i = 0; i < 1000 && w < 0; i++) {
		w = find_kthread("zaptest/0");
		if (w < 0)
			usleep(10000);
	}
	s1 = w > 0 ? nonvoluntary(w) : -1;
	usleep(300000);
	s2 = w > 0 ? nonvoluntary(w) : -1;
	ASSERT_EQ(caller, waitpid(caller, &st, 0));
	kill(spin, SIGKILL);
	waitpid(spin, NULL, 0);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	printf("# writer pid %d, %llu publishes: nonvoluntary_ctxt_switches %ld -> %ld\n",
	       w, (unsigned long long)mp.publishes, s1, s2);
	ASSERT_TRUE(w > 0);
	if (s2 < 0)
		ZBT_FAIL("the run ended within 0.3 s: too short to sample twice");
	ASSERT_TRUE(s2 > s1);
}
