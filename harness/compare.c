// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

/* All values of one case on one side: repetition medians and samples. */
struct side {
	double *reps, *samples;
	size_t nr_reps, nr_samples;
};

const char *zb_verdict_name(enum zb_verdict v)
{
	static const char *const names[] = {
		"no significant change", "REGRESSED", "improved", "missing in new", "added in new",
		"stress case, not gated",
	};

	return names[v];
}

static int push(double **v, size_t *n, double x)
{
	double *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p)
		return -ENOMEM;
	p[(*n)++] = x;
	*v = p;
	return 0;
}

static int gather(const struct zb_jval *const *recs, int nr, const char *name, struct side *s)
{
	int r, err = 0;
	size_t i, k;

	memset(s, 0, sizeof(*s));
	for (r = 0; r < nr && !err; r++) {
		const struct zb_jval *b = zb_jobj_get(recs[r], "benchmarks");

		for (i = 0; b && i < b->n && !err; i++) {
			const struct zb_jval *it = &b->items[i], *smp;
			const char *t = zb_jobj_str(it, "run_type");

			if (!t || strcmp(t, "iteration") || strcmp(zb_jobj_str(it, "name"), name))
				continue;
			err = push(&s->reps, &s->nr_reps, zb_jobj_num(it, "real_time"));
			smp = zb_jobj_get(it, "samples");
			for (k = 0; smp && k < smp->n && !err; k++)
				err = push(&s->samples, &s->nr_samples, smp->items[k].num);
		}
	}
	return err;
}

static void side_free(struct side *s)
{
	free(s->reps);
	free(s->samples);
}

static double median_of(const double *v, size_t n)
{
	double *t = malloc(n * sizeof(*t)), m;

	if (!t)
		return NAN;
	memcpy(t, v, n * sizeof(*t));
	zb_sort(t, n);
	m = zb_percentile_sorted(t, n, 50);
	free(t);
	return m;
}

static double spread_pct(const double *v, size_t n, int by_reps, double med)
{
	double mean = 0, sq = 0;
	size_t i;

	if (!by_reps)
		return 100 * zb_mad(v, n) / med;
	for (i = 0; i < n; i++)
		mean += v[i] / (double)n;
	for (i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	return n > 1 ? 100 * sqrt(sq / (double)(n - 1)) / mean : 0;
}

static int compare_case(struct side *a, struct side *b, const struct zb_cmp_opts *o,
			struct zb_cmp_row *r)
{
	const double *va, *vb;
	struct zb_mwu u;
	double lo, hi;
	int err;

	r->by_reps = a->nr_reps >= ZB_CMP_MIN_REPS && b->nr_reps >= ZB_CMP_MIN_REPS;
	va = r->by_reps ? a->reps : a->samples;
	vb = r->by_reps ? b->reps : b->samples;
	r->n_base = r->by_reps ? a->nr_reps : a->nr_samples;
	r->n_new = r->by_reps ? b->nr_reps : b->nr_samples;
	if (!r->n_base || !r->n_new)
		return -ENODATA;
	r->base = median_of(va, r->n_base);
	r->new_ = median_of(vb, r->n_new);
	r->change_pct = 100 * (r->new_ - r->base) / r->base;
	r->base_sd_pct = spread_pct(va, r->n_base, r->by_reps, r->base);
	r->new_sd_pct = spread_pct(vb, r->n_new, r->by_reps, r->new_);
	err = zb_mann_whitney(va, r->n_base, vb, r->n_new, &u);
	if (err)
		return err;
	r->p = u.p;
	err = zb_bootstrap_median_diff(va, r->n_base, vb, r->n_new, o->boot_iters,
				       0x5eedULL, 0.95, &lo, &hi);
	if (err)
		return err;
	r->ci_lo_pct = 100 * lo / r->base;
	r->ci_hi_pct = 100 * hi / r->base;
	return 0;
}

/* Does any record mark @name as a correctness stress? */
static int is_stress(const struct zb_jval *const *recs, int nr, const char *name)
{
	int r;
	size_t i;

	for (r = 0; r < nr; r++) {
		const struct zb_jval *b = zb_jobj_get(recs[r], "benchmarks");

		for (i = 0; b && i < b->n; i++) {
			const struct zb_jval *st = zb_jobj_get(&b->items[i], "stress");
			const char *n = zb_jobj_str(&b->items[i], "name");

			if (n && !strcmp(n, name) && st && st->type == ZB_JBOOL && st->num)
				return 1;
		}
	}
	return 0;
}

/* Iteration names of @recs, each once, in first-seen order. */
static int names_of(const struct zb_jval *const *recs, int nr, char ***out, int *n)
{
	char **v = NULL;
	int r, k;
	size_t i;

	*n = 0;
	for (r = 0; r < nr; r++) {
		const struct zb_jval *b = zb_jobj_get(recs[r], "benchmarks");

		for (i = 0; b && i < b->n; i++) {
			const char *t = zb_jobj_str(&b->items[i], "run_type");
			const char *name = zb_jobj_str(&b->items[i], "name");
			char **p;

			if (!t || strcmp(t, "iteration") || !name)
				continue;
			for (k = 0; k < *n && strcmp(v[k], name); k++)
				;
			if (k < *n)
				continue;
			p = realloc(v, (size_t)(*n + 1) * sizeof(*v));
			if (!p)
				return -ENOMEM;
			v = p;
			v[(*n)++] = strdup(name);
		}
	}
	*out = v;
	return 0;
}

static int has_name(char **v, int n, const char *name)
{
	while (n--)
		if (!strcmp(v[n], name))
			return 1;
	return 0;
}

/* Loud, not fatal: comparing two kernels is the point; know it is. */
static void check_contexts(const struct zb_jval *a, const struct zb_jval *b, struct zb_cmp *c)
{
	static const char *const keys[] = {
		"host_name", "kernel", "cpu_model", "clocksource", "hypervisor", "num_cpus",
	};
	const struct zb_jval *ca = zb_jobj_get(a, "context"), *cb = zb_jobj_get(b, "context");
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && c->nr_warnings < 8; i++) {
		const struct zb_jval *x = zb_jobj_get(ca, keys[i]), *y = zb_jobj_get(cb, keys[i]);
		char xs[96], ys[96];

		if (!x || !y)
			continue;
		if (x->type == ZB_JSTR && y->type == ZB_JSTR && !strcmp(x->str, y->str))
			continue;
		if (x->type == ZB_JNUM && y->type == ZB_JNUM && x->num == y->num)
			continue;
		snprintf(xs, sizeof(xs), "%s", x->type == ZB_JSTR ? x->str : "");
		snprintf(ys, sizeof(ys), "%s", y->type == ZB_JSTR ? y->str : "");
		if (x->type == ZB_JNUM)
			snprintf(xs, sizeof(xs), "%g", x->num);
		if (y->type == ZB_JNUM)
			snprintf(ys, sizeof(ys), "%g", y->num);
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "%s differs: base '%s', new '%s'", keys[i], xs, ys);
	}
}

static void check_injected(const struct zb_jval *rec, const char *side, struct zb_cmp *c)
{
	const struct zb_jval *o = zb_jobj_get(zb_jobj_get(rec, "context"), "options");
	double pct = zb_jobj_num(o, "inject_slowdown_pct");

	if (pct > 0 && c->nr_warnings < 8)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "%s was run with --inject-slowdown %g%%: not a real measurement",
			 side, pct);
}

static int add_row(struct zb_cmp *c, const char *name, enum zb_verdict v)
{
	struct zb_cmp_row *p = realloc(c->rows, (size_t)(c->n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	c->rows = p;
	memset(&p[c->n], 0, sizeof(p[0]));
	snprintf(p[c->n].name, sizeof(p[0].name), "%s", name);
	p[c->n].verdict = v;
	p[c->n].p = p[c->n].p_adj = NAN;
	c->n++;
	return 0;
}

static void decide(struct zb_cmp *c, const struct zb_cmp_opts *o)
{
	double *p = malloc((size_t)c->n * sizeof(*p)), *adj = malloc((size_t)c->n * sizeof(*p));
	int i, k = 0;

	if (!p || !adj)
		goto out;
	for (i = 0; i < c->n; i++)
		if (!isnan(c->rows[i].p))
			p[k++] = c->rows[i].p;
	zb_adjust_p(p, adj, (size_t)k, o->corr);
	for (i = 0, k = 0; i < c->n; i++) {
		struct zb_cmp_row *r = &c->rows[i];

		if (isnan(r->p))
			continue;
		r->p_adj = adj[k++];
		/* both: significant after correction, and big enough to matter */
		if (r->p_adj < o->alpha && fabs(r->change_pct) >= o->threshold_pct)
			r->verdict = r->change_pct > 0 ? ZB_REGRESSED : ZB_IMPROVED;
	}
out:
	free(p);
	free(adj);
}

int zb_compare(const struct zb_jval *const *base, int nb, const struct zb_jval *const *new_,
	       int nn, const struct zb_cmp_opts *o, struct zb_cmp *c)
{
	char **bn = NULL, **nw = NULL;
	int nbn = 0, nnw = 0, i, err;

	memset(c, 0, sizeof(*c));
	check_contexts(base[0], new_[0], c);
	check_injected(base[0], "base", c);
	check_injected(new_[0], "new", c);
	err = names_of(base, nb, &bn, &nbn);
	if (!err)
		err = names_of(new_, nn, &nw, &nnw);
	for (i = 0; i < nbn && !err; i++) {
		struct side a = { 0 }, b = { 0 };

		if (!has_name(nw, nnw, bn[i])) {
			err = add_row(c, bn[i], ZB_MISSING);
			continue;
		}
		err = gather(base, nb, bn[i], &a);
		if (!err)
			err = gather(new_, nn, bn[i], &b);
		if (!err)
			err = add_row(c, bn[i], ZB_SAME);
		if (!err && compare_case(&a, &b, o, &c->rows[c->n - 1]))
			c->rows[c->n - 1].p = NAN;
		else if (!err && is_stress(new_, nn, bn[i]))
			/* shown, but outside the tested family and never a verdict */
			c->rows[c->n - 1].p = NAN;
		else if (!err)
			c->nr_tested++;
		if (!err && is_stress(new_, nn, bn[i]))
			c->rows[c->n - 1].verdict = ZB_STRESS;
		if (!err && !c->rows[c->n - 1].by_reps)
			c->single_run = 1;
		side_free(&a);
		side_free(&b);
	}
	for (i = 0; i < nnw && !err; i++)
		if (!has_name(bn, nbn, nw[i]))
			err = add_row(c, nw[i], ZB_ADDED);
	if (!err)
		decide(c, o);
	for (i = 0; i < c->n; i++)
		c->counts[c->rows[i].verdict]++;
	for (i = 0; i < nbn; i++)
		free(bn[i]);
	for (i = 0; i < nnw; i++)
		free(nw[i]);
	free(bn);
	free(nw);
	return err;
}

void zb_cmp_free(struct zb_cmp *c)
{
	free(c->rows);
	memset(c, 0, sizeof(*c));
}
