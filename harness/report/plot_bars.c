// SPDX-License-Identifier: GPL-2.0
/*
 * Variant comparison: one dot per value of an enum parameter (--by peer,
 * trigger, target, variant) with the 95 % CI of its median, a row per
 * cluster of everything else.  Dots, not bars: a bar on a log axis is as
 * long as its arbitrary floor makes it.  Values at or under the timer's
 * floor (harness-timed cases only) are drawn hollow at it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/row_kind.h"
#include "report/plot.h"
#include "report/plot_group.h"

#define BARS_MAX_SERIES	16
#define BARS_MAX_CLUSTERS 40

struct series {
	char val[BARS_MAX_SERIES][64];
	int n;
};

static int series_of(struct series *s, const char *v)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->val[i], v))
			return i;
	if (s->n == BARS_MAX_SERIES)
		return -E2BIG;
	snprintf(s->val[s->n], sizeof(s->val[0]), "%s", v);
	return s->n++;
}

/* The bar's label column: gnuplot reads a double-quoted field as one. */
static void put_label(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++)
		if (*s != '"' && (unsigned char)*s >= 0x20)
			fputc(*s, o);
	fputc('"', o);
}

static void write_rows(FILE *o, const struct zb_pgroups *gs, const struct series *s,
		       const char *by, double floor, double div)
{
	const struct zb_rpoint *pt;
	char b[64];
	int i, k, m;

	for (i = 0; i < gs->n && i < BARS_MAX_CLUSTERS; i++) {
		put_label(o, gs->g[i].label);
		for (k = 0; k < s->n; k++) {
			for (m = 0, pt = NULL; m < gs->g[i].n && !pt; m++)
				if (!strcmp(zb_pgroup_val(gs->g[i].pt[m], by, b, sizeof(b)),
					    s->val[k]))
					pt = gs->g[i].pt[m];
			if (pt && floor > 0 && pt->median <= floor)
				fprintf(o, " NaN NaN NaN %g", floor / div);
			else if (pt)
				fprintf(o, " %g %g %g NaN", pt->median / div, pt->lo / div,
					pt->hi / div);
			else
				fputs(" NaN NaN NaN NaN", o);
		}
		fputc('\n', o);
	}
}

int zb_plot_bars(struct zb_plot *p, const struct zb_jval *rec, const char *prefix,
		 const char *by)
{
	char machine[512], buf[512], slug[128], b[64];
	double lo = INFINITY, hi = 0, div, floor = 0;
	struct zb_rpoints pts;
	struct zb_pgroups gs;
	struct series s = { .n = 0 };
	struct zb_fig f;
	int ret, i, k, timed = 1;

	ret = zb_rpoints_get(rec, &pts);
	if (ret)
		return ret;
	ret = zb_pgroups_make(&pts, prefix, NULL, by, &gs);
	if (ret)
		goto out_pts;
	for (i = 0; i < gs.n && i < BARS_MAX_CLUSTERS; i++) {
		for (k = 0; k < gs.g[i].n; k++) {
			ret = series_of(&s, zb_pgroup_val(gs.g[i].pt[k], by, b, sizeof(b)));
			if (ret < 0) {
				snprintf(p->err, sizeof(p->err), "--by %s: more than %d values",
					 by, BARS_MAX_SERIES);
				goto out_groups;
			}
			lo = fmin(lo, gs.g[i].pt[k]->lo);
			hi = fmax(hi, gs.g[i].pt[k]->hi);
			timed &= zb_row_timer_floored(gs.g[i].pt[k]->first);
		}
	}
	if (s.n < 2) {
		snprintf(p->err, sizeof(p->err), "--by %s: no %s* points with two values of it",
			 by, prefix);
		ret = -ENOENT;
		goto out_groups;
	}
	snprintf(buf, sizeof(buf), "%s-by-%s", prefix[0] ? prefix : "all", by);
	zb_plot_slug(slug, sizeof(slug), buf);
	ret = zb_fig_open(&f, p, slug);
	if (ret)
		goto out_groups;
	/* "open/" reads as cut short: say which cases. */
	if (prefix[0])
		snprintf(buf, sizeof(buf), "Latency by %s, cases %.*s*", by,
			 (int)strcspn(prefix, "*"), prefix);
	else
		snprintf(buf, sizeof(buf), "Latency by %s", by);
	zb_rmachine(rec, machine, sizeof(machine));
	zb_fig_head(&f, buf, gs.common, machine);
	if (timed && zb_plot_timer_floor(rec) >= lo / 10)
		floor = zb_plot_timer_floor(rec);
	/* Values across orders of magnitude: only a log axis shows the small ones. */
	div = zb_fig_axis(&f, "x", floor > 0 ? fmin(lo, floor) : lo, hi, 2,
			  "latency per op, median and 95% CI");
	zb_fig_floor(&f, floor, div, "below timer resolution");
	zb_fig_num(&f, "n", s.n);
	zb_fig_num(&f, "rows", gs.n < BARS_MAX_CLUSTERS ? gs.n : BARS_MAX_CLUSTERS);
	zb_fig_array(&f, "label", s.n);
	for (k = 0; k < s.n; k++) {
		snprintf(buf, sizeof(buf), "%s:%s", by, s.val[k]);
		zb_fig_astr(&f, "label", k + 1, buf);
	}
	zb_fig_array(&f, "rowlabel", gs.n);
	for (i = 0; i < gs.n && i < BARS_MAX_CLUSTERS; i++)
		zb_fig_astr(&f, "rowlabel", i + 1, gs.g[i].label);
	write_rows(f.data, &gs, &s, by, floor, div);
	ret = zb_fig_render(&f, "variants.gp");
out_groups:
	zb_pgroups_free(&gs);
out_pts:
	zb_rpoints_free(&pts);
	return ret;
}
