// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/compare_stats.h"
#include "stats/stats.h"

#define EXACT_MAX	20

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	double a = ((const struct ranked *)x)->v, b = ((const struct ranked *)y)->v;

	return (a > b) - (a < b);
}

/*
 * Number of arrangements of m a's and n b's with U = u, for every u:
 * c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u).  Returns the
 * two-sided p of @u.  m, n <= EXACT_MAX keeps every count below 2^40.
 */
static double exact_p(size_t m, size_t n, double u)
{
	size_t i, j, k, umax = m * n;
	double *prev, *cur, *t, total = 0, tail = 0, lo;

	prev = calloc((n + 1) * (umax + 1), sizeof(double));
	cur = calloc((n + 1) * (umax + 1), sizeof(double));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NAN;
	}
	/* prev[j][k]: ways for i a's and j b's; start with i = 0: one way, U = 0. */
	for (j = 0; j <= n; j++)
		prev[j * (umax + 1)] = 1;
	for (i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * (umax + 1) * sizeof(double));
		cur[0] = 1;
		for (j = 1; j <= n; j++)
			for (k = 0; k <= i * j; k++)
				cur[j * (umax + 1) + k] =
					(k >= j ? prev[j * (umax + 1) + k - j] : 0) +
					cur[(j - 1) * (umax + 1) + k];
		t = prev;
		prev = cur;
		cur = t;
	}
	/* Two-sided: twice the smaller tail, capped at 1. */
	lo = fmin(u, (double)umax - u);
	for (k = 0; k <= umax; k++) {
		double c = prev[n * (umax + 1) + k];

		total += c;
		if ((double)k <= lo)
			tail += c;
	}
	free(prev);
	free(cur);
	return fmin(1.0, 2.0 * tail / total);
}

int zb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct zb_mwu *r)
{
	size_t n = na + nb, i, j;
	double ra = 0, ties = 0, mu, sigma, z;
	struct ranked *v;

	if (!na || !nb)
		return -EDOM;
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		v[i] = (struct ranked){ a[i], 1 };
	for (i = 0; i < nb; i++)
		v[na + i] = (struct ranked){ b[i], 0 };
	qsort(v, n, sizeof(*v), cmp_ranked);
	/* Average ranks over ties; sum t^3 - t for the variance correction. */
	for (i = 0; i < n; i = j) {
		double rank, t;
		size_t k;

		for (j = i + 1; j < n && v[j].v == v[i].v; j++)
			;
		t = (double)(j - i);
		rank = ((double)i + 1 + (double)j) / 2.0;
		for (k = i; k < j; k++)
			if (v[k].from_a)
				ra += rank;
		ties += t * t * t - t;
	}
	free(v);
	r->u = ra - (double)na * ((double)na + 1) / 2.0;
	if (na <= EXACT_MAX && nb <= EXACT_MAX && ties == 0) {
		r->exact = 1;
		r->p = exact_p(na, nb, r->u);
		return 0;
	}
	r->exact = 0;
	mu = (double)na * (double)nb / 2.0;
	sigma = sqrt((double)na * (double)nb / 12.0 *
		     (((double)n + 1) - ties / ((double)n * ((double)n - 1))));
	if (sigma == 0) {
		r->p = 1;
		return 0;
	}
	z = (fabs(r->u - mu) - 0.5) / sigma;
	r->p = fmin(1.0, erfc(fmax(z, 0) / M_SQRT2));
	return 0;
}

/* xorshift64*: small, fast, and the same sequence everywhere. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static double resample_median(const double *v, size_t n, double *tmp, uint64_t *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = v[next_rand(s) % n];
	zb_sort(tmp, n);
	return zb_percentile_sorted(tmp, n, 50);
}

int zb_bootstrap_median_diff(const double *a, size_t na, const double *b, size_t nb,
			     int iters, unsigned long long seed, double level,
			     double *lo, double *hi)
{
	double *tmp, *d;
	uint64_t s = seed ? seed : 0x9e3779b97f4a7c15ULL;
	int i;

	if (!na || !nb || iters < 10)
		return -EDOM;
	tmp = malloc((na > nb ? na : nb) * sizeof(*tmp));
	d = malloc((size_t)iters * sizeof(*d));
	if (!tmp || !d) {
		free(tmp);
		free(d);
		return -ENOMEM;
	}
	for (i = 0; i < iters; i++)
		d[i] = resample_median(b, nb, tmp, &s) - resample_median(a, na, tmp, &s);
	zb_sort(d, (size_t)iters);
	*lo = zb_percentile_sorted(d, (size_t)iters, 100 * (1 - level) / 2);
	*hi = zb_percentile_sorted(d, (size_t)iters, 100 * (1 + level) / 2);
	free(tmp);
	free(d);
	return 0;
}

struct idx_p {
	double p;
	size_t i;
};

static int cmp_idx_p(const void *x, const void *y)
{
	double a = ((const struct idx_p *)x)->p, b = ((const struct idx_p *)y)->p;

	return (a > b) - (a < b);
}

int zb_adjust_p(const double *p, double *adj, size_t n, enum zb_correction c)
{
	struct idx_p *o;
	double run;
	size_t k;

	if (c == ZB_CORR_NONE || n == 0) {
		memmove(adj, p, n * sizeof(*p));
		return 0;
	}
	o = malloc(n * sizeof(*o));
	if (!o)
		return -ENOMEM;
	for (k = 0; k < n; k++)
		o[k] = (struct idx_p){ p[k], k };
	qsort(o, n, sizeof(*o), cmp_idx_p);
	if (c == ZB_CORR_HOLM) {
		/* step-down: max over j <= k of (n - j) p(j) */
		run = 0;
		for (k = 0; k < n; k++) {
			run = fmax(run, (double)(n - k) * o[k].p);
			adj[o[k].i] = fmin(1.0, run);
		}
	} else {
		/* step-up: min over j >= k of n p(j) / (j + 1) */
		run = 1;
		for (k = n; k-- > 0;) {
			run = fmin(run, (double)n * o[k].p / (double)(k + 1));
			adj[o[k].i] = run;
		}
	}
	free(o);
	return 0;
}

const char *zb_correction_name(enum zb_correction c)
{
	static const char *const names[] = { "none", "holm", "bh" };

	return names[c];
}

int zb_correction_parse(const char *s, enum zb_correction *c)
{
	if (!strcmp(s, "none"))
		*c = ZB_CORR_NONE;
	else if (!strcmp(s, "holm"))
		*c = ZB_CORR_HOLM;
	else if (!strcmp(s, "bh"))
		*c = ZB_CORR_BH;
	else
		return -EINVAL;
	return 0;
}

double zb_mad(const double *v, size_t n)
{
	double *t, med;
	size_t i;

	if (!n)
		return NAN;
	t = malloc(n * sizeof(*t));
	if (!t)
		return NAN;
	memcpy(t, v, n * sizeof(*t));
	zb_sort(t, n);
	med = zb_percentile_sorted(t, n, 50);
	for (i = 0; i < n; i++)
		t[i] = fabs(t[i] - med);
	zb_sort(t, n);
	med = zb_percentile_sorted(t, n, 50);
	free(t);
	return 1.4826 * med;
}
