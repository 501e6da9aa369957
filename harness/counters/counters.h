/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf counters and tracepoint counts around every timed op.
 *
 * The plan (counters.c) is made once, in the CLI: names resolved (libpfm4
 * for perf events, tracefs for tracepoints), then each event opened once
 * to learn whether it can count here, and why not.  Every timed worker
 * then opens its own groups (cset.c) on its own thread and CPU, and
 * brackets each ->op with them, outside the timed interval.
 */
#ifndef ZB_COUNTERS_H
#define ZB_COUNTERS_H

#include <linux/perf_event.h>
#include <stddef.h>


#define ZB_MAX_EVENTS		16

/* What `run` counts unless told otherwise. */
#define ZB_DEFAULT_EVENTS	"cycles,instructions,task-clock,page-faults,context-switches,cpu-migrations"
#define ZB_DEFAULT_TRACE	"tlb:tlb_flush,exceptions:page_fault_user,ipi:ipi_send_cpu," \
				"irq_vectors:call_function_single_entry"
/* Added to --trace default where zaptest.ko is loaded (the scripts/vm guest). */
#define ZB_ZAPTEST_TRACE	"zaptest:zaptest_revoke_end,zaptest:zaptest_fault"

enum zb_ev_kind {
	ZB_EV_PERF,
	ZB_EV_TRACE,
};

struct zb_event {
	char name[64];			/* as given; the JSON key */
	enum zb_ev_kind kind;
	int ok;				/* opened by the probe */
	char why[160];			/* why not */
	struct perf_event_attr attr;
};

struct zb_counters {
	int nr;
	struct zb_event ev[ZB_MAX_EVENTS];
	int nr_ok;
	int paranoid;			/* /proc/sys/kernel/perf_event_paranoid */
	int exclude_kernel;
	/* Tracepoints on every CPU (pid -1), else on the timed task only. */
	int trace_system_wide;
	char trace_scope_why[160];
};

/*
 * Resolve and probe comma-separated lists ("none" or NULL: nothing).
 * @strict_trace: a tracepoint this kernel lacks is an error (the user
 * named it), not just unavailable (the default set).  On a bad name,
 * -EINVAL and one line in @why.
 */
int zb_counters_plan(struct zb_counters *cs, const char *events, const char *trace,
		     int strict_trace, char *why, size_t len);
/* The record's context.counters description. */
/* "counters per op: ...; unavailable: cycles (...)" for the table. */
void zb_counters_footer(const struct zb_counters *cs, char *buf, size_t len);

/* One worker's groups: planned (what to open), then open. */
struct zb_cgroup {
	int fd;				/* leader; -1 until open */
	int cpu;			/* -1: the task, wherever it runs */
	int pid;			/* -1: every task on @cpu; 0: this one */
	enum zb_ev_kind kind;		/* its events: the ok ones of this kind... */
	int only;			/* ...or just ev[only], when >= 0 */
	int nr;				/* open members */
	int slot[ZB_MAX_EVENTS];	/* index into zb_counters.ev */
};

struct zb_cset {
	const struct zb_counters *cs;
	int nr;				/* groups open, the first nr of g */
	int nr_planned;
	/*
	 * A tracepoint group per CPU of the machine (system-wide) or one for
	 * the task, the hardware group, a group per software event.
	 */
	struct zb_cgroup *g;
	int system_wide;		/* as opened, see zb_cset_open() */
	double bracket[ZB_MAX_EVENTS];	/* trimmed-mean count of an empty bracket */
};

/* One op's counts, scaled if the group was multiplexed. */
struct zb_counts {
	double v[ZB_MAX_EVENTS];
	unsigned char valid[ZB_MAX_EVENTS];
	int scaled;
};

/*
 * The groups zb_cset_open() opens, on a machine whose CPUs are numbered
 * 0..@ncpu-1: the system-wide tracepoint groups this CPU's last.  Only
 * events the plan found available get a group.  Nothing is opened.
 */
int zb_cset_plan(struct zb_cset *s, const struct zb_counters *cs, int cpu, int system_wide,
		 int ncpu);
/*
 * Open every available event for the calling thread, on @cpu.  With
 * @system_wide (and a plan that allows it) tracepoints count on every
 * CPU: only right when this is the only timed worker.
 */
int zb_cset_open(struct zb_cset *s, const struct zb_counters *cs, int cpu, int system_wide);
void zb_cset_close(struct zb_cset *s);
/* Reset and enable: peer CPUs first, this one last (see cset.c). */
void zb_cset_start(struct zb_cset *s);
/* Disable (this CPU first) and read; the empty-bracket counts subtracted. */
void zb_cset_stop(struct zb_cset *s, struct zb_counts *c);
/* Measure what an empty bracket counts; zb_cset_stop subtracts it. */
void zb_cset_calibrate(struct zb_cset *s, void (*region)(void *), void *arg);

#endif
