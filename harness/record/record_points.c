// SPDX-License-Identifier: GPL-2.0
/* Folding a record's repetitions into points. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_points.h"
#include "stats/stats.h"

static int is_iteration(const struct zb_jval *b)
{
	const char *t = zb_jobj_str(b, "run_type");

	return b->type == ZB_JOBJ && zb_jobj_str(b, "name") && (!t || !strcmp(t, "iteration"));
}

const struct zb_jval *zb_rrow_next(const struct zb_jval *rec, size_t *i)
{
	const struct zb_jval *b = zb_jobj_get(rec, "benchmarks");

	while (b && b->type == ZB_JARR && *i < b->n) {
		const struct zb_jval *row = &b->items[(*i)++];

		if (is_iteration(row))
			return row;
	}
	return NULL;
}

static double stat_of(const struct zb_jval *b, const char *key)
{
	return zb_jobj_num(zb_jobj_get(b, "summary"), key);
}

static double median_of(double *v, int n)
{
	if (!n)
		return NAN;
	zb_sort(v, (size_t)n);
	return zb_percentile_sorted(v, (size_t)n, 50);
}

/* Fold the @n repetitions @rows of @pt->name into @pt. */
static int fold(const struct zb_jval *const *rows, size_t nrows, struct zb_rpoint *pt)
{
	double *med, *p90, *p99;
	size_t i;
	int n = 0, ret = -ENOMEM;

	med = calloc(nrows, sizeof(*med));
	p90 = calloc(nrows, sizeof(*p90));
	p99 = calloc(nrows, sizeof(*p99));
	if (!med || !p90 || !p99)
		goto out;
	pt->lo = INFINITY;
	pt->hi = -INFINITY;
	for (i = 0; i < nrows; i++) {
		const struct zb_jval *b = rows[i];
		double c, lo, hi;

		med[n] = stat_of(b, "median");
		p90[n] = stat_of(b, "p90");
		p99[n] = stat_of(b, "p99");
		c = stat_of(b, "count");
		pt->count += isfinite(c) ? (size_t)c : 0;
		/* A CI is NaN below 6 samples: the bar then shows the median alone. */
		lo = stat_of(b, "ci95_lo");
		hi = stat_of(b, "ci95_hi");
		pt->lo = fmin(pt->lo, isfinite(lo) ? lo : med[n]);
		pt->hi = fmax(pt->hi, isfinite(hi) ? hi : med[n]);
		n++;
	}
	pt->reps = n;
	pt->median = median_of(med, n);
	pt->p90 = median_of(p90, n);
	pt->p99 = median_of(p99, n);
	ret = isfinite(pt->median) ? 0 : -EINVAL;
out:
	free(med);
	free(p90);
	free(p99);
	return ret;
}

/* Iteration rows by name, then in the record's order (the rows are one array). */
static int cmp_row(const void *x, const void *y)
{
	const struct zb_jval *a = *(const struct zb_jval *const *)x;
	const struct zb_jval *b = *(const struct zb_jval *const *)y;
	int c = strcmp(zb_jobj_str(a, "name"), zb_jobj_str(b, "name"));

	return c ? c : a < b ? -1 : a > b;
}

static int cmp_first(const void *x, const void *y)
{
	const struct zb_rpoint *a = x, *b = y;

	return a->first < b->first ? -1 : a->first > b->first;
}

/*
 * One point of the rows @g[0..n) of one name: the first row that names
 * its case, with the rows from it on; a later row is tried when that
 * gives no median.  1 when a point was made, 0 when none, -ENOMEM.
 */
static int group_point(const struct zb_jval *const *g, size_t n, struct zb_rpoint *pt)
{
	size_t c;
	int ret;

	for (c = 0; c < n; c++) {
		memset(pt, 0, sizeof(*pt));
		pt->name = zb_jobj_str(g[c], "name");
		pt->case_name = zb_jobj_str(g[c], "case");
		pt->first = g[c];
		if (!pt->case_name)
			continue;
		ret = fold(g + c, n - c, pt);
		if (ret == -ENOMEM)
			return ret;
		/* A row without a median is nothing we can draw; skip it. */
		if (!ret)
			return 1;
	}
	return 0;
}

/*
 * The rows sorted by name once (one index of the record's points), each
 * name's rows folded, the points then in the order of their first rows.
 */
int zb_rpoints_get(const struct zb_jval *rec, struct zb_rpoints *out)
{
	const struct zb_jval *b = zb_jobj_get(rec, "benchmarks");
	const struct zb_jval **rows;
	size_t i, e, n = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!b || b->type != ZB_JARR)
		return -EINVAL;
	out->p = calloc(b->n + 1, sizeof(*out->p));
	rows = calloc(b->n + 1, sizeof(*rows));
	if (!out->p || !rows) {
		free(rows);
		zb_rpoints_free(out);
		return -ENOMEM;
	}
	for (i = 0; i < b->n; i++)
		if (is_iteration(&b->items[i]))
			rows[n++] = &b->items[i];
	qsort(rows, n, sizeof(*rows), cmp_row);
	for (i = 0; i < n && ret >= 0; i = e) {
		for (e = i + 1; e < n && !strcmp(zb_jobj_str(rows[e], "name"),
						  zb_jobj_str(rows[i], "name")); e++)
			;
		ret = group_point(rows + i, e - i, &out->p[out->n]);
		out->n += ret > 0;
	}
	free(rows);
	if (ret < 0) {
		zb_rpoints_free(out);
		return ret;
	}
	qsort(out->p, (size_t)out->n, sizeof(*out->p), cmp_first);
	return 0;
}

void zb_rpoints_free(struct zb_rpoints *pts)
{
	free(pts->p);
	memset(pts, 0, sizeof(*pts));
}

const struct zb_rpoint *zb_rpoints_find(const struct zb_rpoints *pts, const char *name)
{
	int i;

	for (i = 0; i < pts->n; i++)
		if (!strcmp(pts->p[i].name, name))
			return &pts->p[i];
	return NULL;
}

const char *zb_rparam(const struct zb_jval *row, const char *key, char *buf, size_t len)
{
	const struct zb_jval *v = zb_jobj_get(zb_jobj_get(row, "params"), key);

	if (!v)
		return NULL;
	if (v->type == ZB_JSTR)
		return v->str;
	if (v->type != ZB_JNUM)
		return NULL;
	/* Integers as integers: %g would turn 1000000 into 1e+06. */
	if (v->num == floor(v->num) && fabs(v->num) < 1e15)
		snprintf(buf, len, "%.0f", v->num);
	else
		snprintf(buf, len, "%.17g", v->num);
	return buf;
}

/* Row @row's kept samples if it is a repetition of point @name, else NULL. */
static const struct zb_jval *samples_of(const struct zb_jval *row, const char *name)
{
	const struct zb_jval *s = zb_jobj_get(row, "samples");

	if (!s || s->type != ZB_JARR || strcmp(zb_jobj_str(row, "name"), name))
		return NULL;
	return s;
}

int zb_rsamples(const struct zb_jval *rec, const char *name, double **v, size_t *n)
{
	const struct zb_jval *row, *s;
	size_t i, k, cap = 0;
	double *out;

	*v = NULL;
	*n = 0;
	for (i = 0; (row = zb_rrow_next(rec, &i));) {
		s = samples_of(row, name);
		cap += s ? s->n : 0;
	}
	if (!cap)
		return -ENOENT;
	out = malloc(cap * sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (i = 0; (row = zb_rrow_next(rec, &i));) {
		s = samples_of(row, name);
		for (k = 0; s && k < s->n; k++)
			if (s->items[k].type == ZB_JNUM)
				out[(*n)++] = s->items[k].num;
	}
	if (!*n) {
		free(out);
		return -ENOENT;
	}
	zb_sort(out, *n);
	*v = out;
	return 0;
}

const char *zb_hypervisor_name(const char *vendor)
{
	static const char *const names[][2] = {
		{ "KVMKVMKVM", "KVM" },
		{ "TCGTCGTCGTCG", "QEMU TCG" },
		{ "Microsoft Hv", "Hyper-V" },
		{ "VMwareVMware", "VMware" },
		{ "XenVMMXenVMM", "Xen" },
		{ "VBoxVBoxVBox", "VirtualBox" },
		{ "bhyve bhyve ", "bhyve" },
		{ "bhyve bhyve", "bhyve" },	/* machine.sources strips the padding */
		{ "none", "bare metal" },
	};
	size_t i;

	if (!vendor || !*vendor)
		return "bare metal";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(vendor, names[i][0]))
			return names[i][1];
	return vendor;
}

void zb_rmachine(const struct zb_jval *rec, char *buf, size_t len)
{
	zb_rmachine_ctx(zb_jobj_get(rec, "context"), buf, len);
}

void zb_rmachine_ctx(const struct zb_jval *ctx, char *buf, size_t len)
{
	const char *kernel = zb_jobj_str(ctx, "kernel");
	const char *host = zb_jobj_str(ctx, "host_name");
	const char *cpu = zb_jobj_str(ctx, "cpu_model");
	double ncpu = zb_jobj_num(ctx, "num_cpus");

	const char *hv = zb_hypervisor_name(zb_jobj_str(ctx, "hypervisor"));

	/* "QEMU TCG CPU version 2.5+" names its hypervisor already. */
	if (cpu && strstr(cpu, hv))
		hv = NULL;
	snprintf(buf, len, "kernel %s on %s: %s, %.0f CPUs%s%s", kernel ? kernel : "?",
		 host ? host : "?", cpu ? cpu : "unknown CPU", isfinite(ncpu) ? ncpu : 0,
		 hv ? ", " : "", hv ? hv : "");
}
