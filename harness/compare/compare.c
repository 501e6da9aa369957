// SPDX-License-Identifier: GPL-2.0
/* Two sets of records, point by point, in rounds: see compare.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "compare/rounds.h"
#include "stats/infer.h"
#include "stats/stats.h"

static const char *const verdict_names[ZB_NR_VERDICTS] = {
	"no change", "REGRESSED", "improved", "inconclusive", "missing in new",
	"added in new", "stress case, not gated",
};

static const char *const verdict_words[ZB_NR_VERDICTS] = {
	"no change", "regressed", "improved", "inconclusive", "missing", "added", "stress",
};

const char *zb_verdict_name(enum zb_verdict v)
{
	return verdict_names[v];
}

const char *zb_verdict_word(enum zb_verdict v)
{
	return verdict_words[v];
}

static int add_row(struct zb_cmp *c, const char *name, enum zb_verdict v)
{
	struct zb_cmp_row *p;

	if (!(c->n & (c->n - 1)) || !c->rows) {
		p = realloc(c->rows, (size_t)(c->n ? 2 * c->n : 64) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		c->rows = p;
	}
	p = &c->rows[c->n++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->verdict = v;
	p->base = p->new_ = p->change_pct = p->ci_lo_pct = p->ci_hi_pct = NAN;
	p->p = p->p_adj = p->level = NAN;
	p->mde_pct = INFINITY;
	p->unit_sd_pct = NAN;
	p->rounds_needed = -1;
	return 0;
}

static double var_of(const double *v, size_t n)
{
	double mean = 0, sq = 0;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++)
		mean += v[i] / (double)n;
	for (i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	return sq / (double)(n - 1);
}

/* Medians, between-round spread and range of one side's rounds of a point. */
static void describe(const struct zb_obs *o, size_t n, double *lv, double *tmp, double *med,
		     double *sd_pct, double *lo, double *hi)
{
	struct zb_summary s;
	size_t i;

	for (i = 0; i < n; i++) {
		lv[i] = o[i].lmed;
		tmp[i] = o[i].med;
	}
	zb_summarize(tmp, n, &s);
	*med = s.median;
	*lo = s.min;
	*hi = s.max;
	*sd_pct = n > 1 ? 100 * s.stddev / s.mean : NAN;
}

/* Between-round and within-round variance, pooled over both sides. */
static void components(const struct zb_obs *a, size_t na, const struct zb_obs *b, size_t nb,
		       const double *la, const double *lb, struct zb_cmp_row *r)
{
	double within = 0, total = 0;
	int nw = 0, nt = 0;
	size_t i;

	for (i = 0; i < na; i++)
		if (!isnan(a[i].se2))
			within += a[i].se2, nw++;
	for (i = 0; i < nb; i++)
		if (!isnan(b[i].se2))
			within += b[i].se2, nw++;
	if (na > 1)
		total += var_of(la, na), nt++;
	if (nb > 1)
		total += var_of(lb, nb), nt++;
	within = nw ? within / nw : NAN;
	total = nt ? total / nt : NAN;
	r->sd_within_pct = 100 * sqrt(within);
	r->sd_between_pct = 100 * sqrt(fmax(0, total - (isnan(within) ? 0 : within)));
}

/* The values the interval is computed from, kept per tested row. */
struct unit {
	double *x, *y;			/* unpaired: log medians; paired: y = log-ratios */
	int nx, ny;
	double sd;			/* of one difference (paired) or one round (pooled) */
};

static int estimate(const struct unit *u, int paired, double level, struct zb_est *e)
{
	if (paired)
		return zb_signed_rank_est(u->y, (size_t)u->ny, level, e);
	return zb_rank_sum_est(u->x, (size_t)u->nx, u->y, (size_t)u->ny, level, e);
}

/* Pairs of the two sides' rounds of one point: log-ratios into @d. */
static int pair_up(const struct zb_obs *a, size_t na, const struct zb_obs *b, size_t nb, double *d)
{
	size_t i = 0, j = 0;
	int n = 0;

	while (i < na && j < nb) {
		if (a[i].round < b[j].round) {
			i++;
		} else if (a[i].round > b[j].round) {
			j++;
		} else {
			d[n++] = b[j].lmed - a[i].lmed;
			i++;
			j++;
		}
	}
	return n;
}

static int point(struct zb_cmp *c, const struct zb_cmp_opts *o, const struct zb_obs *a,
		 size_t na, const struct zb_obs *b, size_t nb, struct unit *u)
{
	struct zb_cmp_row *r = &c->rows[c->n - 1];
	size_t n = na > nb ? na : nb;
	double *tmp = malloc(n * sizeof(*tmp));
	int ret = -ENOMEM, i, stress = 0;

	u->x = malloc(na * sizeof(double));
	u->y = malloc(n * sizeof(double));
	if (!tmp || !u->x || !u->y)
		goto out;
	describe(a, na, u->x, tmp, &r->base, &r->base_sd_pct, &r->base_min, &r->base_max);
	describe(b, nb, u->y, tmp, &r->new_, &r->new_sd_pct, &r->new_min, &r->new_max);
	components(a, na, b, nb, u->x, u->y, r);
	u->nx = (int)na;
	u->ny = (int)nb;
	r->n_base = (int)na;
	r->n_new = (int)nb;
	if (o->paired) {
		u->ny = pair_up(a, na, b, nb, u->y);
		r->n_base = r->n_new = u->ny;
		u->sd = sqrt(var_of(u->y, (size_t)u->ny));
	} else {
		double va = var_of(u->x, na), vb = var_of(u->y, nb);

		u->sd = na > 1 && nb > 1 ?
			sqrt(((double)(na - 1) * va + (double)(nb - 1) * vb) / (double)(na + nb - 2)) :
			NAN;
	}
	for (i = 0; i < (int)na; i++)
		stress |= a[i].stress;
	for (i = 0; i < (int)nb; i++)
		stress |= b[i].stress;
	r->verdict = stress ? ZB_STRESS : ZB_INCONCLUSIVE;
	ret = 0;
out:
	free(tmp);
	return ret;
}

static void pct_of(double l, double *pct)
{
	*pct = isfinite(l) ? 100 * expm1(l) : l > 0 ? INFINITY : -INFINITY;
}

static void judge(struct zb_cmp_row *r, const struct zb_est *e, const struct unit *u,
		  const struct zb_cmp_opts *o)
{
	double up = log1p(o->threshold_pct / 100), down = log1p(-fmin(o->threshold_pct, 99) / 100);
	double mde;

	pct_of(e->est, &r->change_pct);
	pct_of(e->lo, &r->ci_lo_pct);
	pct_of(e->hi, &r->ci_hi_pct);
	r->level = e->level;
	r->unit_sd_pct = 100 * u->sd;
	mde = zb_mde(u->sd, o->paired ? u->ny : u->nx, o->paired ? 0 : u->ny, e->level,
		     ZB_CMP_POWER);
	r->mde_pct = isfinite(mde) ? 100 * expm1(mde) : INFINITY;
	r->rounds_needed = zb_rounds_needed(isfinite(u->sd) ? u->sd : NAN, up, o->paired,
					    e->level, ZB_CMP_POWER, ZB_CMP_MAX_ROUNDS);
	if (e->lo > down && e->hi < up)
		r->verdict = ZB_NO_CHANGE;
	else if (e->lo > 0)
		r->verdict = ZB_REGRESSED;
	else if (e->hi < 0)
		r->verdict = ZB_IMPROVED;
	else
		r->verdict = ZB_INCONCLUSIVE;
}

/* A stress point's change, shown for information at the unadjusted level. */
static void show_only(struct zb_cmp_row *r, const struct unit *u, const struct zb_cmp_opts *o)
{
	struct zb_est e;

	if (u->ny < 1 || (!o->paired && u->nx < 1) || estimate(u, o->paired, 1 - o->alpha, &e))
		return;
	pct_of(e.est, &r->change_pct);
	pct_of(e.lo, &r->ci_lo_pct);
	pct_of(e.hi, &r->ci_hi_pct);
	r->level = e.level;
}

/* The family: p-values, the adjusted levels, then each interval at its level. */
static int decide(struct zb_cmp *c, const struct zb_cmp_opts *o, struct unit *u)
{
	size_t sz = (size_t)c->n + 1;
	double *p = calloc(sz, sizeof(*p)), *adj = calloc(sz, sizeof(*adj));
	double *lvl = calloc(sz, sizeof(*lvl));
	int *rej = calloc(sz, sizeof(*rej)), *at = calloc(sz, sizeof(*at));
	int i, m = 0, ret = -ENOMEM;
	struct zb_est e;

	if (!p || !adj || !lvl || !rej || !at)
		goto out;
	for (i = 0; i < c->n; i++) {
		if (c->rows[i].verdict == ZB_STRESS)
			show_only(&c->rows[i], &u[i], o);
		/* paired rounds that never met, or a side without rounds: nothing to test */
		if (c->rows[i].verdict != ZB_INCONCLUSIVE || u[i].ny < 1 ||
		    (!o->paired && u[i].nx < 1) || estimate(&u[i], o->paired, 0.95, &e))
			continue;
		c->rows[i].p = p[m] = e.p;
		at[m++] = i;
	}
	c->nr_tested = m;
	ret = zb_adjusted_levels(p, (size_t)m, o->alpha, o->corr, lvl, rej);
	if (!ret)
		ret = zb_adjust_p(p, adj, (size_t)m, o->corr);
	for (i = 0; !ret && i < m; i++) {
		struct zb_cmp_row *r = &c->rows[at[i]];

		r->p_adj = adj[i];
		ret = estimate(&u[at[i]], o->paired, lvl[i], &e);
		if (!ret)
			judge(r, &e, &u[at[i]], o);
	}
out:
	free(p);
	free(adj);
	free(lvl);
	free(rej);
	free(at);
	return ret;
}

static void units_free(struct unit *u, int n)
{
	int i;

	for (i = 0; u && i < n; i++) {
		free(u[i].x);
		free(u[i].y);
	}
	free(u);
}

/* What the inconclusive points could resolve, for the summary line. */
static void resolution(struct zb_cmp *c)
{
	double *m = malloc(((size_t)c->n + 1) * sizeof(*m));
	int i, k = 0;

	c->median_mde_pct = NAN;
	c->max_rounds_needed = 0;
	for (i = 0; i < c->n; i++) {
		const struct zb_cmp_row *r = &c->rows[i];

		if (r->verdict != ZB_INCONCLUSIVE)
			continue;
		if (m)
			m[k++] = r->mde_pct;
		if (r->rounds_needed < 0 || c->max_rounds_needed < 0)
			c->max_rounds_needed = -1;
		else if (r->rounds_needed > c->max_rounds_needed)
			c->max_rounds_needed = r->rounds_needed;
	}
	if (m && k) {
		zb_sort(m, (size_t)k);
		c->median_mde_pct = zb_percentile_sorted(m, (size_t)k, 50);
	}
	free(m);
}

/*
 * Unpaired rounds come from two sessions of the machine.  When the points
 * moved together by half the threshold or more, the machine may have
 * changed between the sessions (another guest on the host, frequency,
 * memory layout) as much as the code, and the rounds of one session
 * cannot tell which: every judged point is then inconclusive, and the
 * comparison says why.  Paired rounds share their session: a common shift
 * there is the change.
 */
static void common_shift(struct zb_cmp *c, const struct zb_cmp_opts *o)
{
	double *v = malloc(((size_t)c->n + 1) * sizeof(*v));
	int i, k = 0;

	c->session_shift_pct = NAN;
	if (!v)
		return;
	for (i = 0; i < c->n; i++)
		if (c->rows[i].verdict <= ZB_INCONCLUSIVE && isfinite(c->rows[i].change_pct))
			v[k++] = c->rows[i].change_pct;
	if (k >= 5 && !o->paired) {
		zb_sort(v, (size_t)k);
		c->session_shift_pct = zb_percentile_sorted(v, (size_t)k, 50);
	}
	free(v);
	if (!(fabs(c->session_shift_pct) >= o->threshold_pct / 2))
		return;
	for (i = 0; i < c->n; i++)
		if (c->rows[i].verdict < ZB_INCONCLUSIVE)
			c->rows[i].verdict = ZB_INCONCLUSIVE;
	c->session_moved = 1;
	if (c->nr_warnings < 8)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "the %d judged points moved by a median of %+.1f%% together: the machine "
			 "may differ that much between two sessions, so no point gets a verdict; "
			 "zapbench ab pairs rounds in one session", k, c->session_shift_pct);
}

static int sides(const struct zb_jval *const *base, int nb, const struct zb_jval *const *new_,
		 int nn, const struct zb_cmp_opts *o, struct zb_side *a, struct zb_side *b,
		 struct zb_cmp *c, char *err, size_t len)
{
	int ret = zb_side_gather(base, nb, "base", a, err, len);

	if (!ret)
		ret = zb_side_gather(new_, nn, "new", b, err, len);
	if (ret)
		return ret;
	snprintf(c->base_id, sizeof(c->base_id), "%s", a->id);
	snprintf(c->new_id, sizeof(c->new_id), "%s", b->id);
	snprintf(c->base_machine, sizeof(c->base_machine), "%s", a->machine);
	snprintf(c->new_machine, sizeof(c->new_machine), "%s", b->machine);
	c->rounds_base = a->rounds;
	c->rounds_new = b->rounds;
	c->paired = o->paired;
	if (strcmp(a->id, b->id)) {
		if (!o->cross_machine) {
			snprintf(err, len, "base and new come from two machines (%s, %s): their "
				 "difference measures the machines; no verdicts "
				 "(--cross-machine compares them anyway)", a->id, b->id);
			return -EXDEV;
		}
		c->cross_machine = 1;
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "two machines compared (--cross-machine): every verdict includes the "
			 "difference between the machines");
	}
	if (o->paired && a->rounds != b->rounds) {
		snprintf(err, len, "paired comparison: base has %d rounds, new %d: a round is "
			 "missing on one side", a->rounds, b->rounds);
		return -EINVAL;
	}
	if (a->inject_pct > 0 || b->inject_pct > 0)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "%s was run with --inject-slowdown %g%%: a test of the method, "
			 "not a measurement", a->inject_pct > 0 ? "base" : "new",
			 a->inject_pct > 0 ? a->inject_pct : b->inject_pct);
	return 0;
}

/* Walk both sides' sorted rounds by name: every point is a row. */
static int merge(struct zb_cmp *c, const struct zb_cmp_opts *o, const struct zb_side *a,
		 const struct zb_side *b, struct unit **units)
{
	/* every row takes at least one observation */
	struct unit *u = calloc(a->n + b->n + 1, sizeof(*u));
	size_t i = 0, j = 0;
	int ret = u ? 0 : -ENOMEM, common = 0;

	*units = u;
	while (!ret && (i < a->n || j < b->n)) {
		int d = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->o[i].name, b->o[j].name);
		size_t ei = d <= 0 ? zb_side_span(a, i) : i, ej = d >= 0 ? zb_side_span(b, j) : j;

		ret = add_row(c, d <= 0 ? a->o[i].name : b->o[j].name,
			      d < 0 ? ZB_MISSING : d > 0 ? ZB_ADDED : ZB_INCONCLUSIVE);
		if (!ret && !d) {
			common++;
			ret = point(c, o, &a->o[i], ei - i, &b->o[j], ej - j, &u[c->n - 1]);
		}
		i = ei;
		j = ej;
	}
	if (!ret && !common)
		ret = -ENODATA;
	return ret;
}

int zb_compare(const struct zb_jval *const *base, int nb, const struct zb_jval *const *new_,
	       int nn, const struct zb_cmp_opts *o, struct zb_cmp *c, char *err, size_t len)
{
	struct zb_side a = { 0 }, b = { 0 };
	struct unit *u = NULL;
	int ret, i;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	ret = sides(base, nb, new_, nn, o, &a, &b, c, err, len);
	if (!ret)
		ret = merge(c, o, &a, &b, &u);
	if (ret == -ENODATA)
		snprintf(err, len, "base and new have no point in common: records of two "
			 "different suites");
	if (!ret)
		ret = decide(c, o, u);
	if (!ret) {
		common_shift(c, o);
		for (i = 0; i < c->n; i++)
			c->counts[c->rows[i].verdict]++;
		resolution(c);
	}
	if (ret && !err[0])
		snprintf(err, len, "comparison failed: %s", strerror(-ret));
	units_free(u, c->n);
	zb_side_free(&a);
	zb_side_free(&b);
	return ret;
}

void zb_cmp_free(struct zb_cmp *c)
{
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

void zb_cmp_design(const struct zb_cmp *c, const struct zb_cmp_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s; Hodges-Lehmann ratio of the round medians, exact %s "
		 "interval;\n%s over %d gated points (alpha %g), verdicts against +-%g%%",
		 c->paired ? "paired rounds (ABBA order)" :
		 "unpaired rounds (a stored baseline)",
		 c->paired ? "Wilcoxon signed-rank" : "Mann-Whitney",
		 zb_correction_name(o->corr), c->nr_tested, o->alpha, o->threshold_pct);
}
