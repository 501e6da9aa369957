// SPDX-License-Identifier: GPL-2.0
/*
 * Hodges-Lehmann shifts with the confidence intervals of the inverted rank
 * tests, the effect those intervals can detect, and the levels that carry a
 * multiple-comparison correction over to them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats/infer.h"
#include "stats/stats.h"

/*
 * Null distribution of a rank statistic on 0..top: the exact table, or
 * (cdf NULL) the normal approximation with mean @mu, sd @sd.
 */
struct null_dist {
	double *cdf;
	long top;
	double mu, sd;
};

static double null_cum(const struct null_dist *d, long k)
{
	if (k < 0)
		return 0;
	if (k >= d->top)
		return 1;
	if (d->cdf)
		return d->cdf[k];
	/* Continuity correction: the statistic is an integer. */
	return 0.5 * erfc(-((double)k + 0.5 - d->mu) / (d->sd * M_SQRT2));
}

/* Largest k with P(stat <= k) <= @tail, -1 if none. */
static long null_k(const struct null_dist *d, double tail)
{
	long lo = -1, hi = d->top, mid;

	/* null_cum(lo) <= tail < null_cum(hi), as tail < 1. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (null_cum(d, mid) <= tail)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * From the @v[0..top) the statistic counts (T+ and U are the number of them
 * above 0) to the estimate, interval and p.  k is the largest with
 * P(stat <= k) <= alpha/2, and the interval [v_(k+1), v_(top-k)] excludes 0
 * exactly when at most k of them are <= 0 or at most k are >= 0: so the p
 * counts the values equal to 0 on both sides, and p <= alpha is that very
 * condition (2x <= alpha and x <= alpha/2 agree in floating point).
 */
static void finish(double *v, const struct null_dist *d, double level, struct zb_est *e)
{
	double alpha = 1 - level;
	long k, le = 0, ge = 0, i, n = d->top;

	zb_sort(v, (size_t)n);
	e->est = zb_percentile_sorted(v, (size_t)n, 50);
	e->level = level;
	k = null_k(d, alpha / 2);
	if (k < 0) {
		e->lo = -INFINITY;
		e->hi = INFINITY;
	} else {
		e->lo = v[k];
		e->hi = v[n - 1 - k];
	}
	for (i = 0; i < n; i++) {
		le += v[i] <= 0;
		ge += v[i] >= 0;
	}
	e->p = fmin(1, 2 * null_cum(d, le < ge ? le : ge));
}

static int all_finite(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

int zb_signed_rank_est(const double *d, size_t n, double level, struct zb_est *e)
{
	struct null_dist nd = { 0 };
	size_t i, j, top;
	double *w;

	if (!n || !(level > 0 && level < 1) || !all_finite(d, n))
		return -EDOM;
	if (n > 1 << 20)
		return -E2BIG;
	top = n * (n + 1) / 2;
	w = malloc(top * sizeof(*w));
	if (!w)
		return -ENOMEM;
	/* Walsh averages: T+ is the number of them above 0. */
	for (i = 0, top = 0; i < n; i++)
		for (j = i; j < n; j++)
			w[top++] = (d[i] + d[j]) / 2;
	nd.top = (long)top;
	e->exact = n <= ZB_INFER_EXACT_MAX;
	if (e->exact) {
		nd.cdf = zb_signed_rank_cdf((int)n);
		if (!nd.cdf) {
			free(w);
			return -ENOMEM;
		}
	} else {
		nd.mu = (double)top / 2;
		nd.sd = sqrt((double)n * ((double)n + 1) * (2 * (double)n + 1) / 24);
	}
	e->n = (int)n;
	e->m = 0;
	finish(w, &nd, level, e);
	free(nd.cdf);
	free(w);
	return 0;
}

int zb_rank_sum_est(const double *x, size_t nx, const double *y, size_t ny, double level,
		    struct zb_est *e)
{
	struct null_dist nd = { 0 };
	size_t i, j, top;
	double *dif;

	if (!nx || !ny || !(level > 0 && level < 1) || !all_finite(x, nx) || !all_finite(y, ny))
		return -EDOM;
	if (nx > 1 << 20 || ny > 1 << 20)
		return -E2BIG;
	top = nx * ny;
	dif = malloc(top * sizeof(*dif));
	if (!dif)
		return -ENOMEM;
	/* U (pairs where y beats x) is the number of differences above 0. */
	for (i = 0, top = 0; i < nx; i++)
		for (j = 0; j < ny; j++)
			dif[top++] = y[j] - x[i];
	nd.top = (long)top;
	e->exact = nx <= ZB_INFER_EXACT_MAX && ny <= ZB_INFER_EXACT_MAX;
	if (e->exact) {
		nd.cdf = zb_rank_sum_cdf((int)nx, (int)ny);
		if (!nd.cdf) {
			free(dif);
			return -ENOMEM;
		}
	} else {
		nd.mu = (double)top / 2;
		nd.sd = sqrt((double)top * ((double)nx + (double)ny + 1) / 12);
	}
	e->n = (int)nx;
	e->m = (int)ny;
	finish(dif, &nd, level, e);
	free(nd.cdf);
	free(dif);
	return 0;
}

double zb_mde(double sd, int n, int m, double level, double power)
{
	double alpha = 1 - level, df, se, min_p;

	if (!(level > 0 && level < 1) || !(power > 0 && power < 1))
		return NAN;
	if (!isfinite(sd))
		return INFINITY;
	sd = fmax(sd, 0);
	if (m == 0) {
		if (n < 2)
			return INFINITY;
		df = n - 1;
		se = sd / sqrt(n);
		min_p = zb_signed_rank_min_p(n);
	} else {
		if (n < 2 || m < 2)
			return INFINITY;
		df = n + m - 2;
		se = sd * sqrt(1.0 / n + 1.0 / m);
		min_p = zb_rank_sum_min_p(n, m);
	}
	/* The rank interval these rounds give is infinite: no shift is detected. */
	if (min_p > alpha)
		return INFINITY;
	return (zb_t_quantile(1 - alpha / 2, df) + zb_t_quantile(power, df)) * se;
}

int zb_rounds_needed(double sd, double shift, int paired, double level, double power, int cap)
{
	int lo = 2, hi = cap;

	if (isnan(sd) || isnan(shift) || cap < 2 ||
	    zb_mde(sd, cap, paired ? 0 : cap, level, power) > shift)
		return -1;
	/* zb_mde() only falls as rounds are added: bisect for the first that fits */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (zb_mde(sd, mid, paired ? 0 : mid, level, power) <= shift)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct idx_p {
	double p;
	size_t i;
};

static int cmp_idx_p(const void *a, const void *b)
{
	double x = ((const struct idx_p *)a)->p, y = ((const struct idx_p *)b)->p;

	return (x > y) - (x < y);
}

int zb_adjusted_levels(const double *p, size_t m, double alpha, enum zb_correction c,
		       double *level, int *reject)
{
	struct idx_p *o;
	size_t i, k, mf = 0, r = 0;
	double nan_level = 1 - alpha, lv = 1 - alpha;
	int stopped = 0;

	if (!(alpha > 0 && alpha < 1))
		return -EDOM;
	o = malloc((m ? m : 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	for (i = 0; i < m; i++) {
		if (level)
			level[i] = 1 - alpha;
		if (reject)
			reject[i] = 0;
		if (isfinite(p[i]))
			o[mf++] = (struct idx_p){ p[i], i };
	}
	qsort(o, mf, sizeof(*o), cmp_idx_p);
	if (c == ZB_CORR_HOLM) {
		/* Step k (0-based) tests at alpha/(mf - k) until one fails; then all stop. */
		for (k = 0; k < mf; k++) {
			if (!stopped) {
				lv = 1 - alpha / (double)(mf - k);
				stopped = !(o[k].p <= alpha / (double)(mf - k));
				if (stopped)
					nan_level = lv;
			}
			if (level)
				level[o[k].i] = lv;
			if (reject)
				reject[o[k].i] = !stopped;
		}
	} else if (c == ZB_CORR_BH) {
		/* R: the largest k with p_(k) <= k alpha / mf; those R are rejected. */
		for (k = 0; k < mf; k++)
			if (o[k].p <= (double)(k + 1) * alpha / (double)mf)
				r = k + 1;
		nan_level = 1 - (double)(r ? r : 1) * alpha / (double)(mf ? mf : 1);
		for (k = 0; k < mf; k++) {
			if (level)
				level[o[k].i] = nan_level;
			if (reject)
				reject[o[k].i] = k < r;
		}
	} else {
		for (k = 0; k < mf; k++)
			if (reject)
				reject[o[k].i] = o[k].p <= alpha;
	}
	for (i = 0; i < m && level; i++)
		if (!isfinite(p[i]))
			level[i] = nan_level;
	free(o);
	return 0;
}
