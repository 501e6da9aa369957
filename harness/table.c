// SPDX-License-Identifier: GPL-2.0
/* The human-readable table: what a developer reads after `make bench`. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "params.h"
#include "record.h"
#include "version.h"

static int name_width(const struct zb_results *rs)
{
	int i, w = 20;

	for (i = 0; i < rs->n; i++)
		if ((int)strlen(rs->r[i].name) > w)
			w = (int)strlen(rs->r[i].name);
	return w;
}

static void print_row(FILE *f, const struct zb_result *r, int w)
{
	char med[16], lo[16], hi[16], p90[16], p99[16], mx[16], rate[16];

	zb_fmt_ns(med, sizeof(med), r->sum.median);
	zb_fmt_ns(lo, sizeof(lo), r->sum.ci_lo);
	zb_fmt_ns(hi, sizeof(hi), r->sum.ci_hi);
	zb_fmt_ns(p90, sizeof(p90), r->sum.p90);
	zb_fmt_ns(p99, sizeof(p99), r->sum.p99);
	zb_fmt_ns(mx, sizeof(mx), r->sum.max);
	zb_fmt_rate(rate, sizeof(rate), r->ops_per_sec);
	fprintf(f, "%-*s %7zu %9s [%9s, %9s] %9s %9s %9s %8s %6.2f %5.1f%%\n",
		w, r->name, r->sum.n, med, lo, hi, p90, p99, mx,
		rate, r->faults_per_op, r->preempted * 100);
}

/* The notes a case asked to show, under its row: "forbidden=0 reads=1e+06". */
static void print_notes(FILE *f, const struct zb_result *r)
{
	const char *want = r->c->table_notes;
	int i, any = 0;

	if (!want)
		return;
	for (i = 0; i < r->nr_notes; i++) {
		const char *k = r->notes[i].key, *hit = strstr(want, k);
		size_t n = strlen(k);

		if (!hit || (hit != want && hit[-1] != ',') || (hit[n] && hit[n] != ','))
			continue;
		fprintf(f, "%s%s=%.0f", any++ ? " " : "    ", k, r->notes[i].value);
	}
	if (any)
		fprintf(f, "\n");
}

/* Counts per op under the row: "    per op: page-faults 1.00 tlb:tlb_flush 1000". */
static void print_counters(FILE *f, const struct zb_result *r, const struct zb_counters *cs)
{
	int k, any = 0;

	if (!cs)
		return;
	for (k = 0; k < cs->nr; k++) {
		double v = r->ctr[k];

		if (!isfinite(v))
			continue;
		fprintf(f, "%s %s %.*f", any++ ? "" : "    per op:", cs->ev[k].name,
			fabs(v) >= 100 ? 0 : 2, v);
	}
	if (any)
		fprintf(f, "%s%s\n", r->ctr_system_wide ? "  (tracepoints on all CPUs)" : "",
			r->ctr_scaled > 0 ? "  (multiplexed: scaled)" : "");
}

static void print_fits(FILE *f, const struct zb_results *rs)
{
	char slope[16], icpt[16], name[256];
	int i;

	if (!rs->nr_fits)
		return;
	fprintf(f, "\nfit: median = slope * parameter + intercept "
		"(least squares on relative residuals):\n");
	for (i = 0; i < rs->nr_fits; i++) {
		const struct zb_fit_result *ft = &rs->fits[i];

		zb_point_name(ft->c, &ft->point, name, sizeof(name));
		zb_fmt_ns(slope, sizeof(slope), ft->fit.slope);
		zb_fmt_ns(icpt, sizeof(icpt), ft->fit.intercept);
		fprintf(f, "  %-40s %9s * %s + %9s  (r2 %.3f, %zu points)\n",
			name, slope, ft->x, icpt, ft->fit.r2, ft->fit.n);
	}
}

/* Same case, same outcome, same reason: one line for all its points. */
static int same_not_run(const struct zb_result *a, const struct zb_result *b)
{
	return a->c == b->c && a->status == b->status && !strcmp(a->msg, b->msg);
}

static void print_not_run(FILE *f, const struct zb_results *rs)
{
	static const char *const what[] = { "", "SKIP", "FAIL", "INTR" };
	int i, j, any = 0;

	for (i = 0; i < rs->n; i = j) {
		const struct zb_result *r = &rs->r[i];

		for (j = i + 1; j < rs->n && same_not_run(r, &rs->r[j]); j++)
			;
		if (r->status == ZB_OK)
			continue;
		if (!any++)
			fprintf(f, "\n");
		if (j - i > 1)
			fprintf(f, "%s %s (%d points): %s\n", what[r->status], r->c->name,
				j - i, r->msg[0] ? r->msg : "interrupted");
		else
			fprintf(f, "%s %s: %s\n", what[r->status], r->name,
				r->msg[0] ? r->msg : "interrupted");
	}
}

void zb_table_print(FILE *f, const struct zb_results *rs, const struct zb_context *ctx,
		    const struct zb_options *o)
{
	const struct zb_timer *t = &o->timer;
	char line[1024], clock[64];
	int i, w = name_width(rs);

	zb_context_line(ctx, line, sizeof(line));
	fprintf(f, "# zapbench %s (%s) on %s\n", ZB_VERSION, zb_git_commit(), line);
	if (t->tsc_ghz)
		snprintf(clock, sizeof(clock), "%s %.4g GHz", zb_clock_name(t->clock), t->tsc_ghz);
	else
		snprintf(clock, sizeof(clock), "%s", zb_clock_name(t->clock));
	fprintf(f, "# clock %s, empty region %.1f ns subtracted, floor %.1f ns; "
		"min-time %.3g s x %d repetition(s); latency per op, %s\n",
		clock, t->overhead_ns, t->floor_ns, o->min_time, o->repetitions,
		"CI = 95% CI of the median");
	if (o->inject_pct > 0)
		fprintf(f, "# WARNING: --inject-slowdown %g%%: every op was deliberately slowed\n",
			o->inject_pct);
	fprintf(f, "%-*s %7s %9s %22s %9s %9s %9s %8s %6s %6s\n", w, "case", "n", "median",
		"95% CI", "p90", "p99", "max", "ops/s", "flt/op", "preem");
	for (i = 0; i < rs->n; i++)
		if (rs->r[i].status == ZB_OK) {
			print_row(f, &rs->r[i], w);
			print_notes(f, &rs->r[i]);
			print_counters(f, &rs->r[i], o->counters);
		}
	print_fits(f, rs);
	if (o->counters && o->counters->nr) {
		zb_counters_footer(o->counters, line, sizeof(line));
		fprintf(f, "\n%s\n", line);
	}
	print_not_run(f, rs);
}
