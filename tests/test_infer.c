// SPDX-License-Identifier: GPL-2.0
/*
 * Rank estimators, their intervals and p-values against brute force over
 * every sign pattern or arrangement, coverage and power by simulation with
 * fixed seeds, quantiles against values computed to 15 digits elsewhere
 * (mpmath), and the multiple-comparison levels on hand-worked sets.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats/infer.h"
#include "stats/stats.h"
#include "util.h"
#include "zbtest.h"

/* xorshift64*, then Box-Muller: the same data sets on every machine. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in (0, 1): never 0, so log() is safe. */
static double rng_unif(uint64_t *s)
{
	return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_norm(uint64_t *s)
{
	double u = rng_unif(s), v = rng_unif(s);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Laplace(0, 1): heavy-tailed next to the normal, still symmetric. */
static double rng_laplace(uint64_t *s)
{
	double e = -log(rng_unif(s));

	return rng_next(s) & 1 ? e : -e;
}

/* Exponential(1) less its median: skewed, for the two-sample location model. */
static double rng_skew(uint64_t *s)
{
	return -log(rng_unif(s)) - M_LN2;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Counts of T+ = u over all 2^n sign patterns of ranks 1..n. */
static void brute_signed_rank(int n, double *cnt)
{
	int top = n * (n + 1) / 2, u, r;
	unsigned long mask;

	for (u = 0; u <= top; u++)
		cnt[u] = 0;
	for (mask = 0; mask < 1UL << n; mask++) {
		for (u = 0, r = 0; r < n; r++)
			if (mask >> r & 1)
				u += r + 1;
		cnt[u]++;
	}
}

/* Counts of U = u over all C(n+m, n) arrangements: bit set = an x at that rank. */
static void brute_rank_sum(int n, int m, double *cnt)
{
	unsigned long mask;
	int u, b, below;

	for (u = 0; u <= n * m; u++)
		cnt[u] = 0;
	for (mask = 0; mask < 1UL << (n + m); mask++) {
		if (__builtin_popcountl(mask) != n)
			continue;
		for (u = 0, below = 0, b = 0; b < n + m; b++) {
			if (mask >> b & 1)
				below++;
			else
				u += below;
		}
		cnt[u]++;
	}
}

/* Classic exact two-sided p from counts: twice the smaller tail at @obs. */
static double brute_p(const double *cnt, int top, int obs)
{
	double lo = 0, hi = 0, tot = 0;
	int u;

	for (u = 0; u <= top; u++) {
		tot += cnt[u];
		lo += u <= obs ? cnt[u] : 0;
		hi += u >= obs ? cnt[u] : 0;
	}
	return fmin(1, 2 * fmin(lo, hi) / tot);
}

/* Largest k with P(stat <= k) <= tail from the counts; -1 if none. */
static int brute_k(const double *cnt, int top, double tail)
{
	double run = 0, tot = 0;
	int u, k = -1;

	for (u = 0; u <= top; u++)
		tot += cnt[u];
	for (u = 0; u <= top; u++) {
		run += cnt[u];
		if (run / tot <= tail)
			k = u;
	}
	return k;
}

TEST(min_p_small_samples)
{
	ASSERT_NEAR(0.03125, zb_signed_rank_min_p(6), 0);
	ASSERT_NEAR(zb_signed_rank_min_p(11), 2.0 / 2048, 0);
	ASSERT_NEAR(1, zb_signed_rank_min_p(1), 0);
	ASSERT_NEAR(1, zb_signed_rank_min_p(0), 0);
	ASSERT_NEAR(0.1, zb_rank_sum_min_p(3, 3), 1e-15);
	ASSERT_NEAR(zb_rank_sum_min_p(5, 5), 2.0 / 252, 1e-15);
	ASSERT_NEAR(zb_rank_sum_min_p(2, 7), 2.0 / 36, 1e-15);
	ASSERT_NEAR(1, zb_rank_sum_min_p(1, 1), 0);
	ASSERT_NEAR(1, zb_rank_sum_min_p(0, 5), 0);
}

/* Large samples: near the double range 2 / C(n + m, n) still, past it exactly 0. */
TEST(min_p_large_samples)
{
	double log_c = lgamma(1001) - 2 * lgamma(501);

	ASSERT_NEAR(zb_rank_sum_min_p(500, 500), 2 * exp(-log_c), 1e-9 * 2 * exp(-log_c));
	ASSERT_TRUE(zb_rank_sum_min_p(500, 500) > 0);
	ASSERT_NEAR(0, zb_rank_sum_min_p(600, 600), 0);
	ASSERT_NEAR(0, zb_rank_sum_min_p(10000, 10000), 0);
	/* the short side sets the product's length: 2 / C(10^8 + 3, 3) */
	ASSERT_NEAR(12 / (1e8 + 1) / (1e8 + 2) / (1e8 + 3), zb_rank_sum_min_p(3, 100000000),
		    1e-12 * 12e-24);
}

TEST(small_samples_finite_or_not)
{
	double d[] = { 0.5, 1, 1.5, 2, 2.5, 3 }, x[] = { 1, 2, 3 }, y[] = { 11, 12, 13 };
	struct zb_est e;

	/* 3 vs 3: the smallest p is 0.1, no 95 % interval is finite. */
	ASSERT_EQ(0, zb_rank_sum_est(x, 3, y, 3, 0.95, &e));
	ASSERT_TRUE(isinf(e.lo) && e.lo < 0 && isinf(e.hi) && e.hi > 0);
	ASSERT_NEAR(0.1, e.p, 1e-15);
	ASSERT_NEAR(10, e.est, 0);
	ASSERT_TRUE(e.exact && e.n == 3 && e.m == 3);
	/* 6 pairs all positive: p = 2/64 and a finite interval above 0 */
	ASSERT_EQ(0, zb_signed_rank_est(d, 6, 0.95, &e));
	ASSERT_TRUE(isfinite(e.lo) && isfinite(e.hi) && e.lo > 0);
	ASSERT_NEAR(0.5, e.lo, 0);
	ASSERT_NEAR(3, e.hi, 0);
	ASSERT_NEAR(0.03125, e.p, 0);
	ASSERT_TRUE(e.exact && e.n == 6 && e.m == 0 && e.level == 0.95);
	/* 5 pairs: 2/32 > 0.05 */
	ASSERT_EQ(0, zb_signed_rank_est(d, 5, 0.95, &e));
	ASSERT_TRUE(isinf(e.lo) && isinf(e.hi));
	ASSERT_NEAR(0.0625, e.p, 0);
	ASSERT_EQ(0, zb_signed_rank_est(d, 3, 0.95, &e));
	ASSERT_TRUE(isinf(e.lo) && isinf(e.hi));
	/* ... but 5 pairs reach a 90 % interval */
	ASSERT_EQ(0, zb_signed_rank_est(d, 5, 0.90, &e));
	ASSERT_TRUE(isfinite(e.lo) && e.lo > 0);
	ASSERT_TRUE(isinf(zb_mde(1, 5, 0, 0.95, 0.8)));
	ASSERT_TRUE(isfinite(zb_mde(1, 6, 0, 0.95, 0.8)));
	ASSERT_TRUE(isinf(zb_mde(1, 3, 3, 0.95, 0.8)));
	ASSERT_TRUE(isfinite(zb_mde(1, 4, 4, 0.95, 0.8)));
	ASSERT_EQ(-EDOM, zb_signed_rank_est(d, 0, 0.95, &e));
	ASSERT_EQ(-EDOM, zb_signed_rank_est(d, 6, 1, &e));
	d[2] = NAN;
	ASSERT_EQ(-EDOM, zb_signed_rank_est(d, 6, 0.95, &e));
	ASSERT_EQ(-EDOM, zb_rank_sum_est(x, 0, y, 3, 0.95, &e));
}

TEST(hodges_lehmann_known)
{
	/* Walsh averages 0, 0.5, 1, 5, 5.5, 10: median (1 + 5)/2 */
	double d[] = { 10, 0, 1 }, x[] = { 0, 1 }, y[] = { 2, 10, 11 };
	double a[9], b[9];
	struct zb_est e;
	int i;

	ASSERT_EQ(0, zb_signed_rank_est(d, 3, 0.95, &e));
	ASSERT_NEAR(3, e.est, 0);
	/* differences 2, 10, 11, 1, 9, 10: median (9 + 10)/2 */
	ASSERT_EQ(0, zb_rank_sum_est(x, 2, y, 3, 0.95, &e));
	ASSERT_NEAR(9.5, e.est, 0);
	/* b = a + 3: the differences are symmetric about 3 */
	for (i = 0; i < 9; i++) {
		a[i] = i * i * 0.25 - i;
		b[i] = a[i] + 3;
	}
	ASSERT_EQ(0, zb_rank_sum_est(a, 9, b, 9, 0.95, &e));
	ASSERT_NEAR(3, e.est, 1e-12);
	ASSERT_TRUE(e.lo < 3 && e.hi > 3);
}

TEST(signed_rank_cdf_matches_enumeration)
{
	double cnt[79], *cdf, run;
	int n, u;

	for (n = 0; n <= 12; n++) {
		brute_signed_rank(n, cnt);
		cdf = zb_signed_rank_cdf(n);
		ASSERT_TRUE(cdf);
		for (run = 0, u = 0; u <= n * (n + 1) / 2; u++) {
			run += cnt[u];
			ASSERT_NEAR(cdf[u], run / ldexp(1, n), 1e-15);
		}
		free(cdf);
	}
	ASSERT_TRUE(!zb_signed_rank_cdf(ZB_INFER_EXACT_MAX + 1));
}

TEST(rank_sum_cdf_matches_enumeration)
{
	static const int sz[][2] = { { 1, 1 }, { 1, 5 }, { 3, 3 }, { 2, 7 }, { 4, 5 },
				     { 5, 4 }, { 6, 6 }, { 8, 8 }, { 3, 12 } };
	double cnt[65], *cdf, run, tot;
	size_t t;
	int u;

	for (t = 0; t < ZB_ARRAY_SIZE(sz); t++) {
		int n = sz[t][0], m = sz[t][1];

		brute_rank_sum(n, m, cnt);
		cdf = zb_rank_sum_cdf(n, m);
		ASSERT_TRUE(cdf);
		for (tot = 0, u = 0; u <= n * m; u++)
			tot += cnt[u];
		for (run = 0, u = 0; u <= n * m; u++) {
			run += cnt[u];
			ASSERT_NEAR(cdf[u], run / tot, 1e-14);
		}
		free(cdf);
	}
	/* the largest exact table still sums to 1 and is symmetric */
	cdf = zb_rank_sum_cdf(ZB_INFER_EXACT_MAX, ZB_INFER_EXACT_MAX);
	ASSERT_TRUE(cdf);
	ASSERT_NEAR(1, cdf[3600], 1e-12);
	ASSERT_NEAR(cdf[0], zb_rank_sum_min_p(60, 60) / 2, 1e-12 * cdf[0]);
	/* P(U <= u) = P(U >= nm - u) */
	for (u = 0; u < 3600; u++)
		ASSERT_NEAR(1, cdf[u] + cdf[3599 - u], 1e-12);
	free(cdf);
}

TEST(signed_rank_one_to_ten)
{
	double d[10], w[55], cnt[56];
	struct zb_est e;
	int i, j, k, nw = 0;

	for (i = 0; i < 10; i++)
		d[i] = i + 1;
	brute_signed_rank(10, cnt);
	k = brute_k(cnt, 55, 0.025);
	/* the table: P(T+ <= 8) = 25/1024, P(T+ <= 9) = 30/1024 */
	ASSERT_EQ(8, k);
	for (i = 0; i < 10; i++)
		for (j = i; j < 10; j++)
			w[nw++] = (d[i] + d[j]) / 2;
	qsort(w, 55, sizeof(*w), cmp_dbl);
	ASSERT_EQ(0, zb_signed_rank_est(d, 10, 0.95, &e));
	ASSERT_NEAR(e.lo, w[k], 0);
	ASSERT_NEAR(e.hi, w[55 - 1 - k], 0);
	/* by hand: 9 Walsh averages (sums 2..6) are <= 3 */
	ASSERT_NEAR(3, e.lo, 0);
	ASSERT_NEAR(8, e.hi, 0);
	ASSERT_NEAR(5.5, e.est, 0);
	ASSERT_NEAR(e.p, 2.0 / 1024, 1e-15);
}

TEST(signed_rank_p_matches_enumeration)
{
	/* no two |d| equal and no d_i + d_j = 0: T+ is the classic statistic */
	double d[] = { -1.5, 2.25, 3.1, -0.4, 5, 6.2, 7, 8.8, -9.1, 10.3, -4.7 };
	double cnt[67], a[11];
	struct zb_est e;
	int i, j, tplus = 0, n = 11;

	for (i = 0; i < n; i++)
		a[i] = fabs(d[i]);
	for (i = 0; i < n; i++) {
		int rank = 1;

		for (j = 0; j < n; j++)
			rank += a[j] < a[i];
		if (d[i] > 0)
			tplus += rank;
	}
	brute_signed_rank(n, cnt);
	ASSERT_EQ(0, zb_signed_rank_est(d, n, 0.95, &e));
	ASSERT_NEAR(e.p, brute_p(cnt, 66, tplus), 1e-14);
	printf("# T+ = %d, p = %.6f, CI [%.4f, %.4f]\n", tplus, e.p, e.lo, e.hi);
	ASSERT_TRUE(e.p < 0.99);
}

TEST(rank_sum_ci_and_p_match_enumeration)
{
	double x[] = { 1.2, 3.4, 0.7, 2.9, 5.1, 4.4, 2.2, 6.0 };
	double y[] = { 3.9, 7.3, 4.8, 6.6, 2.6, 8.1, 5.7, 9.2 };
	double cnt[65], dif[64];
	struct zb_est e;
	int i, j, k, u = 0, nd = 0;

	brute_rank_sum(8, 8, cnt);
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++) {
			dif[nd++] = y[j] - x[i];
			u += y[j] > x[i];
		}
	qsort(dif, 64, sizeof(*dif), cmp_dbl);
	k = brute_k(cnt, 64, 0.025);
	/* the table: P(U <= 13) = 0.0249 for 8 vs 8 */
	ASSERT_EQ(13, k);
	ASSERT_EQ(0, zb_rank_sum_est(x, 8, y, 8, 0.95, &e));
	ASSERT_NEAR(e.lo, dif[k], 0);
	ASSERT_NEAR(e.hi, dif[63 - k], 0);
	ASSERT_NEAR(e.est, (dif[31] + dif[32]) / 2, 0);
	ASSERT_NEAR(e.p, brute_p(cnt, 64, u), 1e-14);
	printf("# U = %d, p = %.6f, CI [%.4f, %.4f]\n", u, e.p, e.lo, e.hi);
	ASSERT_EQ(0, zb_rank_sum_est(x, 8, y, 8, 0.99, &e));
	ASSERT_NEAR(e.lo, dif[brute_k(cnt, 64, 0.005)], 0);
}

/*
 * 0 is a Walsh average (0 + 0)/2 and the lower end of the interval: counting
 * it half on each side would give p = 2/64 < 0.05 with 0 inside the interval.
 */
TEST(zero_at_the_interval_end)
{
	double d[] = { 0, 1, 2, 3, 4, 5 };
	struct zb_est e;

	ASSERT_EQ(0, zb_signed_rank_est(d, 6, 0.95, &e));
	ASSERT_NEAR(0, e.lo, 0);
	ASSERT_NEAR(0.0625, e.p, 0);
	ASSERT_TRUE(e.p > 0.05);
}

TEST(p_ci_duality_random)
{
	static const double levels[] = { 0.5, 0.8, 0.9, 0.95, 0.99, 1 - 0.05 / 74 };
	double x[80], y[80];
	uint64_t s = 42;
	int t, i, excl = 0, incl = 0, at_end = 0, approx = 0;

	for (t = 0; t < 4000; t++) {
		double level = levels[rng_next(&s) % ZB_ARRAY_SIZE(levels)];
		double shift = (double)(rng_next(&s) % 4) / 2;
		int big = rng_next(&s) % 10 == 0;
		int nx = big ? 61 + rng_next(&s) % 10 : 1 + rng_next(&s) % 20;
		int ny = big ? 61 + rng_next(&s) % 10 : 1 + rng_next(&s) % 14;
		struct zb_est e;
		int paired = t & 1, ex;

		/* rounded to halves: ties everywhere, and many exact zeros */
		for (i = 0; i < nx; i++)
			x[i] = round(2 * rng_norm(&s)) / 2 + (paired ? shift : 0);
		for (i = 0; i < ny; i++)
			y[i] = round(2 * rng_norm(&s)) / 2 + shift;
		if (paired)
			ASSERT_EQ(0, zb_signed_rank_est(x, nx, level, &e));
		else
			ASSERT_EQ(0, zb_rank_sum_est(x, nx, y, ny, level, &e));
		ex = e.lo > 0 || e.hi < 0;
		if ((e.p <= 1 - level) != ex)
			ZBT_FAIL("paired %d, n %d m %d level %g: p %g, CI [%g, %g]", paired, nx,
				 ny, level, e.p, e.lo, e.hi);
		ASSERT_TRUE(e.p > 0 && e.p <= 1);
		ASSERT_TRUE(e.lo <= e.est && e.est <= e.hi);
		ASSERT_EQ(e.exact, !big);
		excl += ex;
		incl += !ex;
		at_end += e.lo == 0 || e.hi == 0;
		approx += big;
	}
	printf("# %d exclude 0, %d include it, %d with 0 at an end, %d approximate\n",
	       excl, incl, at_end, approx);
	ASSERT_TRUE(excl > 400 && incl > 400 && at_end > 50 && approx > 200);
}

enum dist { NORMAL, LAPLACE, SKEW };

static double draw(enum dist k, uint64_t *s)
{
	return k == NORMAL ? rng_norm(s) : k == LAPLACE ? rng_laplace(s) : rng_skew(s);
}

/* Share of @sets data sets whose interval covers @shift (@m == 0: paired). */
static double coverage(enum dist k, int n, int m, double shift, double level, int sets,
		       uint64_t seed)
{
	double x[64], y[64];
	struct zb_est e;
	int t, i, hit = 0;

	for (t = 0; t < sets; t++) {
		for (i = 0; i < n; i++)
			x[i] = draw(k, &seed) + (m ? 0 : shift);
		for (i = 0; i < m; i++)
			y[i] = draw(k, &seed) + shift;
		if (m ? zb_rank_sum_est(x, n, y, m, level, &e) : zb_signed_rank_est(x, n, level, &e))
			return NAN;
		hit += e.lo <= shift && shift <= e.hi;
	}
	return (double)hit / sets;
}

TEST(coverage_paired)
{
	double c = coverage(NORMAL, 12, 0, 0.3, 0.95, 2000, 1);

	printf("# 12 pairs, normal: 95 %% interval covers in %.4f\n", c);
	ASSERT_TRUE(c >= 0.93 && c <= 0.975);
	c = coverage(LAPLACE, 12, 0, 0.3, 0.95, 2000, 2);
	printf("# 12 pairs, Laplace: 95 %% interval covers in %.4f\n", c);
	ASSERT_TRUE(c >= 0.93 && c <= 0.975);
}

TEST(coverage_unpaired)
{
	double c = coverage(NORMAL, 8, 8, 0.3, 0.95, 2000, 3);

	printf("# 8 vs 8, normal: 95 %% interval covers in %.4f\n", c);
	ASSERT_TRUE(c >= 0.93 && c <= 0.975);
	c = coverage(SKEW, 8, 8, 0.3, 0.95, 2000, 4);
	printf("# 8 vs 8, exponential: 95 %% interval covers in %.4f\n", c);
	ASSERT_TRUE(c >= 0.93 && c <= 0.975);
}

TEST(coverage_bonferroni_level)
{
	double level = 1 - 0.05 / 74, c = coverage(NORMAL, 16, 0, 0.3, level, 2000, 5);

	printf("# 16 pairs, normal: %.5f interval covers in %.4f\n", level, c);
	ASSERT_TRUE(c >= level - 0.002);
	c = coverage(LAPLACE, 16, 0, 0.3, level, 2000, 6);
	printf("# 16 pairs, Laplace: %.5f interval covers in %.4f\n", level, c);
	ASSERT_TRUE(c >= level - 0.002);
}

TEST(mde_power_by_simulation)
{
	double x[16], y[16], mde = zb_mde(1, 16, 0, 0.95, 0.8);
	uint64_t s = 7;
	struct zb_est e;
	int t, i, det = 0;

	for (t = 0; t < 2000; t++) {
		for (i = 0; i < 16; i++)
			x[i] = rng_norm(&s) + mde;
		ASSERT_EQ(0, zb_signed_rank_est(x, 16, 0.95, &e));
		det += e.lo > 0 || e.hi < 0;
	}
	printf("# 16 pairs, shift = MDE %.4f sd: detected in %.4f\n", mde, det / 2000.0);
	ASSERT_TRUE(det >= 0.72 * 2000 && det <= 0.88 * 2000);
	mde = zb_mde(1, 10, 10, 0.95, 0.8);
	for (t = 0, det = 0; t < 2000; t++) {
		for (i = 0; i < 10; i++) {
			x[i] = rng_norm(&s);
			y[i] = rng_norm(&s) + mde;
		}
		ASSERT_EQ(0, zb_rank_sum_est(x, 10, y, 10, 0.95, &e));
		det += e.lo > 0 || e.hi < 0;
	}
	printf("# 10 vs 10, shift = MDE %.4f sd: detected in %.4f\n", mde, det / 2000.0);
	ASSERT_TRUE(det >= 0.72 * 2000 && det <= 0.88 * 2000);
}

TEST(normal_quantile_known)
{
	ASSERT_NEAR(1.9599639845400542, zb_norm_quantile(0.975), 1e-12);
	ASSERT_NEAR(3.0902323061678135, zb_norm_quantile(0.999), 1e-12);
	ASSERT_NEAR(0.84162123357291421, zb_norm_quantile(0.8), 1e-12);
	ASSERT_NEAR(-0.52440051270804078, zb_norm_quantile(0.3), 1e-12);
	ASSERT_NEAR(-6.3613409024040562, zb_norm_quantile(1e-10), 1e-10);
	ASSERT_NEAR(0, zb_norm_quantile(0.5), 1e-15);
	ASSERT_TRUE(isinf(zb_norm_quantile(0)) && zb_norm_quantile(0) < 0);
	ASSERT_TRUE(isinf(zb_norm_quantile(1)) && zb_norm_quantile(1) > 0);
	ASSERT_TRUE(isnan(zb_norm_quantile(NAN)));
}

TEST(t_quantile_known)
{
	static const struct {
		double p, df, t;
	} k[] = {
		{ 0.975, 1, 12.7062047361747 },	{ 0.975, 5, 2.57058183563632 },
		{ 0.975, 10, 2.22813885198627 },	{ 0.995, 20, 2.84533970978611 },
		{ 0.99966, 11, 4.67229892870243 },	{ 0.8, 15, 0.866244973194952 },
		{ 0.8, 18, 0.862048667989599 },	{ 0.975, 15, 2.13144954555978 },
		{ 0.975, 18, 2.10092204024104 },	{ 0.999, 3, 10.2145318524074 },
		{ 0.6, 2, 0.288675134594813 },	{ 0.975, 1000, 1.96233908082641 },
		{ 0.99999, 2, 223.603443634037 },	{ 0.9999999, 1, 3183098.8618378 },
		{ 0.975, 2.5, 3.57465484200368 },
	};
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(k); i++) {
		ASSERT_NEAR(zb_t_quantile(k[i].p, k[i].df), k[i].t, 1e-9 * fmax(1, k[i].t));
		ASSERT_NEAR(zb_t_quantile(1 - k[i].p, k[i].df), -k[i].t,
			    1e-9 * fmax(1, k[i].t));
	}
	ASSERT_NEAR(1.9599639845400542, zb_t_quantile(0.975, 1e6), 1e-5);
	ASSERT_NEAR(1.9599639845400542, zb_t_quantile(0.975, 1e9), 1e-8);
	ASSERT_NEAR(1.9599639845400542, zb_t_quantile(0.975, INFINITY), 1e-12);
	ASSERT_NEAR(0, zb_t_quantile(0.5, 3), 0);
	ASSERT_TRUE(isnan(zb_t_quantile(0.9, 0)));
	ASSERT_TRUE(isinf(zb_t_quantile(1, 4)));
}

TEST(mde_formula)
{
	/* (t_{0.975,15} + t_{0.8,15}) / sqrt(16), (t_{0.975,18} + t_{0.8,18}) sqrt(2/10) */
	ASSERT_NEAR(zb_mde(1, 16, 0, 0.95, 0.8), (2.13144954555978 + 0.866244973194952) / 4,
		    1e-9);
	ASSERT_NEAR(zb_mde(2, 10, 10, 0.95, 0.8),
		    2 * (2.10092204024104 + 0.862048667989599) * sqrt(0.2), 1e-9);
	ASSERT_NEAR(0, zb_mde(0, 16, 0, 0.95, 0.8), 0);
	ASSERT_TRUE(isinf(zb_mde(1, 1, 0, 0.95, 0.8)));
	ASSERT_TRUE(isinf(zb_mde(1, 1, 20, 0.95, 0.8)));
	ASSERT_TRUE(isinf(zb_mde(NAN, 16, 0, 0.95, 0.8)));
	ASSERT_TRUE(isinf(zb_mde(INFINITY, 16, 16, 0.95, 0.8)));
	/* 12 pairs reach 2/4096 < 0.05/74, 11 pairs (2/2048) do not */
	ASSERT_TRUE(isfinite(zb_mde(1, 12, 0, 1 - 0.05 / 74, 0.8)));
	ASSERT_TRUE(isinf(zb_mde(1, 11, 0, 1 - 0.05 / 74, 0.8)));
}

TEST(rounds_needed_consistent)
{
	double level = 0.95, sh;
	int paired, r, prev;

	for (paired = 0; paired <= 1; paired++) {
		prev = 5000;
		for (sh = 0.1; sh < 3; sh *= 1.1) {
			r = zb_rounds_needed(1, sh, paired, level, 0.8, 5000);
			ASSERT_TRUE(r >= 2 && r <= prev);
			ASSERT_TRUE(zb_mde(1, r, paired ? 0 : r, level, 0.8) <= sh);
			if (r > 2)
				ASSERT_TRUE(zb_mde(1, r - 1, paired ? 0 : r - 1, level, 0.8) > sh);
			prev = r;
		}
	}
	ASSERT_EQ(-1, zb_rounds_needed(1, 0.05, 1, level, 0.8, 100));
	ASSERT_EQ(-1, zb_rounds_needed(1, 0, 1, level, 0.8, 100));
	ASSERT_EQ(-1, zb_rounds_needed(1, NAN, 1, level, 0.8, 100));
	/* no spread: the smallest rounds whose exact p reaches 0.05 (2/64, 2/70) */
	ASSERT_EQ(6, zb_rounds_needed(0, 0.01, 1, level, 0.8, 100));
	ASSERT_EQ(4, zb_rounds_needed(0, 0.01, 0, level, 0.8, 100));
	ASSERT_EQ(12, zb_rounds_needed(0, 0.01, 1, 1 - 0.05 / 74, 0.8, 100));
	ASSERT_EQ(-1, zb_rounds_needed(0, 0.01, 1, level, 0.8, 5));
	ASSERT_EQ(4, zb_rounds_needed(-1, 0.01, 0, level, 0.8, 100));
}

TEST(holm_levels)
{
	/* 0.001 <= 0.05/4, 0.01 <= 0.05/3, 0.02 <= 0.05/2, 0.5 > 0.05: three rejected */
	double p[] = { 0.5, 0.02, 0.001, 0.01 }, lv[4];
	double q[] = { 0.01, 0.04, 0.03, 0.005 };
	int rej[4];

	ASSERT_EQ(0, zb_adjusted_levels(p, 4, 0.05, ZB_CORR_HOLM, lv, rej));
	ASSERT_TRUE(rej[2] && rej[3] && rej[1] && !rej[0]);
	ASSERT_NEAR(lv[2], 1 - 0.05 / 4, 1e-15);
	ASSERT_NEAR(lv[3], 1 - 0.05 / 3, 1e-15);
	ASSERT_NEAR(lv[1], 1 - 0.05 / 2, 1e-15);
	ASSERT_NEAR(lv[0], 1 - 0.05, 1e-15);
	/* 0.005 and 0.01 pass, 0.03 > 0.05/2 stops: 0.04 keeps that step's level */
	ASSERT_EQ(0, zb_adjusted_levels(q, 4, 0.05, ZB_CORR_HOLM, lv, rej));
	ASSERT_TRUE(rej[3] && rej[0] && !rej[2] && !rej[1]);
	ASSERT_NEAR(lv[3], 1 - 0.05 / 4, 1e-15);
	ASSERT_NEAR(lv[0], 1 - 0.05 / 3, 1e-15);
	ASSERT_NEAR(lv[2], 1 - 0.05 / 2, 1e-15);
	ASSERT_NEAR(lv[1], 1 - 0.05 / 2, 1e-15);
	ASSERT_EQ(0, zb_adjusted_levels(q, 4, 0.05, ZB_CORR_NONE, lv, rej));
	ASSERT_TRUE(rej[0] && rej[1] && rej[2] && rej[3]);
	ASSERT_NEAR(0.95, lv[1], 0);
	ASSERT_EQ(-EDOM, zb_adjusted_levels(q, 4, 0, ZB_CORR_HOLM, lv, rej));
}

TEST(bh_levels)
{
	/* k alpha/4 = 0.0125, 0.025, 0.0375, 0.05: 0.04 > 0.0375, 0.5 > 0.05, R = 2 */
	double p[] = { 0.04, 0.001, 0.5, 0.02 }, q[] = { 0.01, 0.04, 0.03, 0.005 };
	double r[] = { 0.2, 0.3, 0.9 }, lv[4];
	int rej[4], i;

	ASSERT_EQ(0, zb_adjusted_levels(p, 4, 0.05, ZB_CORR_BH, lv, rej));
	ASSERT_TRUE(rej[1] && rej[3] && !rej[0] && !rej[2]);
	for (i = 0; i < 4; i++)
		ASSERT_NEAR(lv[i], 1 - 2 * 0.05 / 4, 1e-15);
	/* every p(k) <= k alpha/4 */
	ASSERT_EQ(0, zb_adjusted_levels(q, 4, 0.05, ZB_CORR_BH, lv, rej));
	for (i = 0; i < 4; i++)
		ASSERT_TRUE(rej[i] && fabs(lv[i] - 0.95) < 1e-15);
	/* nothing rejected: the level of one rejection */
	ASSERT_EQ(0, zb_adjusted_levels(r, 3, 0.05, ZB_CORR_BH, lv, rej));
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(!rej[i] && fabs(lv[i] - (1 - 0.05 / 3)) < 1e-15);
}

TEST(nan_levels)
{
	/* m = 4 finite: 0.001 <= 0.0125, 0.02 > 0.05/3 stops */
	double p[] = { 0.03, NAN, 0.001, 0.5, 0.02 }, q[] = { NAN, 0.001 }, lv[5];
	double b[] = { 0.001, NAN, 0.02, 0.5 };
	int rej[5], i;

	ASSERT_EQ(0, zb_adjusted_levels(p, 5, 0.05, ZB_CORR_HOLM, lv, rej));
	ASSERT_TRUE(rej[2] && !rej[0] && !rej[1] && !rej[3] && !rej[4]);
	ASSERT_NEAR(lv[2], 1 - 0.05 / 4, 1e-15);
	ASSERT_NEAR(lv[4], 1 - 0.05 / 3, 1e-15);
	ASSERT_NEAR(lv[0], 1 - 0.05 / 3, 1e-15);
	ASSERT_NEAR(lv[3], 1 - 0.05 / 3, 1e-15);
	ASSERT_NEAR(lv[1], 1 - 0.05 / 3, 1e-15);
	/* every finite one rejected: the NaN gets the last step's 1 - alpha */
	ASSERT_EQ(0, zb_adjusted_levels(q, 2, 0.05, ZB_CORR_HOLM, lv, rej));
	ASSERT_TRUE(rej[1] && !rej[0]);
	ASSERT_NEAR(0.95, lv[1], 1e-15);
	ASSERT_NEAR(0.95, lv[0], 1e-15);
	/* BH over 3: 0.001 <= 0.05/3, 0.02 <= 0.1/3, 0.5 > 0.05: R = 2 */
	ASSERT_EQ(0, zb_adjusted_levels(b, 4, 0.05, ZB_CORR_BH, lv, rej));
	ASSERT_TRUE(rej[0] && rej[2] && !rej[1] && !rej[3]);
	for (i = 0; i < 4; i++)
		ASSERT_NEAR(lv[i], 1 - 2 * 0.05 / 3, 1e-15);
	ASSERT_EQ(0, zb_adjusted_levels(q, 1, 0.05, ZB_CORR_BH, lv, rej));
	ASSERT_TRUE(!rej[0] && lv[0] == 0.95);
	ASSERT_EQ(0, zb_adjusted_levels(p, 0, 0.05, ZB_CORR_BH, lv, rej));
}

TEST(levels_agree_with_adjusted_p)
{
	static const enum zb_correction cs[] = { ZB_CORR_NONE, ZB_CORR_HOLM, ZB_CORR_BH };
	double p[40], adj[40], lv[40];
	uint64_t s = 9;
	int rej[40], t, i, nrej = 0;

	for (t = 0; t < 600; t++) {
		enum zb_correction c = cs[t % 3];
		int m = 1 + rng_next(&s) % 40;

		/* a mix of small and large p, as from a few real shifts among many */
		for (i = 0; i < m; i++)
			p[i] = rng_next(&s) % 3 ? rng_unif(&s) : pow(rng_unif(&s), 6);
		ASSERT_EQ(0, zb_adjust_p(p, adj, m, c));
		ASSERT_EQ(0, zb_adjusted_levels(p, m, 0.05, c, lv, rej));
		for (i = 0; i < m; i++) {
			ASSERT_EQ(rej[i], adj[i] <= 0.05);
			ASSERT_EQ(rej[i], p[i] <= 1 - lv[i]);
			nrej += rej[i];
		}
	}
	printf("# %d rejections over 600 families\n", nrej);
	ASSERT_TRUE(nrej > 300);
}

/* Exact counts of T+ for @n pairs: add rank r with either sign. */
static void oracle_signed_rank(int n, double *cnt)
{
	int top = n * (n + 1) / 2, r, s;

	for (s = 0; s <= top; s++)
		cnt[s] = s == 0;
	for (r = 1; r <= n; r++)
		for (s = r * (r + 1) / 2; s >= r; s--)
			cnt[s] += cnt[s - r];
}

/* Exact counts of U, with a layer per number of x's (as compare_stats.c does it). */
static void oracle_rank_sum(int n, int m, double *cnt)
{
	int top = n * m, i, j, u;
	double *prev = calloc((size_t)(m + 1) * (top + 1), sizeof(*prev));
	double *cur = calloc((size_t)(m + 1) * (top + 1), sizeof(*cur)), *t;

	if (!prev || !cur)
		ZBT_FAIL("oracle: no memory");
	for (j = 0; j <= m; j++)
		prev[j * (top + 1)] = 1;
	for (i = 1; i <= n; i++) {
		memset(cur, 0, (size_t)(m + 1) * (top + 1) * sizeof(*cur));
		cur[0] = 1;
		for (j = 1; j <= m; j++)
			for (u = 0; u <= i * j; u++)
				cur[j * (top + 1) + u] = prev[j * (top + 1) + u] +
					(u >= i ? cur[(j - 1) * (top + 1) + u - i] : 0);
		t = prev;
		prev = cur;
		cur = t;
	}
	memcpy(cnt, prev + m * (top + 1), (top + 1) * sizeof(*cnt));
	free(prev);
	free(cur);
}

/*
 * Past ZB_INFER_EXACT_MAX the normal approximation takes over.  Both rank
 * statistics have lighter tails than the normal, so its k may fall below
 * the exact one far out (a wider interval), never above it.
 */
TEST(normal_approximation_conservative)
{
	static const double levels[] = { 0.9, 0.95, 0.99, 1 - 0.05 / 74 };
	static double cnt[65 * 62 + 1], x[65], y[62], v[65 * 62];
	uint64_t s = 11;
	struct zb_est e;
	int i, j, l, k, ka, nv;

	for (i = 0; i < 65; i++)
		x[i] = rng_norm(&s);
	for (i = 0; i < 62; i++)
		y[i] = rng_norm(&s);
	for (l = 0; l < (int)ZB_ARRAY_SIZE(levels); l++) {
		oracle_signed_rank(65, cnt);
		k = brute_k(cnt, 65 * 66 / 2, (1 - levels[l]) / 2);
		ASSERT_EQ(0, zb_signed_rank_est(x, 65, levels[l], &e));
		ASSERT_TRUE(!e.exact);
		for (i = 0, ka = 0; i < 65; i++)
			for (j = i; j < 65; j++)
				ka += (x[i] + x[j]) / 2 < e.lo;
		printf("# 65 pairs at %.5f: k %d, exact %d\n", levels[l], ka, k);
		ASSERT_TRUE(ka <= k && k - ka <= 2 + k / 40);
		/* no zeros: p is twice the continuity-corrected tail of min(T+, N - T+) */
		for (i = 0, nv = 0; i < 65; i++)
			for (j = i; j < 65; j++)
				nv += (x[i] + x[j]) / 2 > 0;
		nv = nv < 65 * 33 - nv ? nv : 65 * 33 - nv;
		ASSERT_NEAR(e.p, erfc(-(nv + 0.5 - 65 * 66 / 4.0) / sqrt(65 * 66 * 131 / 12.0)),
			    1e-12);
		oracle_rank_sum(65, 62, cnt);
		k = brute_k(cnt, 65 * 62, (1 - levels[l]) / 2);
		ASSERT_EQ(0, zb_rank_sum_est(x, 65, y, 62, levels[l], &e));
		ASSERT_TRUE(!e.exact);
		for (i = 0, nv = 0; i < 65; i++)
			for (j = 0; j < 62; j++)
				v[nv++] = y[j] - x[i];
		for (i = 0, ka = 0; i < nv; i++)
			ka += v[i] < e.lo;
		printf("# 65 vs 62 at %.5f: k %d, exact %d\n", levels[l], ka, k);
		ASSERT_TRUE(ka <= k && k - ka <= 2 + k / 40);
	}
}
