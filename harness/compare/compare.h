/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing two sets of result records point by point.
 *
 * The unit is the round: one run of the suite (a record's repetition,
 * or a whole record), seen by every point once.  Within a round a point
 * has thousands of samples, which see only within-round noise; between
 * rounds, medians on these VMs move by several percent.  So a point's
 * value per round is that round's median, on a log scale, and:
 *   - paired rounds (zapbench ab: A and B adjacent in time, ABBA order)
 *     give one log-ratio per round: Hodges-Lehmann estimate and the
 *     exact Wilcoxon signed-rank interval;
 *   - unpaired rounds (a stored baseline) give two samples of round
 *     medians: Hodges-Lehmann shift and the exact Mann-Whitney interval.
 * The interval's level is adjusted over the gated points (Holm by
 * default), and the verdict is read off the adjusted interval of the
 * ratio against the threshold T:
 *   no change     the interval lies inside (1 - T, 1 + T);
 *   regressed /   it excludes 1 and is not inside: a real change that
 *   improved      may be T or more;
 *   inconclusive  neither: the run could not tell, and says what it could
 *                 resolve (the change it detects with 80 % power at that
 *                 level) and how many rounds would resolve T.
 * Unpaired rounds whose points all moved together by T/2 or more get no
 * verdicts: two sessions of a machine can differ that much by themselves.
 */
#ifndef ZB_COMPARE_H
#define ZB_COMPARE_H

#include "record/json.h"
#include "record/machine.h"
#include "stats/compare_stats.h"

#define ZB_CMP_MAX_RECORDS	256
#define ZB_CMP_POWER		0.8
#define ZB_CMP_MAX_ROUNDS	10000	/* "rounds needed" beyond this: say so */

enum zb_verdict {
	ZB_NO_CHANGE,
	ZB_REGRESSED,
	ZB_IMPROVED,
	ZB_INCONCLUSIVE,
	ZB_MISSING,			/* in base only */
	ZB_ADDED,			/* in new only */
	ZB_STRESS,			/* a correctness stress: latency not judged */
	ZB_NR_VERDICTS,
};

struct zb_cmp_opts {
	double threshold_pct;		/* T: the change that matters */
	double alpha;			/* family-wise (holm) or FDR/FCR (bh) level */
	enum zb_correction corr;
	int paired;			/* round k of base pairs with round k of new */
	int cross_machine;		/* verdicts across machines anyway */
};

struct zb_cmp_row {
	char name[256];
	enum zb_verdict verdict;
	int n_base, n_new;		/* rounds on each side (pairs when paired) */
	double base, new_;		/* median of the round medians, ns */
	double base_sd_pct, new_sd_pct;	/* between-round stddev, % of the mean */
	double base_min, base_max, new_min, new_max;	/* round medians, ns */
	double change_pct;		/* Hodges-Lehmann estimate of the ratio, as % */
	double ci_lo_pct, ci_hi_pct;	/* its interval at @level (+-INF: unresolved) */
	double level;			/* the interval's adjusted confidence level */
	double p, p_adj;		/* dual to the interval; adjusted over the family */
	double mde_pct;			/* smallest change resolved (80 % power), INF: none */
	int rounds_needed;		/* to resolve +-T; -1: unknown or > ZB_CMP_MAX_ROUNDS */
	double unit_sd_pct;		/* sd of one paired log-ratio (or pooled round), % */
	double sd_between_pct;		/* variance components, log scale, as % */
	double sd_within_pct;
};

struct zb_cmp {
	struct zb_cmp_row *rows;
	int n;
	int nr_tested;			/* the family the correction covers */
	int counts[ZB_NR_VERDICTS];
	int paired;
	int rounds_base, rounds_new;	/* rounds the sides hold */
	char base_id[64], new_id[64];	/* machines */
	char base_machine[256], new_machine[256];
	int cross_machine;		/* two machines, compared because asked */
	double session_shift_pct;	/* unpaired: the median point's change; NAN paired */
	int session_moved;		/* ... by T/2 or more: no verdicts (compare.c) */
	double median_mde_pct;		/* over the inconclusive points */
	int max_rounds_needed;		/* over the inconclusive points, -1 unknown */
	char warnings[8][256];
	int nr_warnings;
};

/*
 * Each side: one or more parsed records.  Returns 0, or a negative errno
 * with one line in @err: -EXDEV for two machines without cross_machine,
 * -EINVAL for sides that cannot be compared (paired sides with different
 * rounds, a side mixing machines, no point in common).
 */
int zb_compare(const struct zb_jval *const *base, int nb, const struct zb_jval *const *new_,
	       int nn, const struct zb_cmp_opts *o, struct zb_cmp *out, char *err, size_t errlen);
void zb_cmp_free(struct zb_cmp *c);
/* "REGRESSED", "improved", "no change", "inconclusive", ... */
const char *zb_verdict_name(enum zb_verdict v);
/* The same as a JSON word: "regressed", "no change", ... */
const char *zb_verdict_word(enum zb_verdict v);
/* "paired rounds (ABBA order); ...;\nholm over ..." for the header: two lines. */
void zb_cmp_design(const struct zb_cmp *c, const struct zb_cmp_opts *o, char *buf, size_t len);

#endif
