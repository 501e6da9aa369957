// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench selftest: measure how often compare is wrong, on this machine.
 *
 * For a few fast cases, repetitions of two configurations are run
 * interleaved (A B A B ...), so drift hits both alike, then compared the
 * way `zapbench compare` does.  With A = B (A/A), every verdict other than
 * "no significant change" is a false positive.  With B = A plus an
 * injected slowdown of X % (a busy-wait inside the timed region),
 * "REGRESSED" is a detection.  The threshold for an X % injection is X/2:
 * a detection must see at least half the effect, not just any effect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "inject.h"
#include "params.h"
#include "registry.h"
#include "runner.h"
#include "util.h"

#define MAX_POINTS	8
#define MAX_REPS	32
#define AA_THRESHOLD	1.0		/* percent: the smallest threshold we use */

static const char *const points[] = {
	"open/close/target:dev_null/paths:same/cpus:1/mode:process",
	"fault/touch/kind:shared/cpus:1/mode:process",
	"fault/touch/kind:anon/cpus:1/mode:process",
	"revoke/punch/maps:10/populate:yes",
	"revoke/ftruncate/maps:100/populate:no",
};

struct selftest {
	int trials, reps, quick, verbose;
	double sizes[4];
	int nr_sizes;
	struct zb_options o;
	const struct zb_case *c[MAX_POINTS];
	struct zb_point pt[MAX_POINTS];
	int n;
};

static const char usage[] =
	"usage: zapbench selftest [--quick] [--trials N] [--reps N] [--verbose]\n\n"
	"Measures compare's false-positive rate (A/A runs) and its power to detect an\n"
	"injected slowdown (5 %, and 2 % without --quick) on this machine, with\n"
	"interleaved repetitions.  Exit 0 if FPR <= 5 % and power >= 95 %, else 1.\n"
	"--quick takes about a minute here.  --verbose prints every case's change and\n"
	"p-value per trial.  Run it on a quiet machine: other load is noise, and the\n"
	"rates measure exactly that.\n";

static int parse(struct selftest *st, int argc, char **argv)
{
	int i, m;
	long v;
	const char *s;

	st->trials = 0;
	st->reps = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			exit(ZB_EXIT_OK);
		}
		if (!strcmp(argv[i], "--quick")) {
			st->quick = 1;
		} else if (!strcmp(argv[i], "--verbose")) {
			st->verbose = 1;
		} else if ((m = cli_value(argc, argv, &i, "--trials", &s))) {
			if (m < 0 || cli_long("--trials", s, 1, 1000, &v))
				return -EINVAL;
			st->trials = (int)v;
		} else if ((m = cli_value(argc, argv, &i, "--reps", &s))) {
			if (m < 0 || cli_long("--reps", s, ZB_CMP_MIN_REPS, MAX_REPS, &v))
				return -EINVAL;
			st->reps = (int)v;
		} else {
			zb_err("unknown option '%s' (see zapbench selftest --help)", argv[i]);
			return -EINVAL;
		}
	}
	if (!st->trials)
		st->trials = st->quick ? 10 : 20;
	if (!st->reps)
		/*
		 * Measured here: 7 repetitions gave 92 % power at +5 %, 9 gave
		 * 94 %, 12 gave 100 % (a disturbed repetition costs a rank test
		 * more when there are few).
		 */
		st->reps = st->quick ? 12 : 15;
	st->sizes[st->nr_sizes++] = 0;
	st->sizes[st->nr_sizes++] = 5;
	if (!st->quick)
		st->sizes[st->nr_sizes++] = 2;
	return 0;
}

static int setup(struct selftest *st)
{
	char why[256];
	size_t i;

	st->o.min_time = st->quick ? 0.02 : 0.05;
	st->o.repetitions = 1;
	st->o.warmup = 3;
	st->o.min_samples = 10;
	st->o.max_samples = 1000000;
	if (zb_timer_init(&st->o.timer, ZB_CLOCK_TSC))
		zb_timer_init(&st->o.timer, ZB_CLOCK_MONOTONIC);
	if (zb_cpus_load(&st->o.cpus))
		return -ENODEV;
	zb_nproc = st->o.cpus.n;
	for (i = 0; i < ZB_ARRAY_SIZE(points); i++) {
		if (zb_point_parse(zb_all_cases(), points[i], &st->c[st->n], &st->pt[st->n],
				   why, sizeof(why))) {
			zb_err("selftest: %s", why);
			return -EINVAL;
		}
		st->n++;
	}
	return 0;
}

/* One repetition's median, or a negative errno if the point did not run. */
static int median_of_run(const struct zb_case *c, const struct zb_point *pt,
			 const struct zb_options *o, double *med)
{
	struct zb_result r;
	int err = zb_run_point(c, pt, 0, o, &r);

	if (!err && r.status != ZB_OK) {
		zb_err("selftest: %s: %s", r.name, r.msg[0] ? r.msg : "did not run");
		err = -EIO;
	}
	*med = r.sum.median;
	zb_result_free(&r);
	return err;
}

static void side_json(struct zb_json *j, const struct selftest *st,
		      double v[][MAX_REPS])
{
	char name[256];
	int p, k;

	zb_json_obj_begin(j, NULL);
	zb_json_arr_begin(j, "benchmarks");
	for (p = 0; p < st->n; p++) {
		zb_point_name(st->c[p], &st->pt[p], name, sizeof(name));
		for (k = 0; k < st->reps; k++) {
			zb_json_obj_begin(j, NULL);
			zb_json_str(j, "name", name);
			zb_json_str(j, "run_type", "iteration");
			zb_json_num(j, "real_time", v[p][k]);
			zb_json_obj_end(j);
		}
	}
	zb_json_arr_end(j);
	zb_json_obj_end(j);
}

/* Compare the two sides as `zapbench compare` would; count the calls. */
static int judge(const struct selftest *st, double a[][MAX_REPS], double b[][MAX_REPS],
		 double threshold, enum zb_verdict want, int *hits)
{
	struct zb_cmp_opts o = { threshold, 0.05, ZB_CORR_HOLM, 200 };
	struct zb_json ja, jb;
	struct zb_jval va, vb;
	const struct zb_jval *pa = &va, *pb = &vb;
	struct zb_cmp c;
	int err, i;

	zb_json_init(&ja);
	zb_json_init(&jb);
	side_json(&ja, st, a);
	side_json(&jb, st, b);
	err = zb_json_parse(ja.buf, ja.len, &va, NULL, 0);
	if (!err) {
		err = zb_json_parse(jb.buf, jb.len, &vb, NULL, 0);
		if (err)
			zb_jval_free(&va);
	}
	zb_json_free(&ja);
	zb_json_free(&jb);
	if (err)
		return err;
	err = zb_compare(&pa, 1, &pb, 1, &o, &c);
	for (i = 0; !err && i < c.n; i++)
		if (st->verbose)
			printf("  %-60s  %+6.2f%%  p %.4f  adj %.4f  %s\n", c.rows[i].name,
				c.rows[i].change_pct, c.rows[i].p, c.rows[i].p_adj,
				zb_verdict_name(c.rows[i].verdict));
	for (i = 0; !err && i < c.n; i++)
		*hits += want == ZB_SAME ? c.rows[i].verdict != ZB_SAME :
					   c.rows[i].verdict == want;
	zb_cmp_free(&c);
	zb_jval_free(&va);
	zb_jval_free(&vb);
	return err;
}

static int trial(struct selftest *st, double size, int *hits)
{
	static double a[MAX_POINTS][MAX_REPS], b[MAX_POINTS][MAX_REPS];
	double pilot, threshold = size ? size / 2 : AA_THRESHOLD;
	int p, k, err;

	for (p = 0; p < st->n; p++) {
		const struct zb_case *slow = st->c[p];

		err = median_of_run(st->c[p], &st->pt[p], &st->o, &pilot);
		if (err)
			return err;
		if (size)
			slow = zb_inject_wrap(st->c[p], &st->o.timer, pilot * size / 100);
		for (k = 0; k < st->reps; k++) {
			err = median_of_run(st->c[p], &st->pt[p], &st->o, &a[p][k]);
			if (!err)
				err = median_of_run(slow, &st->pt[p], &st->o, &b[p][k]);
			if (err)
				return err;
		}
	}
	return judge(st, a, b, threshold, size ? ZB_REGRESSED : ZB_SAME, hits);
}

int cmd_selftest(int argc, char **argv)
{
	struct selftest st;
	int s, t, ok = 1;

	memset(&st, 0, sizeof(st));
	if (parse(&st, argc, argv) || setup(&st))
		return ZB_EXIT_USAGE;
	printf("zapbench selftest%s: %d cases x %d trials, %d interleaved repetitions "
	       "a side of %.2g s\n", st.quick ? " (quick)" : "", st.n, st.trials, st.reps,
	       st.o.min_time);
	printf("verdicts as zapbench compare: Mann-Whitney U on repetition medians, "
	       "holm over %d cases, alpha 0.05\n\n", st.n);
	printf("%-10s %9s %16s %8s   %s\n", "injected", "threshold", "flagged/tested",
	       "rate", "target");
	for (s = 0; s < st.nr_sizes; s++) {
		double size = st.sizes[s], rate;
		int hits = 0, pass;

		for (t = 0; t < st.trials; t++)
			if (trial(&st, size, &hits))
				return ZB_EXIT_FAIL;
		rate = 100.0 * hits / (st.trials * st.n);
		pass = size ? rate >= 95 : rate <= 5;
		ok &= pass;
		printf("%-10s %8.1f%% %7d/%-8d %7.1f%%   %s %s\n",
		       size ? (size == 5 ? "+5%" : "+2%") : "A/A (0%)",
		       size ? size / 2 : AA_THRESHOLD, hits, st.trials * st.n, rate,
		       size ? "power >= 95%" : "false positives <= 5%", pass ? "PASS" : "FAIL");
		fflush(stdout);
	}
	return ok ? ZB_EXIT_OK : ZB_EXIT_FAIL;
}
