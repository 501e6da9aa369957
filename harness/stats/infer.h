/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interval estimates of a change between two configurations, from rounds.
 *
 * The unit is the round: one value per round and side (a round's median,
 * on a log scale, so a shift is a ratio).  Paired rounds (A and B adjacent
 * in time) give differences d_i = log(B_i / A_i): the Wilcoxon signed-rank
 * family.  Unpaired rounds (a stored baseline) give two samples: the
 * Mann-Whitney family.  Both estimate the shift by Hodges-Lehmann and
 * invert the exact rank test into a distribution-free confidence interval;
 * the p-value is the one dual to that interval, so "the CI excludes 0" and
 * "p <= 1 - level" always agree.  The interval is closed, so a Walsh
 * average or difference equal to 0 counts on both sides of 0 in the p.
 */
#ifndef ZB_INFER_H
#define ZB_INFER_H

#include <stddef.h>

#include "stats/compare_stats.h"

/* Exact null distributions up to this many pairs / values per side. */
#define ZB_INFER_EXACT_MAX	60

struct zb_est {
	double est;			/* Hodges-Lehmann shift (same scale as input) */
	double lo, hi;			/* CI at the level asked; -INF/+INF: too few units */
	double p;			/* two-sided p of "shift = 0", dual to the CI */
	double level;			/* the level the CI has (asked for) */
	int n, m;			/* pairs (n), or sizes of the two samples (n, m) */
	int exact;			/* exact null distribution, else normal approx. */
};

/*
 * Paired: shift of @d (d_i = y_i - x_i), n >= 1.  Both return -EDOM for an
 * empty sample, a value that is not finite, or a level outside (0, 1).
 */
int zb_signed_rank_est(const double *d, size_t n, double level, struct zb_est *e);
/* Unpaired: shift of @y against @x (y - x). */
int zb_rank_sum_est(const double *x, size_t nx, const double *y, size_t ny, double level,
		    struct zb_est *e);

/*
 * Exact null distributions, P(T+ <= u) for u in 0..n(n+1)/2 and P(U <= u)
 * for u in 0..n m, in an array the caller frees; NULL above
 * ZB_INFER_EXACT_MAX or without memory.
 */
double *zb_signed_rank_cdf(int n);
double *zb_rank_sum_cdf(int n, int m);

/* Smallest two-sided p the exact tests can reach: 2/2^n and 2/C(n+m, n). */
double zb_signed_rank_min_p(int n);
double zb_rank_sum_min_p(int n, int m);

/* Inverse of the standard normal CDF; the Student t quantile. */
double zb_norm_quantile(double p);
double zb_t_quantile(double p, double df);

/*
 * Minimum detectable effect: the smallest true shift (same scale as @sd)
 * that a two-sided test at @level detects with probability @power, for
 * paired rounds (@m == 0: @n pairs, @sd the sd of one difference) or
 * unpaired (@n and @m rounds, @sd the sd of one round's value).  Uses the
 * t quantile, and is INFINITY where the exact rank test cannot reach
 * 1 - @level at all with these sizes (or @sd is not finite); NaN for a
 * @level or @power outside (0, 1).
 */
double zb_mde(double sd, int n, int m, double level, double power);
/*
 * Rounds (pairs when @paired, else per side with equal sides) for
 * zb_mde() <= @shift, or -1 if more than @cap would be needed or @sd is NaN.
 */
int zb_rounds_needed(double sd, double shift, int paired, double level, double power, int cap);

/*
 * Multiple comparisons over @m points with two-sided p-values @p: which
 * are rejected at family level @alpha, and the confidence level each
 * point's interval must have so that "interval excludes 0" gives the same
 * decisions.  Holm: point at step k (k-th smallest p) gets
 * 1 - alpha/(m - k + 1) while the steps before it rejected, and the level
 * of the first non-rejected step afterwards.  BH: every point gets the
 * FCR-adjusted level 1 - R alpha / m (R rejections, at least 1).  None:
 * 1 - alpha.  A NaN p (a point without an estimate) is never rejected and
 * does not count in m; it gets the level of the first non-rejected step
 * (1 - alpha if every other point is rejected) or the BH level.
 */
int zb_adjusted_levels(const double *p, size_t m, double alpha, enum zb_correction c,
		       double *level, int *reject);

#endif
