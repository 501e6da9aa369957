// SPDX-License-Identifier: GPL-2.0
/*
 * Latency against an integer parameter: revoke vs mappings (log-log, the
 * fitted cost per mapping in the legend where the model fits) and
 * fault/open/barriers vs CPUs (dots, not lines, at fewer than 3 counts).
 * Values at or under the figure's floor (the timer's, or the loop's own
 * cost) are drawn hollow at the floor, which is a shaded band.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fmt.h"
#include "report/plot.h"
#include "report/plot_group.h"
#include "stats/stats.h"

const struct zb_scaling zb_plot_maps = {
	.name = "revoke-vs-maps", .script = "revoke-vs-maps.gp", .prefix = "revoke/",
	.skip = "revoke/peers", .x = "maps",
	.title = "Revoke latency vs mappings of the revoked page",
	.xlabel = "mappings (VMAs) of the revoked page", .fit = 1, .ylog = 1,
	.floor = ZB_FLOOR_TIMER,
};

/* The same with other CPUs busy: where TLB-flush IPIs show. */
const struct zb_scaling zb_plot_peers_maps = {
	.name = "peers-vs-maps", .script = "revoke-vs-maps.gp", .prefix = "revoke/peers",
	.x = "maps", .title = "Revoke latency vs mappings, with peers on the other CPUs",
	.xlabel = "mappings (VMAs) of the revoked page", .fit = 1, .ylog = 1,
	.floor = ZB_FLOOR_TIMER,
};

const struct zb_scaling zb_plot_cpus_fault = {
	.name = "fault-vs-cpus", .script = "latency-vs-cpus.gp", .prefix = "fault/",
	.x = "cpus", .title = "Page-fault latency vs CPUs faulting at once",
	.xlabel = "CPUs (one worker each)", .ylog = 2, .floor = ZB_FLOOR_TIMER,
};

const struct zb_scaling zb_plot_cpus_open = {
	.name = "open-vs-cpus", .script = "latency-vs-cpus.gp", .prefix = "open/",
	.x = "cpus", .title = "open()+close() latency vs CPUs opening at once",
	.xlabel = "CPUs (one worker each)", .ylog = 2, .floor = ZB_FLOOR_TIMER,
};

/* One line per publication variant: does any of them cost more with CPUs? */
const struct zb_scaling zb_plot_cpus_consume = {
	.name = "barrier-consume-vs-cpus", .script = "latency-vs-cpus.gp",
	.prefix = "barrier/consume", .x = "cpus",
	.title = "Consume (load + dereference) of a published pointer vs CPUs",
	.xlabel = "CPUs (one reader each)", .ylog = 2, .floor = ZB_FLOOR_BASE,
	.base = "variant:none",
};

const struct zb_scaling zb_plot_cpus_publish = {
	.name = "barrier-publish-vs-cpus", .script = "latency-vs-cpus.gp",
	.prefix = "barrier/publish", .x = "cpus",
	.title = "Initialise + publish a pointer vs CPUs",
	.xlabel = "CPUs (one writer each, own pointer)", .ylog = 2, .floor = ZB_FLOOR_BASE,
	.base = "variant:none",
};

/* The same questions inside the kernel (zaptest.ko, in the scripts/vm guest). */
const struct zb_scaling zb_plot_kmod_maps = {
	.name = "kmod-revoke-vs-maps", .script = "revoke-vs-maps.gp",
	.prefix = "kmod_revoke/unified", .x = "maps",
	.title = "In-kernel unmap_mapping_range() of /dev/zaptest vs mappings",
	.xlabel = "mappings (VMAs) of the revoked page", .fit = 1, .ylog = 1,
};

const struct zb_scaling zb_plot_kmod_barrier = {
	.name = "kmod-barrier-vs-kthreads", .script = "latency-vs-cpus.gp",
	.prefix = "kmod_barrier/cost", .x = "kthreads",
	.title = "Kernel consume and publish of the inode pointer vs kthreads",
	.xlabel = "kthreads (one per CPU)", .ylog = 2,
};

double zb_plot_timer_floor(const struct zb_jval *rec)
{
	const struct zb_jval *t = zb_jobj_get(zb_jobj_get(rec, "context"), "timer");
	double v = zb_jobj_num(t, "floor_ns");

	return v > 0 ? v : 0;
}

/* Series drawn as dots side by side (fewer than 3 x values): one colour each. */
#define DOTS_MAX_SERIES	8

/* Why a series has its fit line, or has none. */
enum fit_state { FIT_OK, FIT_NOT_MONOTONE, FIT_POOR, FIT_FAILED };

/* The plotted medians (repetitions folded), fitted as the table does. */
static int rel_fit(const struct zb_pgroup *g, const char *x, struct zb_fit *fit)
{
	double *xs = calloc((size_t)g->n + 1, sizeof(*xs));
	double *ys = calloc((size_t)g->n + 1, sizeof(*ys));
	int i, err = -ENOMEM;

	if (xs && ys) {
		for (i = 0; i < g->n; i++) {
			xs[i] = zb_pgroup_x(g->pt[i], x);
			ys[i] = g->pt[i]->median;
		}
		err = zb_linfit_rel(xs, ys, (size_t)g->n, fit);
	}
	free(xs);
	free(ys);
	return err;
}

/*
 * Monotone within the CIs: no later point's CI wholly below an earlier
 * one's (rising), or none wholly above (falling).
 */
static int monotone(const struct zb_pgroup *g)
{
	int i, k, up = 1, down = 1;

	for (i = 0; i < g->n; i++) {
		for (k = i + 1; k < g->n; k++) {
			up &= g->pt[k]->hi >= g->pt[i]->lo;
			down &= g->pt[k]->lo <= g->pt[i]->hi;
		}
	}
	return up || down;
}

/* a + b * x is drawn only where it describes the series. */
static enum fit_state fit_of(const struct zb_pgroup *g, const char *x, struct zb_fit *fit)
{
	if (!monotone(g))
		return FIT_NOT_MONOTONE;
	if (rel_fit(g, x, fit) || !isfinite(fit->r2))
		return FIT_FAILED;
	return fit->r2 >= ZB_PLOT_FIT_R2 ? FIT_OK : FIT_POOR;
}

/* Distinct x values of a group: a line needs two. */
static int distinct(const struct zb_pgroup *g, const char *x)
{
	int i, n = g->n > 0;

	for (i = 1; i < g->n; i++)
		n += zb_pgroup_x(g->pt[i], x) != zb_pgroup_x(g->pt[i - 1], x);
	return n;
}

/* The fitted line, sampled evenly in log x so it is smooth on log axes. */
static void fit_block(FILE *o, const struct zb_pgroup *g, const char *x,
		      const struct zb_fit *fit, double div)
{
	double lo = zb_pgroup_x(g->pt[0], x), hi = zb_pgroup_x(g->pt[g->n - 1], x);
	int i, any = 0;

	for (i = 0; i <= 40 && lo > 0; i++) {
		double xv = lo * pow(hi / lo, i / 40.0);
		double y = fit->slope * xv + fit->intercept;

		if (y > 0) {
			fprintf(o, "%g %g\n", xv, y / div);
			any = 1;
		}
	}
	if (!any)
		fputs("NaN NaN\n", o);
	fputs("\n\n", o);
}

static void legend(char *buf, size_t len, const struct zb_pgroup *g, enum fit_state st,
		   const struct zb_fit *fit, const char *x)
{
	char slope[32], icpt[32];

	switch (st) {
	case FIT_OK:
		zb_fmt_ns(slope, sizeof(slope), fit->slope);
		zb_fmt_ns(icpt, sizeof(icpt), fit->intercept);
		snprintf(buf, len, "%s: %s + %s per %s (r² %.2f)", g->label, icpt, slope,
			 strcmp(x, "maps") ? x : "mapping", fit->r2);
		break;
	case FIT_NOT_MONOTONE:
		snprintf(buf, len, "%s: no fit (not monotone)", g->label);
		break;
	case FIT_POOR:
		snprintf(buf, len, "%s: no fit (r² %.2f < %.2f)", g->label, fit->r2,
			 ZB_PLOT_FIT_R2);
		break;
	default:
		snprintf(buf, len, "%s: no fit", g->label);
	}
}

/* Does group @g have parameter "key:val" @base (the loop alone)? */
static int is_base(const struct zb_pgroup *g, const char *base)
{
	char key[64], b[64];
	const char *colon = base ? strchr(base, ':') : NULL;
	const char *v;

	if (!colon || (size_t)(colon - base) >= sizeof(key))
		return 0;
	snprintf(key, sizeof(key), "%.*s", (int)(colon - base), base);
	v = zb_rparam(g->first->first, key, b, sizeof(b));
	return v && !strcmp(v, colon + 1);
}

/* At or under the floor: the timer's by the median, the loop's by the CI. */
static int below(const struct zb_rpoint *pt, double floor, enum zb_floor kind)
{
	if (!(floor > 0))
		return 0;
	return kind == ZB_FLOOR_BASE ? pt->lo <= floor : pt->median <= floor;
}

/*
 * The figure's floor in ns, 0 for none; *@base the group that is the loop
 * alone (drawn as the floor, not as a series) or -1.
 */
static double floor_of(const struct zb_jval *rec, const struct zb_scaling *s,
		       const struct zb_pgroups *gs, double min, int *base)
{
	double floor = 0;
	int i, k;

	*base = -1;
	if (s->floor == ZB_FLOOR_TIMER) {
		floor = zb_plot_timer_floor(rec);
		/* Drawn where the values come near it, else it is off the axis. */
		return min <= 10 * floor ? floor : 0;
	}
	if (s->floor != ZB_FLOOR_BASE)
		return 0;
	for (i = 0; i < gs->n && *base < 0; i++) {
		if (!is_base(&gs->g[i], s->base))
			continue;
		*base = i;
		for (k = 0; k < gs->g[i].n; k++)
			floor = fmax(floor, gs->g[i].pt[k]->hi);
	}
	return floor;
}

/* x median lo hi below: a value at or under the floor is drawn at it, hollow. */
static int data_block(FILE *o, const struct zb_pgroup *g, const char *x, double floor,
		      enum zb_floor kind, double div)
{
	int k, under = 0;

	for (k = 0; k < g->n; k++) {
		const struct zb_rpoint *pt = g->pt[k];

		if (below(pt, floor, kind)) {
			fprintf(o, "%g NaN NaN NaN %g\n", zb_pgroup_x(pt, x), floor / div);
			under++;
		} else {
			fprintf(o, "%g %g %g %g NaN\n", zb_pgroup_x(pt, x), pt->median / div,
				pt->lo / div, pt->hi / div);
		}
	}
	fputs("\n\n", o);
	return under == g->n;
}

static void floor_legend(struct zb_fig *f, const struct zb_scaling *s, double floor, double div)
{
	char what[160];

	if (s->floor == ZB_FLOOR_BASE) {
		snprintf(what, sizeof(what), "loop alone, %s", s->base);
		zb_fig_floor(f, floor, div, what);
	} else {
		zb_fig_floor(f, floor, div, "below timer resolution");
	}
}

int zb_plot_scaling(struct zb_plot *p, const struct zb_jval *rec, const struct zb_scaling *s)
{
	struct zb_rpoints pts;
	struct zb_pgroups gs;
	struct zb_fit fit;
	char machine[512], label[400];
	double min = INFINITY, max = 0, div, floor;
	int ret, i, k, n = 0, nfit = 0, xs = 0, base, *fitted = NULL;
	struct zb_fig f;

	ret = zb_rpoints_get(rec, &pts);
	if (ret)
		return ret;
	ret = zb_pgroups_make(&pts, s->prefix, s->skip, s->x, &gs);
	if (ret)
		goto out_pts;
	for (i = 0; i < gs.n; i++) {
		if (distinct(&gs.g[i], s->x) < 2)
			continue;
		xs = distinct(&gs.g[i], s->x) > xs ? distinct(&gs.g[i], s->x) : xs;
		for (k = 0; k < gs.g[i].n; k++) {
			min = fmin(min, gs.g[i].pt[k]->lo);
			max = fmax(max, gs.g[i].pt[k]->hi);
		}
	}
	if (max <= 0) {
		snprintf(p->err, sizeof(p->err), "%s: no %s* points that vary in %s",
			 s->name, s->prefix, s->x);
		ret = -ENOENT;
		goto out_groups;
	}
	fitted = calloc((size_t)gs.n + 1, sizeof(*fitted));
	if (!fitted) {
		ret = -ENOMEM;
		goto out_groups;
	}
	floor = floor_of(rec, s, &gs, min, &base);
	for (i = 0; i < gs.n; i++)
		n += distinct(&gs.g[i], s->x) >= 2 && i != base;
	/* Side by side at two x values, more series than colours are a blur. */
	if (xs < 3 && n > DOTS_MAX_SERIES) {
		snprintf(p->err, sizeof(p->err), "%s: %d series at only %d values of %s, too "
			 "many to tell apart (zapbench plot bars --by PARAM draws them)",
			 s->name, n, xs, s->x);
		ret = -ENOENT;
		goto out_groups;
	}
	n = 0;
	ret = zb_fig_open(&f, p, s->name);
	if (ret)
		goto out_groups;
	zb_rmachine(rec, machine, sizeof(machine));
	zb_fig_head(&f, s->title, gs.common, machine);
	zb_fig_str(&f, "xlabel", s->xlabel);
	div = zb_fig_axis(&f, "y", floor > 0 ? fmin(min, floor) : min, max, s->ylog,
			  "latency per op, median and 95% CI");
	floor_legend(&f, s, floor, div);
	zb_fig_array(&f, "label", gs.n);
	zb_fig_array(&f, "fitlt", gs.n);
	for (i = 0; i < gs.n; i++) {
		const struct zb_pgroup *g = &gs.g[i];
		enum fit_state st = FIT_FAILED;

		if (distinct(g, s->x) < 2 || i == base)
			continue;
		n++;
		if (s->fit) {
			st = fit_of(g, s->x, &fit);
			legend(label, sizeof(label), g, st, &fit, s->x);
		} else {
			snprintf(label, sizeof(label), "%s", g->label);
		}
		if (data_block(f.data, g, s->x, floor, s->floor, div))
			snprintf(label + strlen(label), sizeof(label) - strlen(label),
				 " (all at the floor)");
		zb_fig_astr(&f, "label", n, label);
		if (st == FIT_OK) {
			fitted[i] = 1;
			zb_fig_anum(&f, "fitlt", ++nfit, n);
		}
	}
	/* Fitted lines follow the n data blocks, in the same order. */
	for (i = 0; i < gs.n; i++)
		if (fitted[i] && !rel_fit(&gs.g[i], s->x, &fit))
			fit_block(f.data, &gs.g[i], s->x, &fit, div);
	zb_fig_num(&f, "n", n);
	zb_fig_num(&f, "nfit", nfit);
	zb_fig_num(&f, "dots", xs < 3);
	if (s->fit) {
		snprintf(label, sizeof(label), "dashed: a + b*%s, relative errors, drawn where the "
			 "series is monotone within its CIs and r² >= %.2f", s->x, ZB_PLOT_FIT_R2);
		zb_fig_str(&f, "note", label);
	}
	ret = zb_fig_render(&f, s->script);
out_groups:
	free(fitted);
	zb_pgroups_free(&gs);
out_pts:
	zb_rpoints_free(&pts);
	return ret;
}
