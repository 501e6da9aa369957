/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one point of a case.
 *
 * Each point runs in its own forked "conductor" process, so a case that
 * crashes, leaks mappings or changes limits cannot touch the next one,
 * and a crash is reported with its signal instead of ending the run.
 * The conductor runs ->setup, starts the workers (processes or threads,
 * one per CPU, pinned), releases them together from a barrier in shared
 * memory, and the timed workers write their samples straight into that
 * shared memory, where the parent reads them after the conductor exits.
 * The parent waits for the conductor at most the point timeout.
 */
#ifndef ZB_RUNNER_H
#define ZB_RUNNER_H

#include <stddef.h>

#include "case.h"
#include "core/cpus.h"
#include "core/inject.h"
#include "core/timer.h"
#include "counters/counters.h"
#include "stats/stats.h"

#define ZB_MAX_NOTES	16
/*
 * How long a point may take, setup to teardown, before its conductor is
 * killed (its workers die with it) and the point fails: generous, since
 * a point samples for seconds, but a hung op must not hang the run.
 */
#define ZB_POINT_TIMEOUT_S	600

struct zb_options {
	double min_time;		/* seconds of sampling per repetition */
	int repetitions;
	int warmup;			/* untimed-for-stats ops before sampling */
	long min_samples;
	long max_samples;		/* per timed worker */
	long keep_samples;		/* raw samples stored per record */
	int quick;
	double inject_pct;		/* --inject-slowdown: testing compare only */
	struct zb_inject inject;	/* the wait inject_pct asks for */
	struct zb_timer timer;
	struct zb_cpus cpus;
	const struct zb_counters *counters;	/* NULL: none */
	const char *tag;		/* --tag, recorded as context.tag; NULL: none */
	double point_timeout;		/* seconds; 0: ZB_POINT_TIMEOUT_S */
	/* The throughput phase of ZB_CASE_TPUT cases (core/tput.h); 0: none. */
	int tput_intervals;
	double tput_interval_s;
	/*
	 * --perf-record (core/perf.h): perf.data per point under perf_dir,
	 * named in the record as perf_rel/<file>; NULL: off.
	 */
	const char *perf_dir, *perf_rel;
	char perf_event[32];
};

/*
 * The run defaults every front-end starts from (zapbench run, the sides
 * ab and selftest start, zapbench-gbench), @quick's when set: sampling
 * and its bounds only; timer, CPUs and counters are the caller's.
 */
void zb_options_init(struct zb_options *o, int quick);
/* The seconds of sampling per point when none are asked for. */
double zb_default_min_time(int quick);
/* The throughput intervals per point when none are asked for. */
int zb_default_tput_intervals(int quick);

enum zb_status {
	ZB_OK,
	ZB_SKIPPED,
	ZB_FAILED,
	ZB_INTERRUPTED,
};

struct zb_note {
	char key[32];
	double value;
};

struct zb_result {
	const struct zb_case *c;
	struct zb_point point;
	char name[256];
	int rep;
	enum zb_status status;
	char msg[512];
	enum zb_mode mode;
	int nr_workers, nr_timed;
	int *cpu;			/* CPU of each worker, in order; nr_workers */
	struct zb_summary sum;		/* ns per op, pooled over timed workers */
	size_t total;			/* samples taken (after warm-up) */
	double *kept;			/* uniform subset, in the order taken */
	size_t nr_kept;
	double ops_per_sec;		/* sum over timed workers of n / busy time */
	/* will-it-scale's figure (core/tput.h); n 0: not measured. */
	struct {
		int n, tasks;
		double interval_s;
		double per_task, per_task_min, per_task_max;	/* ops/s, over intervals */
		double total;			/* ops/s, all tasks, median interval */
		double least_share;		/* slowest task / mean task, worst interval */
	} tput;
	double faults_per_op;		/* minor faults inside the timed region */
	double preempted;		/* fraction of samples that were preempted */
	double below_floor;		/* fraction below the timer's noise floor */
	int self_timed;			/* ->op timed itself (zb_sample_ns()) */
	double wall_s;
	/* Per op, mean over samples; NAN: not counted (see counters.h). */
	double ctr[ZB_MAX_EVENTS];
	double ctr_bracket[ZB_MAX_EVENTS];	/* what an empty bracket counted */
	double ctr_scaled;		/* fraction of samples multiplexed */
	int ctr_system_wide;		/* tracepoints counted on every CPU */
	int nr_notes;
	struct zb_note notes[ZB_MAX_NOTES];
	char perf_file[300];		/* under o->perf_dir; "": not profiled */
};

int zb_run_point(const struct zb_case *c, const struct zb_point *pt, int rep,
		 const struct zb_options *o, struct zb_result *r);
void zb_result_free(struct zb_result *r);

/* Set from a signal handler: running points stop, the run winds down. */
void zb_runner_interrupt(void);
int zb_runner_interrupted(void);

#endif
