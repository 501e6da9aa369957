/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rounds of two (or more) configurations, alternating in time.
 *
 * A side is one zapbench invocation: a binary, extra `run` options and
 * environment.  A round starts every side at once, a fresh process each
 * (so each round gets its own address-space layout), and each writes its
 * own record (DIR/round-NN-<label>.json).  The sides then take turns point
 * by point (`run --step-fd`: a side says "ready" before every point and
 * waits for its go): A B | B A | A B ... (ABBA) for two sides, a rotation
 * that reverses every other step for more.  So A's and B's runs of one
 * point are adjacent, and a drift of the machine over seconds, which
 * moves a point's round median far more than its own samples do, hits
 * both alike.  Every wait is bounded: a side that takes longer than the
 * timeout for one point is killed.  Kernels booted in the guest are sides
 * of the same shape (next step).
 */
#ifndef ZB_AB_RUN_H
#define ZB_AB_RUN_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define AB_MAX_SIDES	4
#define AB_MAX_ARGS	64
#define AB_MAX_ENV	16

/*
 * What `ab` runs by default, and selftest measures.  Rounds: the exact
 * signed-rank interval excludes 0 only once 2/2^n is below the adjusted
 * level, and 2/2^12 is about 0.05/74, the first Holm step over the quick
 * suite's gated points.  At that level the interval drops only the k most
 * extreme Walsh averages (k = 3 at 14 rounds), so one disturbed round
 * hides a real change; the quick suite's 24 rounds (k = 37) fit in 3
 * minutes on a 2-vCPU VM (datasets/reference/verdicts/).
 */
#define AB_DEFAULT_ROUNDS	14
#define AB_QUICK_ROUNDS		24
#define AB_QUICK_MIN_TIME	0.02
#define AB_DEFAULT_TIMEOUT	900

struct ab_side {
	char label[8];			/* "a", "b", ... in file names */
	const char *bin;		/* default: this zapbench */
	const char *kernel;		/* a kernel side: boot this image (ab_boot.c) */
	const char *kdir;		/* its build tree for the module; NULL: derived */
	char *spec;			/* its --kernel IMAGE[:KDIR], malloc()ed: both point in */
	char *args[AB_MAX_ARGS];	/* extra run options, split like a shell would */
	int nr_args;
	const char *env[AB_MAX_ENV];	/* K=V */
	int nr_env;
};

/* What other processes did to the machine during the rounds (cpuload.h). */
struct ab_load {
	int rounds;			/* whose /proc snapshots were usable */
	double wall_s, others_s, kthreads_s, steal_s;
	double worst_s;			/* the busiest round's other CPU seconds */
	int worst_round;		/* 1-based */
};

struct ab_plan {
	struct ab_side side[AB_MAX_SIDES];
	int nr_sides;
	int rounds;
	const char *dir;
	const char *filter;
	int quick;
	double min_time;		/* per round and point; 0: run's default */
	double timeout_s;		/* per point of a side (and its start and end) */
	int verbose;			/* progress lines on stderr */
	struct ab_load *load;		/* filled by ab_run() when not NULL */
	int start;			/* rounds already done: ab_run() goes on from here */
	const char *vm;			/* kernel sides: the scripts/vm that boots them */
	const char *vm_cpus;		/* kernel sides: the guest's CPUs (-s); NULL: default */
	int overcommit;			/* kernel sides: -s beyond the host's CPUs anyway */
};

/*
 * What the command line left unset, ab's and selftest's defaults: the
 * rounds and the sampling time (--quick's when quick), the timeout, and
 * progress lines.  The sides' runs start from zb_options_init().
 */
void ab_plan_defaults(struct ab_plan *p);
/* Split @s like a shell (quotes, no expansion of commands) into @side's args. */
int ab_side_args(struct ab_side *side, const char *s, char *err, size_t len);
/* Frees what ab_side_args() and ab_kernel_spec() gave every side of @p. */
void ab_sides_free(struct ab_plan *p);
/* The record of side @s in round @k (0-based). */
void ab_round_path(const struct ab_plan *p, int k, int s, char *buf, size_t len);
/* The side that runs @pos-th in round @k. */
int ab_order(const struct ab_plan *p, int k, int pos);
/*
 * Run the rounds.  *@done counts the rounds completed (every side's record
 * written).  Returns 0; -EINTR when interrupted (completed rounds are kept);
 * another negative errno with one line in @err when a side failed or hung.
 */
int ab_run(const struct ab_plan *p, int *done, char *err, size_t len);
/*
 * Reap @pid within @timeout_s (after a ^C: SIGINT to its group, a grace,
 * then SIGKILL).  0, or -ETIME / -EINTR when it was killed.
 */
int ab_reap_pid(pid_t pid, int *status, double timeout_s);
/* A ^C or SIGTERM has come (ab_catch_signals()). */
int ab_stopping(void);
/*
 * Append to @argv (at @n) the `run` options every side gets after --out:
 * raw samples kept, --quick's, @filter, --min-time (printed into @mt),
 * then the side's own.  Returns the new count.
 */
int ab_run_args(const struct ab_plan *p, const struct ab_side *sd, const char *filter,
		char **argv, int n, char *mt, size_t len);
/* Whether @p's sides are kernels: one boot per side and round. */
int ab_kernel_sides(const struct ab_plan *p);
/* Round @k of kernel sides: each boots in turn, ABBA over the rounds (ab_boot.c). */
int ab_boot_round(const struct ab_plan *p, int k, char *err, size_t len);
/* @l, whose rounds are numbered from @first + 1, into @sum. */
void ab_load_add(struct ab_load *sum, const struct ab_load *l, int first);
/* One line on what else ran, and a warning when the machine was not quiet. */
void ab_load_print(FILE *f, const struct ab_load *l);
/* ^C and SIGTERM stop ab_run() after the running side. */
void ab_catch_signals(void);

#endif
