/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner's shared state, for the files that drive a case's hooks:
 * runner.c (conductor and workers), measure.c (one timed op) and solo.c
 * (one worker in the calling process, for the Google Benchmark shim).
 */
#ifndef ZB_RUN_PRIV_H
#define ZB_RUN_PRIV_H

#include <stdint.h>

#include "core/perf.h"
#include "core/runner.h"
#include "core/tput.h"
#include "counters/counters.h"

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax()	__builtin_ia32_pause()
#else
#define cpu_relax()	sched_yield()
#endif

struct wstat {
	long n;				/* samples kept */
	double busy_ns;
	double faults;
	long preempted;
	long below_floor;
	int done;
	int self_timed;			/* ->op called zb_sample_ns() */
	int self_timed_any;		/* ... for any sample of the point */
	double self_ns;
	double inject_carry;		/* ticks the last injected wait overshot */
	/* Counter sums over the samples that had a valid count. */
	double ctr[ZB_MAX_EVENTS];
	long ctr_n[ZB_MAX_EVENTS];
	long ctr_scaled;
	double ctr_bracket[ZB_MAX_EVENTS];
	int ctr_system_wide;
	/*
	 * The throughput loop's count, bumped every iteration: last, on a
	 * cache line of its own (the struct is padded to the line), so no
	 * other worker's writes bounce it.
	 */
	volatile uint64_t tput_iters __attribute__((aligned(64)));
};

/* Everything the conductor, the workers and the parent share. */
struct zb_run {
	volatile int stop;		/* parent: interrupted, wind down */
	volatile int abort;		/* a worker failed: everybody out */
	volatile int peers_stop;	/* timed workers are done */
	volatile int arrived;		/* start barrier */
	volatile int go;		/* ... opened by the last to arrive */
	volatile int sampling_left;	/* timed workers not done sampling */
	volatile int timed_left;
	volatile int msg_taken;
	volatile int nr_notes;
	char notes_lock;		/* zb_note(): workers of one point, any mode */
	/* The throughput phase (core/tput.c). */
	volatile int tput_arrived;	/* timed workers done sampling */
	volatile int tput_go, tput_stop;
	int tput_efd;			/* the last arrival wakes the conductor */
	int tput_n;			/* intervals measured */
	double tput_s[ZB_TPUT_MAX_INTERVALS];		/* each one's wall seconds */
	double tput_ops[ZB_TPUT_MAX_INTERVALS];		/* iterations, all tasks */
	double tput_least[ZB_TPUT_MAX_INTERVALS];	/* the slowest task's */
	int skipped;
	int err;
	char msg[512];
	struct zb_note notes[ZB_MAX_NOTES];
	struct zb_perf perf;		/* --perf-record: on if perf.data[0] */
	/* Not shared: the same in every copy because set before fork. */
	const struct zb_case *c;
	const struct zb_point *pt;
	const struct zb_options *o;
	enum zb_mode mode;
	int nr_workers, nr_timed;
	void *shared;
	double *samples;		/* nr_timed * o->max_samples */
	struct wstat w[];		/* nr_workers: as many as the point asks */
};

/* What one op measured. */
struct zb_op_sample {
	double ns;			/* per operation, empty region subtracted */
	double raw_ns;			/* the whole ->op call */
	long minflt;
	int preempted;
	struct zb_counts ctr;
};

/* Open @cs's counters for worker @w (on its thread, pinned) and calibrate them. */
void zb_measure_open(struct zb_worker *w, struct zb_cset *cs);
/* ->prepare, then the timed ->op bracketed by the counters. */
int zb_measure_op(struct zb_worker *w, struct zb_cset *cs, struct zb_op_sample *m);

/* The shared run state for @c at @pt: control, ->shared, samples. */
struct zb_run *zb_run_map(const struct zb_case *c, const struct zb_point *pt,
			  const struct zb_options *o, int nr_workers, int nr_timed,
			  size_t *len);

#endif
