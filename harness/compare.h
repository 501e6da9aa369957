/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing two sets of result records case by case.
 *
 * The unit of comparison matters more than the test.  Within one run,
 * thousands of samples make any drift "significant"; between runs, this
 * VM's medians move 4-17 %.  So when each side has >= 3 repetitions of
 * a case (--repetitions, or several records per side, or --interleave)
 * we compare the repetition medians: independent measurements of the
 * whole run-to-run noise.  With fewer we fall back to the raw samples and
 * say that the p-value then ignores run-to-run drift.
 */
#ifndef ZB_COMPARE_H
#define ZB_COMPARE_H

#include "compare_stats.h"
#include "json.h"

#define ZB_CMP_MAX_RECORDS	64
#define ZB_CMP_MIN_REPS		3

enum zb_verdict {
	ZB_SAME,			/* no significant change */
	ZB_REGRESSED,
	ZB_IMPROVED,
	ZB_MISSING,			/* in base only */
	ZB_ADDED,			/* in new only */
	ZB_STRESS,			/* a correctness stress: latency not judged */
};

struct zb_cmp_opts {
	double threshold_pct;		/* minimum |%change| to call a change */
	double alpha;
	enum zb_correction corr;
	int boot_iters;
};

struct zb_cmp_row {
	char name[256];
	enum zb_verdict verdict;
	int by_reps;			/* unit: repetition medians, else samples */
	size_t n_base, n_new;
	double base, new_;		/* medians, ns */
	double base_sd_pct, new_sd_pct;	/* stddev (reps) or MAD (samples), % of median */
	double change_pct;
	double ci_lo_pct, ci_hi_pct;	/* bootstrap CI of the change */
	double p, p_adj;
};

struct zb_cmp {
	struct zb_cmp_row *rows;
	int n;
	int nr_tested;
	int counts[6];			/* by verdict */
	char warnings[8][256];		/* machines, kernels, clocksources differ */
	int nr_warnings;
	int single_run;			/* some case compared on samples */
};

/* Each side: one or more parsed records (zapbench-result JSON). */
int zb_compare(const struct zb_jval *const *base, int nb, const struct zb_jval *const *new_,
	       int nn, const struct zb_cmp_opts *o, struct zb_cmp *out);
void zb_cmp_free(struct zb_cmp *c);
const char *zb_verdict_name(enum zb_verdict v);

#endif
