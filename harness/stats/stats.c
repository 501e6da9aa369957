// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void zb_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double zb_percentile_sorted(const double *v, size_t n, double p)
{
	double h, frac;
	size_t i;

	if (!n)
		return NAN;
	h = (double)(n - 1) * p / 100.0;
	i = (size_t)h;
	if (i >= n - 1)
		return v[n - 1];
	frac = h - (double)i;
	return v[i] + frac * (v[i + 1] - v[i]);
}

/* log P(B = k) for B ~ binomial(n, 1/2) */
static double log_binom_half(size_t n, size_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) -
	       lgamma((double)(n - k) + 1) - (double)n * M_LN2;
}

/*
 * Largest k with P(B < k) <= alpha/2: then [X(k), X(n-1-k)] (0-based)
 * covers the median with probability 1 - 2 P(B < k) >= level.  Summed
 * from the tail in linear space; the terms are tiny but well scaled.
 */
int zb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi)
{
	double tail = (1.0 - level) / 2.0, cdf = 0;
	double skip = 20.0 * sqrt((double)n);
	size_t k = 0;

	/* Terms more than 40 sd below the mean are < 1e-300: start past them. */
	if ((double)n / 2 > skip)
		k = (size_t)((double)n / 2 - skip);
	for (; k < n / 2; k++) {
		double next = cdf + exp(log_binom_half(n, k));

		if (next > tail)
			break;
		cdf = next;
	}
	/* k = 0 means even the extremes do not reach the level. */
	if (k == 0 || k >= n / 2)
		return -EDOM;
	*lo = k - 1;
	*hi = n - k;
	return 0;
}

int zb_summarize(double *v, size_t n, struct zb_summary *s)
{
	double sum = 0, sq = 0;
	size_t i, lo, hi;

	s->n = n;
	if (!n)
		return -EDOM;
	zb_sort(v, n);
	for (i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	s->min = v[0];
	s->max = v[n - 1];
	s->median = zb_percentile_sorted(v, n, 50);
	s->p90 = zb_percentile_sorted(v, n, 90);
	s->p99 = zb_percentile_sorted(v, n, 99);
	s->ci_lo = NAN;
	s->ci_hi = NAN;
	if (!zb_median_ci_ranks(n, 0.95, &lo, &hi)) {
		s->ci_lo = v[lo];
		s->ci_hi = v[hi];
	}
	return 0;
}

int zb_linfit(const double *x, const double *y, size_t n, struct zb_fit *f)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;
	size_t i;

	f->n = n;
	if (n < 2)
		return -EDOM;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return -EDOM;
	f->slope = sxy / sxx;
	f->intercept = my - f->slope * mx;
	f->r2 = syy > 0 ? sxy * sxy / (sxx * syy) : 1.0;
	return 0;
}

/*
 * y = slope * x + intercept minimising relative residuals (weights
 * 1 / y^2).  Over N from 1 to 10^5 plain least squares is decided by the
 * largest N alone and its intercept can be off 100x at N = 1; here every
 * point counts for its relative error.  r2 is the weighted one.
 */
int zb_linfit_rel(const double *x, const double *y, size_t n, struct zb_fit *f)
{
	double w, sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, d, mean, ss = 0, sr = 0;
	size_t i;

	f->n = n;
	for (i = 0; i < n; i++) {
		if (!(y[i] > 0))
			return -EDOM;
		w = 1 / (y[i] * y[i]);
		sw += w;
		sx += w * x[i];
		sy += w * y[i];
		sxx += w * x[i] * x[i];
		sxy += w * x[i] * y[i];
	}
	d = sw * sxx - sx * sx;
	if (n < 2 || !(d > 0) || !isfinite(d))
		return -EDOM;
	f->slope = (sw * sxy - sx * sy) / d;
	f->intercept = (sy - f->slope * sx) / sw;
	mean = sy / sw;
	for (i = 0; i < n; i++) {
		double r = y[i] - (f->intercept + f->slope * x[i]);

		w = 1 / (y[i] * y[i]);
		ss += w * (y[i] - mean) * (y[i] - mean);
		sr += w * r * r;
	}
	f->r2 = ss > 0 ? 1 - sr / ss : NAN;
	return 0;
}

void zb_vals_add(struct zb_vals *s, double v)
{
	if (s->n < ZB_VALS_MAX)
		s->v[s->n++] = v;
}

double zb_vals_median(struct zb_vals *s)
{
	zb_sort(s->v, (size_t)s->n);
	return zb_percentile_sorted(s->v, (size_t)s->n, 50);
}
