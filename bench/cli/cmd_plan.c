// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench plan: how many rounds would resolve +-T, from a pilot.
 *
 * The pilot is one configuration's rounds (run --repetitions N
 * --interleave, or several records).  Its between-round spread of each
 * point's log median is what a comparison has to see through.  Paired
 * rounds (ab) see the spread of a difference of two rounds, at most
 * sqrt(2) times one round's when adjacent rounds are independent, and less
 * when they drift together; unpaired rounds (a stored baseline) see it on
 * each side.  The level is the first Holm step over the gated points,
 * alpha/m: the strictest any point faces.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/ab_cmp.h"
#include "cli/cli.h"
#include "compare/compare.h"
#include "compare/rounds.h"
#include "record/pointname.h"
#include "record/record_load.h"
#include "record/record_points.h"
#include "stats/infer.h"
#include "stats/stats.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench plan RECORD... [--threshold PCT] [--alpha A] [--all]\n"
	"       zapbench plan AB-DIR [--threshold PCT] [--alpha A] [--all]\n\n"
	"From a pilot's rounds (run --repetitions N --interleave, or several records of\n"
	"one configuration): per point, the spread between rounds and the rounds that\n"
	"resolve +-PCT (default 5) with 80 % power at the adjusted level, paired (zapbench\n"
	"ab; for kernels one round is one boot) and unpaired (a stored baseline, per side);\n"
	"then the suite: the rounds every point needs, and the time that takes here.\n"
	"An earlier zapbench ab's --out directory (best an A/A one) is a paired pilot:\n"
	"its paired spread is what ab sees, often far less than sqrt(2) times one side's.\n"
	"--all lists every point, not only the ten that need the most.\n\n";

struct point_plan {
	const char *name;
	int rounds;
	double sd_pct;
	int paired, unpaired;
};

static int cmp_need(const void *x, const void *y)
{
	const struct point_plan *a = x, *b = y;
	int na = a->paired < 0 ? 1 << 30 : a->paired, nb = b->paired < 0 ? 1 << 30 : b->paired;

	return nb - na;
}

static int cmp_int(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

static void fmt_need(char *buf, size_t len, int n)
{
	if (n < 0)
		snprintf(buf, len, ">%d", ZB_CMP_MAX_ROUNDS);
	else
		snprintf(buf, len, "%d", n);
}

/* What one record's points took, in seconds. */
static double round_wall(const struct zb_jval *rec)
{
	const struct zb_jval *row;
	double t = 0;
	size_t i;

	for (i = 0; (row = zb_rrow_next(rec, &i));) {
		double w = zb_jobj_num(row, "wall_s");

		t += isfinite(w) ? w : 0;
	}
	return t;
}

static int plan_points(const struct zb_side *s, double t, double level, struct point_plan *pp,
		       double *round_s)
{
	size_t i, e, k;
	int n = 0;

	*round_s = 0;
	for (i = 0; i < s->n; i = e) {
		double mean = 0, sq = 0;

		e = zb_side_span(s, i);
		for (k = i; k < e; k++) {
			mean += s->o[k].lmed / (double)(e - i);
			*round_s += isfinite(s->o[k].wall_s) ? s->o[k].wall_s : 0;
		}
		if (s->o[i].stress)
			continue;
		for (k = i; k < e; k++)
			sq += (s->o[k].lmed - mean) * (s->o[k].lmed - mean);
		pp[n].name = s->o[i].name;
		pp[n].rounds = (int)(e - i);
		pp[n].sd_pct = e - i > 1 ? 100 * sqrt(sq / (double)(e - i - 1)) : NAN;
		pp[n].paired = zb_rounds_needed(M_SQRT2 * pp[n].sd_pct / 100, log1p(t / 100), 1,
						level, ZB_CMP_POWER, ZB_CMP_MAX_ROUNDS);
		pp[n].unpaired = zb_rounds_needed(pp[n].sd_pct / 100, log1p(t / 100), 0, level,
						  ZB_CMP_POWER, ZB_CMP_MAX_ROUNDS);
		n++;
	}
	*round_s /= s->rounds > 0 ? s->rounds : 1;
	return n;
}

static void print_plan(struct point_plan *pp, int n, double t, double alpha, double round_s,
		       int all)
{
	int i, worst = 0, worst_u = 0, shown = all ? n : (n < 10 ? n : 10);
	int *need = calloc((size_t)n + 1, sizeof(*need));
	char a[16], b[16];

	qsort(pp, (size_t)n, sizeof(*pp), cmp_need);
	printf("%-84s %6s %6s %6s %8s\n", "point (the ones that need most first)", "rounds",
	       "sd %", "paired", "unpaired");
	for (i = 0; i < shown; i++) {
		fmt_need(a, sizeof(a), pp[i].paired);
		fmt_need(b, sizeof(b), pp[i].unpaired);
		printf("%-84.84s %6d %6.2f %6s %8s\n", pp[i].name, pp[i].rounds, pp[i].sd_pct, a, b);
	}
	for (i = 0; i < n; i++) {
		worst = worst < 0 || pp[i].paired < 0 ? -1 : worst > pp[i].paired ? worst :
			pp[i].paired;
		worst_u = worst_u < 0 || pp[i].unpaired < 0 ? -1 :
			  worst_u > pp[i].unpaired ? worst_u : pp[i].unpaired;
		if (need)
			need[i] = pp[i].paired < 0 ? ZB_CMP_MAX_ROUNDS + 1 : pp[i].paired;
	}
	fmt_need(a, sizeof(a), worst);
	fmt_need(b, sizeof(b), worst_u);
	printf("\nto resolve +-%g%% at every one of %d gated points (alpha %g/%d, 80%% power):\n"
	       "  zapbench ab (paired): %s rounds a side; a kernel A/B: %s boots a side\n"
	       "  make bench against a stored baseline (unpaired): %s rounds a side\n", t, n,
	       alpha, n, a, a, b);
	if (need && n) {
		qsort(need, (size_t)n, sizeof(*need), cmp_int);
		printf("  90%% of the points: %d paired rounds\n", need[(n * 9) / 10 - (n >= 10)]);
	}
	if (worst > 0)
		printf("  a round of this suite took %.1f s here: ab needs about %.0f min\n",
		       round_s, 2 * worst * round_s / 60);
	free(need);
}

/* A paired pilot: ab's directory, its rounds compared as ab does. */
static int plan_dir(const char *dir, double t, double alpha, int all)
{
	struct zb_cmp_opts o;
	struct ab_plan p;
	struct cmp_args *c;
	struct point_plan *pp;
	int done = ab_plan_dir(&p, dir), i, n = 0;
	double round_s = 0;

	if (done < 2) {
		zb_err("%s: a paired pilot needs 2 completed rounds or more (has %d)", dir, done);
		return ZB_EXIT_USAGE;
	}
	cmp_opts_default(&o);
	o.threshold_pct = t;
	o.alpha = alpha;
	c = ab_compare(&p, done, 0, 1, &o);
	if (!c)
		return ZB_EXIT_USAGE;
	pp = calloc((size_t)c->cmp.n + 1, sizeof(*pp));
	for (i = 0; pp && i < c->cmp.n; i++) {
		const struct zb_cmp_row *r = &c->cmp.rows[i];

		if (r->verdict == ZB_STRESS || r->verdict == ZB_MISSING || r->verdict == ZB_ADDED)
			continue;
		pp[n].name = r->name;
		pp[n].rounds = r->n_new;
		pp[n].sd_pct = r->unit_sd_pct;
		pp[n].paired = r->rounds_needed;
		pp[n].unpaired = zb_rounds_needed(r->sd_between_pct / 100, log1p(t / 100), 0,
						  1 - alpha / c->cmp.nr_tested, ZB_CMP_POWER,
						  ZB_CMP_MAX_ROUNDS);
		n++;
	}
	for (i = 0; i < c->nb; i++)
		round_s += round_wall(c->bp[i]) + round_wall(c->np[i]);
	printf("pilot: %d paired rounds of %d gated points in %s on %s\n", done, n, dir,
	       c->cmp.base_machine);
	printf("(sd %%: of one paired log-ratio; the levels are the pilot's adjusted ones)\n");
	if (pp)
		print_plan(pp, n, t, alpha, round_s / 2 / done, all);
	free(pp);
	ab_compare_free(c);
	return pp ? ZB_EXIT_OK : ZB_EXIT_FAIL;
}

/* A pilot's records, loaded as they are named, or one ab directory. */
struct pilot {
	struct zb_jval recs[ZB_CMP_MAX_RECORDS];
	const struct zb_jval *ptr[ZB_CMP_MAX_RECORDS];
	int nr;
	const char *dir;
};

static int add_pilot(void *ctx, const char *word)
{
	struct pilot *pl = ctx;
	struct stat st;
	char err[512];

	if (!stat(word, &st) && S_ISDIR(st.st_mode)) {
		pl->dir = word;
		return 0;
	}
	if (pl->nr == ZB_CMP_MAX_RECORDS) {
		zb_err("more than %d records", ZB_CMP_MAX_RECORDS);
		return -E2BIG;
	}
	if (zb_record_load(word, &pl->recs[pl->nr], err, sizeof(err))) {
		zb_err("%s", err);
		return -EINVAL;
	}
	pl->ptr[pl->nr] = &pl->recs[pl->nr];
	pl->nr++;
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	struct pilot *pl = calloc(1, sizeof(*pl));
	struct point_plan *pp = NULL;
	struct zb_side s = { 0 };
	struct zb_cmp_opts o;
	int i, n, all = 0, ret = ZB_EXIT_USAGE;
	const struct cli_opt opts[] = {
		CMP_THRESHOLD_OPTS(&o),
		CLI_FLAG("--all", 0, &all, "every point, not only the ten that need the most"),
		CLI_END
	};
	struct cli_cmd cmd = { .prog = "zapbench plan", .usage = usage, .opts = opts,
			       .arg = add_pilot, .ctx = pl };
	double t, alpha, round_s;
	char err[512];

	if (!pl)
		return ZB_EXIT_FAIL;
	cmp_opts_default(&o);
	i = cli_parse(&cmd, argc, argv);
	if (i) {
		ret = cli_exit(i);
		goto out;
	}
	t = o.threshold_pct;
	alpha = o.alpha;
	if (pl->dir && pl->nr) {
		zb_err("plan takes records or one ab directory, not both");
		goto out;
	}
	if (pl->dir) {
		ret = plan_dir(pl->dir, t, alpha, all);
		goto out;
	}
	if (!pl->nr) {
		zb_err("needs a pilot's records (see zapbench plan --help)");
		goto out;
	}
	if (zb_side_gather(pl->ptr, pl->nr, "pilot", &s, err, sizeof(err))) {
		zb_err("%s", err);
		goto out;
	}
	pp = calloc(s.n + 1, sizeof(*pp));
	if (!pp)
		goto out;
	/* first count the family, then plan at its strictest level */
	n = plan_points(&s, t, 0.95, pp, &round_s);
	n = plan_points(&s, t, 1 - alpha / (n ? n : 1), pp, &round_s);
	printf("pilot: %d round%s of %d gated points on %s\n", s.rounds, s.rounds == 1 ? "" : "s",
	       n, s.machine);
	if (s.rounds < 2) {
		zb_err("a pilot needs at least 2 rounds (run --repetitions 3 --interleave)");
		goto out;
	}
	print_plan(pp, n, t, alpha, round_s, all);
	ret = ZB_EXIT_OK;
out:
	free(pp);
	zb_side_free(&s);
	for (i = 0; i < pl->nr; i++)
		zb_jval_free(&pl->recs[i]);
	free(pl);
	return ret;
}
