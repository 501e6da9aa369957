/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Samples to a summary.  Percentiles interpolate linearly between order
 * statistics (Hyndman & Fan type 7, numpy's default), so p50 of an even
 * count is the mean of the two middle values.  The confidence interval
 * of the median is distribution-free: the pair of order statistics whose
 * binomial(n, 1/2) coverage is at least the level asked for.
 */
#ifndef ZB_STATS_H
#define ZB_STATS_H

#include <stddef.h>

struct zb_summary {
	size_t n;
	double min, max, mean, stddev;
	double median, p90, p99;
	double ci_lo, ci_hi;		/* 95 % CI of the median; NaN if n < 6 */
};

struct zb_fit {
	size_t n;
	double slope, intercept, r2;
};

void zb_sort(double *v, size_t n);
/* @v sorted ascending, @p in [0, 100]. */
double zb_percentile_sorted(const double *v, size_t n, double p);
/*
 * 0-based ranks lo <= hi into the sorted sample such that
 * P(X(lo) <= median <= X(hi)) >= @level; -EDOM when n is too small.
 */
int zb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi);
/* Sorts @v in place. */
int zb_summarize(double *v, size_t n, struct zb_summary *s);
/* Ordinary least squares y = slope * x + intercept; -EDOM if x is constant. */
int zb_linfit(const double *x, const double *y, size_t n, struct zb_fit *f);
/* The same with relative residuals (weights 1/y^2); -EDOM if y <= 0. */
int zb_linfit_rel(const double *x, const double *y, size_t n, struct zb_fit *f);

/*
 * Values recorded beside the samples (an ioctl's wall time, say), kept to
 * report their median: one descheduled call must not move it.
 */
#define ZB_VALS_MAX	4096

struct zb_vals {
	double v[ZB_VALS_MAX];
	long n;
};

/* Keeps the first ZB_VALS_MAX values. */
void zb_vals_add(struct zb_vals *s, double v);
/* Sorts the values kept; NAN if none. */
double zb_vals_median(struct zb_vals *s);

#endif
