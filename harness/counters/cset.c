// SPDX-License-Identifier: GPL-2.0
/*
 * One timed worker's counter groups, bracketing each op.
 *
 * Tracepoints counted system-wide are one group per CPU.  Enabling or
 * disabling a group bound to another CPU is an IPI to that CPU (the
 * kernel runs the change there), and IPIs are what we count.  So peer
 * CPUs are enabled first and disabled last, this CPU's groups in
 * between: the enabling IPIs land before any counter of theirs runs.
 * The disabling IPI still arrives while the peer's counters run; that,
 * and whatever else an empty bracket counts, is measured by
 * zb_cset_calibrate() (a trimmed mean over empty brackets) and
 * subtracted, as the timer's overhead is.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "counters/counters.h"
#include "stats/stats.h"

#define CALIBRATE_RUNS	31
#define CALIBRATE_TRIM	3
/* Descriptors left for everything else a worker opens. */
#define FD_HEADROOM	256

static int open_one(struct zb_cgroup *g, const struct zb_event *e, int slot, int pid)
{
	struct perf_event_attr attr = e->attr;
	int fd;

	attr.disabled = !g->nr;
	attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	fd = (int)syscall(SYS_perf_event_open, &attr, pid, g->cpu, g->nr ? g->fd : -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!g->nr)
		g->fd = fd;
	g->slot[g->nr++] = slot;
	return 0;
}

/*
 * Software events never multiplex, so they gain nothing from a group,
 * and one of them as a group member goes wrong: on 6.18, task-clock
 * under a context-switches leader stops counting after the first
 * disable/enable cycle (perf stat never cycles, so never shows it).
 * Each software event is therefore its own group.
 */
static int own_group(const struct zb_event *e)
{
	return e->kind == ZB_EV_PERF && e->attr.type == PERF_TYPE_SOFTWARE;
}

static int wants(const struct zb_event *ev, enum zb_ev_kind kind, int only, int i)
{
	return ev->ok && ev->kind == kind && (only >= 0 ? i == only : !own_group(ev));
}

/* Open @g's events; its members are those that opened. */
static void open_group(struct zb_cset *s, struct zb_cgroup *g)
{
	int i;

	for (i = 0; i < s->cs->nr; i++)
		if (wants(&s->cs->ev[i], g->kind, g->only, i))
			open_one(g, &s->cs->ev[i], i, g->pid);
}

static void plan_group(struct zb_cset *s, enum zb_ev_kind kind, int pid, int cpu, int only)
{
	struct zb_cgroup *g = &s->g[s->nr_planned];
	int i;

	for (i = 0; i < s->cs->nr; i++)
		if (wants(&s->cs->ev[i], kind, only, i))
			break;
	if (i == s->cs->nr)
		return;
	memset(g, 0, sizeof(*g));
	g->fd = -1;
	g->cpu = cpu;
	g->pid = pid;
	g->kind = kind;
	g->only = only;
	s->nr_planned++;
}

int zb_cset_plan(struct zb_cset *s, const struct zb_counters *cs, int cpu, int system_wide,
		 int ncpu)
{
	int k;

	memset(s, 0, sizeof(*s));
	s->cs = cs;
	if (!cs)
		return 0;
	s->system_wide = system_wide && cs->trace_system_wide && cpu >= 0 && ncpu > 0;
	s->g = calloc((size_t)(s->system_wide ? ncpu : 1) + 1 + ZB_MAX_EVENTS, sizeof(*s->g));
	if (!s->g)
		return -ENOMEM;
	/* Peers first, this CPU last: see the comment at the top. */
	for (k = 1; s->system_wide && k <= ncpu; k++)
		plan_group(s, ZB_EV_TRACE, -1, (cpu + k) % ncpu, -1);
	if (!s->system_wide)
		plan_group(s, ZB_EV_TRACE, 0, -1, -1);
	plan_group(s, ZB_EV_PERF, 0, -1, -1);
	for (k = 0; k < cs->nr; k++)
		if (cs->ev[k].ok && own_group(&cs->ev[k]))
			plan_group(s, ZB_EV_PERF, 0, -1, k);
	return 0;
}

/*
 * A system-wide plan holds a descriptor per tracepoint per CPU: 224 CPUs
 * and six tracepoints are more than the usual soft limit of 1024.  Raise
 * it as far as the hard limit allows; false if that is not enough.
 */
static int fds_for(long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < need) {
		if (rl.rlim_max != RLIM_INFINITY && (long)rl.rlim_max < need)
			return 0;
		rl.rlim_cur = (rlim_t)need;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			return 0;
	}
	return 1;
}

int zb_cset_open(struct zb_cset *s, const struct zb_counters *cs, int cpu, int system_wide)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	int i, err;

	err = zb_cset_plan(s, cs, cpu, system_wide, ncpu > 0 ? (int)ncpu : 1);
	if (err || !cs)
		return err;
	/* Counting on every CPU or on none: never on the first thousand only. */
	if (s->system_wide && !fds_for(FD_HEADROOM + (long)s->nr_planned * cs->nr_ok)) {
		free(s->g);
		err = zb_cset_plan(s, cs, cpu, 0, 1);
		if (err)
			return err;
	}
	for (i = 0; i < s->nr_planned; i++) {
		struct zb_cgroup *g = &s->g[i];

		open_group(s, g);
		/* Those that opened nothing (an offline CPU) drop out. */
		if (g->nr)
			s->g[s->nr++] = *g;
	}
	return 0;
}

void zb_cset_close(struct zb_cset *s)
{
	int i;

	for (i = 0; i < s->nr; i++)
		close(s->g[i].fd);
	s->nr = 0;
	free(s->g);
	s->g = NULL;
}

void zb_cset_start(struct zb_cset *s)
{
	int i;

	for (i = 0; i < s->nr; i++) {
		ioctl(s->g[i].fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
		ioctl(s->g[i].fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
	}
}

static void read_group(const struct zb_cgroup *g, struct zb_counts *c)
{
	uint64_t buf[3 + ZB_MAX_EVENTS];
	double scale = 1;
	int i;

	if (read(g->fd, buf, sizeof(buf)) < (ssize_t)(3 * sizeof(uint64_t)) || buf[0] != (uint64_t)g->nr)
		return;
	/* Multiplexed: the group ran part of the time; scale as perf stat does. */
	if (buf[2] < buf[1]) {
		if (!buf[2])
			return;
		scale = (double)buf[1] / (double)buf[2];
		c->scaled = 1;
	}
	for (i = 0; i < g->nr; i++) {
		c->v[g->slot[i]] += (double)buf[3 + i] * scale;
		c->valid[g->slot[i]] = 1;
	}
}

static void stop_raw(struct zb_cset *s, struct zb_counts *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = s->nr - 1; i >= 0; i--)
		ioctl(s->g[i].fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
	for (i = 0; i < s->nr; i++)
		read_group(&s->g[i], c);
}

void zb_cset_stop(struct zb_cset *s, struct zb_counts *c)
{
	int i;

	stop_raw(s, c);
	for (i = 0; i < ZB_MAX_EVENTS; i++)
		c->v[i] -= s->bracket[i];
}

void zb_cset_calibrate(struct zb_cset *s, void (*region)(void *), void *arg)
{
	double v[ZB_MAX_EVENTS][CALIBRATE_RUNS];
	struct zb_counts c;
	int i, k;

	if (!s->nr)
		return;
	for (k = 0; k < CALIBRATE_RUNS; k++) {
		zb_cset_start(s);
		region(arg);
		stop_raw(s, &c);
		for (i = 0; i < ZB_MAX_EVENTS; i++)
			v[i][k] = c.v[i];
	}
	/*
	 * A trimmed mean, not the median: what is reported is a mean count
	 * per op, and for an event that an empty bracket catches in a third
	 * of the runs (an IPI) the median (0 or 1) is a biased correction
	 * that could make the op's count negative.  Trimming keeps one
	 * disturbed calibration run from moving it.
	 */
	for (i = 0; i < ZB_MAX_EVENTS; i++) {
		double sum = 0;

		zb_sort(v[i], CALIBRATE_RUNS);
		for (k = CALIBRATE_TRIM; k < CALIBRATE_RUNS - CALIBRATE_TRIM; k++)
			sum += v[i][k];
		s->bracket[i] = sum / (CALIBRATE_RUNS - 2 * CALIBRATE_TRIM);
	}
}
