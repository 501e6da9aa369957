/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics behind `zapbench compare`: a rank test that makes no
 * assumption about the latency distribution, a bootstrap interval for
 * the change of the median, and multiple-comparison control across cases.
 */
#ifndef ZB_COMPARE_STATS_H
#define ZB_COMPARE_STATS_H

#include <stddef.h>

struct zb_mwu {
	double u;			/* U of the first sample */
	double p;			/* two-sided */
	int exact;			/* exact null distribution, else normal approx. */
};

/*
 * Mann-Whitney U test of @a against @b (neither modified).  Exact p when
 * both samples have <= 20 values and there are no ties; otherwise the
 * normal approximation with tie and continuity corrections (as scipy's
 * mannwhitneyu(method="asymptotic")).
 */
int zb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct zb_mwu *r);

/*
 * Percentile bootstrap of median(b) - median(a), @iters resamples with a
 * fixed @seed so a comparison is reproducible.
 */
int zb_bootstrap_median_diff(const double *a, size_t na, const double *b, size_t nb,
			     int iters, unsigned long long seed, double level,
			     double *lo, double *hi);

enum zb_correction {
	ZB_CORR_NONE,
	ZB_CORR_HOLM,			/* family-wise error rate */
	ZB_CORR_BH,			/* false discovery rate (Benjamini-Hochberg) */
};

/* Adjusted p-values, in place order preserved. */
int zb_adjust_p(const double *p, double *adj, size_t n, enum zb_correction c);
const char *zb_correction_name(enum zb_correction c);
int zb_correction_parse(const char *s, enum zb_correction *c);

/* Median absolute deviation scaled to a normal sd (x 1.4826). */
double zb_mad(const double *v, size_t n);

#endif
