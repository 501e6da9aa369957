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
#include <sys/syscall.h>
#include <unistd.h>

#include "counters/counters.h"
#include "stats/stats.h"

#define CALIBRATE_RUNS	31
#define CALIBRATE_TRIM	3

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

/* Events of @kind in one group on (@pid, @cpu); @only >= 0: just that one. */
static int open_group(struct zb_cset *s, enum zb_ev_kind kind, int pid, int cpu, int only)
{
	struct zb_cgroup *g = &s->g[s->nr];
	int i, err = -ENOENT;

	memset(g, 0, sizeof(*g));
	g->fd = -1;
	g->cpu = cpu;
	for (i = 0; i < s->cs->nr; i++) {
		const struct zb_event *ev = &s->cs->ev[i];
		int e;

		if (!ev->ok || ev->kind != kind || (only >= 0 ? i != only : own_group(ev)))
			continue;
		e = open_one(g, ev, i, pid);
		err = err && e ? e : 0;
	}
	if (g->nr)
		s->nr++;
	return err;
}

int zb_cset_open(struct zb_cset *s, const struct zb_counters *cs, int cpu, int system_wide)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_CONF), k;

	memset(s, 0, sizeof(*s));
	s->cs = cs;
	if (!cs)
		return 0;
	s->system_wide = system_wide && cs->trace_system_wide && cpu >= 0;
	if (ncpu > ZB_MAX_CTR_CPUS)
		ncpu = ZB_MAX_CTR_CPUS;
	/* Peers first, this CPU last: see the comment at the top. */
	for (k = 1; s->system_wide && k <= ncpu; k++)
		open_group(s, ZB_EV_TRACE, -1, (cpu + k) % ncpu, -1);
	if (!s->system_wide)
		open_group(s, ZB_EV_TRACE, 0, -1, -1);
	open_group(s, ZB_EV_PERF, 0, -1, -1);
	for (k = 0; k < cs->nr; k++)
		if (cs->ev[k].ok && own_group(&cs->ev[k]))
			open_group(s, ZB_EV_PERF, 0, -1, k);
	return 0;
}

void zb_cset_close(struct zb_cset *s)
{
	int i;

	for (i = 0; i < s->nr; i++)
		close(s->g[i].fd);
	s->nr = 0;
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
