// SPDX-License-Identifier: GPL-2.0
/*
 * Rank test, bootstrap and p-value adjustment against hand-checked
 * values (exact p by enumerating every arrangement, see the comments).
 */
#include <errno.h>
#include <stdlib.h>

#include "stats/compare_stats.h"
#include "zbtest.h"

TEST(mwu_exact_separated)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct zb_mwu r;

	ASSERT_EQ(0, zb_mann_whitney(a, 5, b, 5, &r));
	ASSERT_TRUE(r.exact);
	ASSERT_NEAR(0, r.u, 0);
	/* only 1 of C(10,5) = 252 arrangements is as extreme, two-sided: 2/252 */
	ASSERT_NEAR(r.p, 2.0 / 252, 1e-12);
	ASSERT_EQ(0, zb_mann_whitney(b, 5, a, 5, &r));
	ASSERT_NEAR(25, r.u, 0);
	ASSERT_NEAR(r.p, 2.0 / 252, 1e-12);
}

TEST(mwu_exact_interleaved)
{
	double a[] = { 1, 3, 5, 7, 9 }, b[] = { 2, 4, 6, 8, 10 };
	struct zb_mwu r;

	ASSERT_EQ(0, zb_mann_whitney(a, 5, b, 5, &r));
	ASSERT_NEAR(10, r.u, 0);
	/* enumerated: 174 of 252 arrangements have U <= 10 */
	ASSERT_NEAR(0.6904761904761905, r.p, 1e-12);
}

TEST(mwu_asymptotic_with_ties)
{
	double a[30], b[30];
	struct zb_mwu r;
	int i;

	for (i = 0; i < 30; i++) {
		static const double base[] = { 1, 2, 2, 3, 3, 3, 4, 4, 4, 4 };

		a[i] = base[i % 10];
		b[i] = base[i % 10] + 1;
	}
	ASSERT_EQ(0, zb_mann_whitney(a, 30, b, 30, &r));
	ASSERT_TRUE(!r.exact);
	ASSERT_NEAR(225, r.u, 0);
	/* tie-corrected normal approximation with continuity correction */
	ASSERT_NEAR(0.0005789862936034194, r.p, 1e-12);
}

TEST(mwu_identical_samples)
{
	double a[] = { 5, 5, 5, 5 };
	struct zb_mwu r;

	ASSERT_EQ(0, zb_mann_whitney(a, 4, a, 4, &r));
	ASSERT_NEAR(1, r.p, 0);
	ASSERT_EQ(-EDOM, zb_mann_whitney(a, 0, a, 4, &r));
}

TEST(holm_and_bh_adjustment)
{
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];
	enum zb_correction c;

	ASSERT_EQ(0, zb_adjust_p(p, adj, 4, ZB_CORR_HOLM));
	ASSERT_NEAR(0.03, adj[0], 1e-12);
	ASSERT_NEAR(0.06, adj[1], 1e-12);
	ASSERT_NEAR(0.06, adj[2], 1e-12);
	ASSERT_NEAR(0.02, adj[3], 1e-12);
	ASSERT_EQ(0, zb_adjust_p(p, adj, 4, ZB_CORR_BH));
	ASSERT_NEAR(0.02, adj[0], 1e-12);
	ASSERT_NEAR(0.04, adj[1], 1e-12);
	ASSERT_NEAR(0.04, adj[2], 1e-12);
	ASSERT_NEAR(0.02, adj[3], 1e-12);
	ASSERT_EQ(0, zb_adjust_p(p, adj, 4, ZB_CORR_NONE));
	ASSERT_NEAR(0.04, adj[1], 0);
	ASSERT_EQ(0, zb_correction_parse("bh", &c));
	ASSERT_EQ(ZB_CORR_BH, c);
	ASSERT_EQ(-EINVAL, zb_correction_parse("bonferoni", &c));
}

static double expo(unsigned int *seed)
{
	return -log(1.0 - (double)rand_r(seed) / ((double)RAND_MAX + 1.0));
}

TEST(bootstrap_ci_covers_true_shift)
{
	unsigned int seed = 777;
	int trial, covered = 0, trials = 200;
	double a[101], b[101];

	/* b = a's distribution + 0.5: the medians differ by exactly 0.5 */
	for (trial = 0; trial < trials; trial++) {
		double lo, hi;
		int i;

		for (i = 0; i < 101; i++) {
			a[i] = expo(&seed);
			b[i] = expo(&seed) + 0.5;
		}
		ASSERT_EQ(0, zb_bootstrap_median_diff(a, 101, b, 101, 500, trial + 1, 0.95,
						      &lo, &hi));
		covered += lo <= 0.5 && 0.5 <= hi;
	}
	/* nominal 95 %; the percentile bootstrap of a median runs close */
	ASSERT_TRUE(covered >= trials * 0.90);
	ASSERT_TRUE(covered <= trials * 0.99);
}

TEST(bootstrap_is_reproducible)
{
	double a[] = { 1, 2, 3, 4, 5, 6, 7 }, b[] = { 3, 4, 5, 6, 7, 8, 9 };
	double lo1, hi1, lo2, hi2;

	ASSERT_EQ(0, zb_bootstrap_median_diff(a, 7, b, 7, 200, 42, 0.95, &lo1, &hi1));
	ASSERT_EQ(0, zb_bootstrap_median_diff(a, 7, b, 7, 200, 42, 0.95, &lo2, &hi2));
	ASSERT_NEAR(lo1, lo2, 0);
	ASSERT_NEAR(hi1, hi2, 0);
	ASSERT_TRUE(lo1 <= 2 && 2 <= hi1);
}

TEST(mad_is_robust)
{
	double v[] = { 1, 2, 3, 4, 100 };

	/* deviations from 3: 2 1 0 1 97 -> median 1 */
	ASSERT_NEAR(1.4826, zb_mad(v, 5), 1e-12);
}
