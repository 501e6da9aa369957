// SPDX-License-Identifier: GPL-2.0
/* Statistics against hand-checked and numpy (type 7) reference values. */
#include <errno.h>
#include <stdlib.h>

#include "stats/stats.h"
#include "zbtest.h"

TEST(percentile_type7_matches_numpy)
{
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	/* numpy.percentile(range(1, 11), [0, 50, 90, 99, 100]) */
	ASSERT_NEAR(1.0, zb_percentile_sorted(v, 10, 0), 1e-12);
	ASSERT_NEAR(5.5, zb_percentile_sorted(v, 10, 50), 1e-12);
	ASSERT_NEAR(9.1, zb_percentile_sorted(v, 10, 90), 1e-12);
	ASSERT_NEAR(9.91, zb_percentile_sorted(v, 10, 99), 1e-12);
	ASSERT_NEAR(10.0, zb_percentile_sorted(v, 10, 100), 1e-12);
}

TEST(percentile_single_and_empty)
{
	double v[] = { 42 };

	ASSERT_NEAR(42, zb_percentile_sorted(v, 1, 50), 0);
	ASSERT_NEAR(42, zb_percentile_sorted(v, 1, 99), 0);
	ASSERT_TRUE(isnan(zb_percentile_sorted(v, 0, 50)));
}

TEST(median_ci_ranks_small_n)
{
	size_t lo, hi;

	/* n = 5: even [min, max] covers only 1 - 2/32 = 93.75 % */
	ASSERT_EQ(-EDOM, zb_median_ci_ranks(5, 0.95, &lo, &hi));
	/* n = 6: [X(1), X(6)] covers 1 - 2/64 = 96.9 % */
	ASSERT_EQ(0, zb_median_ci_ranks(6, 0.95, &lo, &hi));
	ASSERT_EQ(0, lo);
	ASSERT_EQ(5, hi);
	/* n = 10: the textbook ranks 2 and 9 (1-based), coverage 97.9 % */
	ASSERT_EQ(0, zb_median_ci_ranks(10, 0.95, &lo, &hi));
	ASSERT_EQ(1, lo);
	ASSERT_EQ(8, hi);
	/* n = 100: ranks 40 and 61 (1-based), coverage 96.5 % */
	ASSERT_EQ(0, zb_median_ci_ranks(100, 0.95, &lo, &hi));
	ASSERT_EQ(39, lo);
	ASSERT_EQ(60, hi);
}

TEST(median_ci_ranks_large_n_is_symmetric_and_narrow)
{
	size_t lo, hi, n = 1000000;

	ASSERT_EQ(0, zb_median_ci_ranks(n, 0.95, &lo, &hi));
	ASSERT_EQ(lo + hi, n - 1);
	/* normal approximation: n/2 -+ 1.96 sqrt(n)/2 = 500000 -+ 980 */
	ASSERT_NEAR(499020, (double)lo, 3);
}

static double uniform(unsigned int *seed)
{
	return (double)rand_r(seed) / ((double)RAND_MAX + 1.0);
}

TEST(median_ci_covers_true_median_at_nominal_rate)
{
	unsigned int seed = 12345;
	int trial, covered = 0, trials = 2000;
	double v[51];

	/* Exponential(1) samples: skewed like latencies; true median ln 2. */
	for (trial = 0; trial < trials; trial++) {
		struct zb_summary s;
		int i;

		for (i = 0; i < 51; i++)
			v[i] = -log(1.0 - uniform(&seed));
		zb_summarize(v, 51, &s);
		covered += s.ci_lo <= M_LN2 && M_LN2 <= s.ci_hi;
	}
	/* exact coverage for n = 51 is 96.7 %; 2000 trials: sd 0.4 % */
	ASSERT_TRUE(covered >= trials * 0.95);
	ASSERT_TRUE(covered <= trials * 0.985);
}

TEST(summarize_known_values)
{
	double v[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 10 };
	struct zb_summary s;

	ASSERT_EQ(0, zb_summarize(v, 10, &s));
	ASSERT_EQ(10, s.n);
	ASSERT_NEAR(1, s.min, 0);
	ASSERT_NEAR(10, s.max, 0);
	ASSERT_NEAR(5.5, s.mean, 1e-12);
	/* sample stddev of 1..10 = sqrt(82.5 / 9) */
	ASSERT_NEAR(s.stddev, sqrt(82.5 / 9), 1e-12);
	ASSERT_NEAR(5.5, s.median, 1e-12);
	ASSERT_NEAR(9.1, s.p90, 1e-12);
	ASSERT_NEAR(2, s.ci_lo, 0);
	ASSERT_NEAR(9, s.ci_hi, 0);
}

TEST(summarize_too_few_for_ci)
{
	double v[] = { 3, 1, 2 };
	struct zb_summary s;

	ASSERT_EQ(0, zb_summarize(v, 3, &s));
	ASSERT_NEAR(2, s.median, 0);
	ASSERT_TRUE(isnan(s.ci_lo) && isnan(s.ci_hi));
	ASSERT_EQ(-EDOM, zb_summarize(v, 0, &s));
}

TEST(linfit_exact_line)
{
	double x[] = { 1, 10, 100, 1000 }, y[4];
	struct zb_fit f;
	int i;

	for (i = 0; i < 4; i++)
		y[i] = 1.1 * x[i] + 4;
	ASSERT_EQ(0, zb_linfit(x, y, 4, &f));
	ASSERT_NEAR(1.1, f.slope, 1e-12);
	ASSERT_NEAR(4, f.intercept, 1e-9);
	ASSERT_NEAR(1, f.r2, 1e-12);
}

TEST(linfit_rel_exact_line_and_relative_weighting)
{
	double x[] = { 1, 10, 100, 1000 }, y[4], z[] = { 5, 14, 104, 1300 };
	struct zb_fit f, ols;
	int i;

	for (i = 0; i < 4; i++)
		y[i] = 1.1 * x[i] + 4;
	ASSERT_EQ(0, zb_linfit_rel(x, y, 4, &f));
	ASSERT_NEAR(1.1, f.slope, 1e-9);
	ASSERT_NEAR(4, f.intercept, 1e-9);
	ASSERT_NEAR(1, f.r2, 1e-12);
	/*
	 * The last point 20 % high: plain least squares lets it pull the
	 * intercept far below the small points; relative weighting keeps
	 * the intercept near them (4 +- 1) and pays at x = 1000 instead.
	 */
	ASSERT_EQ(0, zb_linfit(x, z, 4, &ols));
	ASSERT_EQ(0, zb_linfit_rel(x, z, 4, &f));
	ASSERT_TRUE(fabs(f.intercept - 4) < 1.5);
	ASSERT_TRUE(fabs(ols.intercept - 4) > 5);
	z[0] = 0;
	ASSERT_EQ(-EDOM, zb_linfit_rel(x, z, 4, &f));
}

TEST(linfit_noisy_and_degenerate)
{
	double x[] = { 0, 1, 2, 3 }, y[] = { 1, 3, 2, 4 }, c[] = { 5, 5, 5 };
	struct zb_fit f;

	/* hand-computed: slope 0.8, intercept 1.3, r2 0.64 */
	ASSERT_EQ(0, zb_linfit(x, y, 4, &f));
	ASSERT_NEAR(0.8, f.slope, 1e-12);
	ASSERT_NEAR(1.3, f.intercept, 1e-12);
	ASSERT_NEAR(0.64, f.r2, 1e-12);
	ASSERT_EQ(-EDOM, zb_linfit(c, y, 3, &f));
	ASSERT_EQ(-EDOM, zb_linfit(x, y, 1, &f));
}
