// SPDX-License-Identifier: GPL-2.0
/*
 * Latency against an integer parameter: revoke vs mappings (log-log, the
 * fitted cost per mapping in the legend) and fault/open vs CPUs.
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
};

/* The same with other CPUs busy: where TLB-flush IPIs show. */
const struct zb_scaling zb_plot_peers_maps = {
	.name = "peers-vs-maps", .script = "revoke-vs-maps.gp", .prefix = "revoke/peers",
	.x = "maps", .title = "Revoke latency vs mappings, with peers on the other CPUs",
	.xlabel = "mappings (VMAs) of the revoked page", .fit = 1, .ylog = 1,
};

const struct zb_scaling zb_plot_cpus_fault = {
	.name = "fault-vs-cpus", .script = "latency-vs-cpus.gp", .prefix = "fault/",
	.x = "cpus", .title = "Page-fault latency vs CPUs faulting at once",
	.xlabel = "CPUs (one worker each)",
};

const struct zb_scaling zb_plot_cpus_open = {
	.name = "open-vs-cpus", .script = "latency-vs-cpus.gp", .prefix = "open/",
	.x = "cpus", .title = "open()+close() latency vs CPUs opening at once",
	.xlabel = "CPUs (one worker each)",
};

/* One line per publication variant: does any of them cost more with CPUs? */
const struct zb_scaling zb_plot_cpus_consume = {
	.name = "barrier-consume-vs-cpus", .script = "latency-vs-cpus.gp",
	.prefix = "barrier/consume", .x = "cpus",
	.title = "Consume (load + dereference) of a published pointer vs CPUs, per variant",
	.xlabel = "CPUs (one reader each)",
};

const struct zb_scaling zb_plot_cpus_publish = {
	.name = "barrier-publish-vs-cpus", .script = "latency-vs-cpus.gp",
	.prefix = "barrier/publish", .x = "cpus",
	.title = "Initialise + publish a pointer vs CPUs, per variant",
	.xlabel = "CPUs (one writer each, own pointer)",
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
	.title = "Kernel consume/publish of the inode pointer vs CPUs, per variant",
	.xlabel = "kthreads (one per CPU)",
};

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

/* Distinct x values: a line needs two. */
static int spread(const struct zb_pgroup *g, const char *x)
{
	return g->n >= 2 && zb_pgroup_x(g->pt[0], x) != zb_pgroup_x(g->pt[g->n - 1], x);
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

static void legend(char *buf, size_t len, const struct zb_pgroup *g, const struct zb_fit *fit,
		   const char *x)
{
	char slope[32], icpt[32];

	if (!fit) {
		snprintf(buf, len, "%s", g->label);
		return;
	}
	zb_fmt_ns(slope, sizeof(slope), fit->slope);
	zb_fmt_ns(icpt, sizeof(icpt), fit->intercept);
	snprintf(buf, len, "%s: %s + %s per %s", g->label, icpt, slope,
		 strcmp(x, "maps") ? x : "mapping");
}

int zb_plot_scaling(struct zb_plot *p, const struct zb_jval *rec, const struct zb_scaling *s)
{
	struct zb_rpoints pts;
	struct zb_pgroups gs;
	struct zb_fit *fits = NULL;
	char machine[512], label[400];
	double min = INFINITY, max = 0, div;
	struct zb_fig f;
	int ret, i, k, n = 0;

	ret = zb_rpoints_get(rec, &pts);
	if (ret)
		return ret;
	ret = zb_pgroups_make(&pts, s->prefix, s->skip, s->x, &gs);
	if (ret)
		goto out_pts;
	for (i = 0; i < gs.n; i++) {
		for (k = 0; spread(&gs.g[i], s->x) && k < gs.g[i].n; k++) {
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
	fits = calloc((size_t)gs.n, sizeof(*fits));
	if (!fits) {
		ret = -ENOMEM;
		goto out_groups;
	}
	ret = zb_fig_open(&f, p, s->name);
	if (ret)
		goto out_groups;
	zb_rmachine(rec, machine, sizeof(machine));
	zb_fig_str(&f, "title", s->title);
	zb_fig_str(&f, "subtitle", gs.common);
	zb_fig_str(&f, "machine", machine);
	zb_fig_str(&f, "xlabel", s->xlabel);
	div = zb_fig_axis(&f, "y", min, max, s->ylog, "latency per op, median and 95% CI");
	zb_fig_array(&f, "label", gs.n);
	for (i = 0; i < gs.n; i++) {
		const struct zb_pgroup *g = &gs.g[i];
		int fitted;

		if (!spread(g, s->x))
			continue;
		n++;
		fitted = s->fit && !rel_fit(g, s->x, &fits[i]);
		legend(label, sizeof(label), g, fitted ? &fits[i] : NULL, s->x);
		zb_fig_astr(&f, "label", n, label);
		for (k = 0; k < g->n; k++)
			fprintf(f.data, "%g %g %g %g\n", zb_pgroup_x(g->pt[k], s->x),
				g->pt[k]->median / div, g->pt[k]->lo / div, g->pt[k]->hi / div);
		fputs("\n\n", f.data);
	}
	/* Fitted lines follow the n data blocks, in the same order. */
	for (i = 0; s->fit && i < gs.n; i++)
		if (spread(&gs.g[i], s->x))
			fit_block(f.data, &gs.g[i], s->x, &fits[i], div);
	zb_fig_num(&f, "n", n);
	zb_fig_num(&f, "fitted", s->fit);
	ret = zb_fig_render(&f, s->script);
out_groups:
	free(fits);
	zb_pgroups_free(&gs);
out_pts:
	zb_rpoints_free(&pts);
	return ret;
}
