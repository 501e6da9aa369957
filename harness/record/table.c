// SPDX-License-Identifier: GPL-2.0
/* The human-readable table: what a developer reads after `make bench`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/params.h"
#include "record/pointname.h"
#include "record/record.h"
#include "stats/stats.h"
#include "version.h"

/* One repetition, as run printed it before rounds: --per-repetition. */
static void print_rep_row(FILE *f, const struct zb_result *r, const char *shortn)
{
	char med[16], lo[16], hi[16], p90[16], p99[16], mx[16], rate[16];

	zb_fmt_ns(med, sizeof(med), r->sum.median);
	zb_fmt_ns(lo, sizeof(lo), r->sum.ci_lo);
	zb_fmt_ns(hi, sizeof(hi), r->sum.ci_hi);
	zb_fmt_ns(p90, sizeof(p90), r->sum.p90);
	zb_fmt_ns(p99, sizeof(p99), r->sum.p99);
	zb_fmt_ns(mx, sizeof(mx), r->sum.max);
	zb_fmt_rate(rate, sizeof(rate), r->tput.per_task);
	fprintf(f, "  %-20.20s %3d %7zu %8s %8s %8s %8s %8s %8s %8s %6.2f %5.1f\n", shortn,
		r->rep + 1, r->sum.n, med, lo, hi, p90, p99, mx, rate, r->faults_per_op,
		r->preempted * 100);
}

static double median_inplace(double *v, int n)
{
	zb_sort(v, (size_t)n);
	return zb_percentile_sorted(v, (size_t)n, 50);
}

/*
 * One point over its rounds: the median of the round medians, their
 * spread, and a CI of that median from the rounds themselves (order
 * statistics, 6 rounds or more), so it carries run-to-run noise.  With
 * one round the CI is the samples' own, which sees within-run noise only.
 */
static void print_point(FILE *f, const struct zb_result *r, int n, const char *shortn)
{
	double med[1024], p99[1024], ops[1024], flt = 0, pre = 0;
	char m[16], lo[16], hi[16], mn[16], mx[16], q[16], rate[16], sd[16];
	struct zb_summary s;
	int i;

	n = n > 1024 ? 1024 : n;
	for (i = 0; i < n; i++) {
		med[i] = r[i].sum.median;
		p99[i] = r[i].sum.p99;
		ops[i] = r[i].tput.n ? r[i].tput.per_task : NAN;
		flt += r[i].faults_per_op / n;
		pre += r[i].preempted / n;
	}
	zb_summarize(med, (size_t)n, &s);
	if (n == 1) {
		s.ci_lo = r->sum.ci_lo;
		s.ci_hi = r->sum.ci_hi;
	}
	zb_fmt_ns(m, sizeof(m), s.median);
	zb_fmt_ns(lo, sizeof(lo), s.ci_lo);
	zb_fmt_ns(hi, sizeof(hi), s.ci_hi);
	zb_fmt_ns(mn, sizeof(mn), s.min);
	zb_fmt_ns(mx, sizeof(mx), s.max);
	zb_fmt_ns(q, sizeof(q), median_inplace(p99, n));
	zb_fmt_rate(rate, sizeof(rate), median_inplace(ops, n));
	snprintf(sd, sizeof(sd), n > 1 ? "%.1f" : "-", 100 * s.stddev / s.mean);
	fprintf(f, "  %-24.24s %3d %8s %5s %8s %8s %8s %8s %8s %8s %6.2f %5.1f\n", shortn, n, m,
		sd, lo, hi, mn, mx, q, rate, flt, pre * 100);
}

/*
 * The notes a case asked to show, under its row: "forbidden=0 reads=1e+06",
 * counts summed over the point's @n rounds.
 */
static void print_notes(FILE *f, const struct zb_result *r, int n)
{
	const char *want = r->c->table_notes;
	int i, k, any = 0;

	if (!want)
		return;
	for (i = 0; i < r->nr_notes; i++) {
		const char *key = r->notes[i].key, *hit = strstr(want, key);
		size_t len = strlen(key);
		double sum = 0;

		if (!hit || (hit != want && hit[-1] != ',') || (hit[len] && hit[len] != ','))
			continue;
		for (k = 0; k < n; k++)
			sum += i < r[k].nr_notes ? r[k].notes[i].value : 0;
		fprintf(f, "%s%s=%.0f", any++ ? " " : "    ", key, sum);
	}
	if (any)
		fprintf(f, "%s\n", n > 1 ? "  (summed over the rounds)" : "");
}

/*
 * Counts per op under the row: "    per op: page-faults 1.00 tlb:tlb_flush
 * 1000", the median of the point's @n rounds (the row's first round alone
 * would pass for all of them).
 */
static void print_counters(FILE *f, const struct zb_result *r, int n,
			   const struct zb_counters *cs)
{
	double v, per[1024];
	int i, k, m, any = 0;

	if (!cs)
		return;
	n = n > 1024 ? 1024 : n;
	for (k = 0; k < cs->nr; k++) {
		for (i = m = 0; i < n; i++)
			if (isfinite(r[i].ctr[k]))
				per[m++] = r[i].ctr[k];
		if (!m)
			continue;
		v = median_inplace(per, m);
		fprintf(f, "%s %s %.*f", any++ ? "" : "    per op:", cs->ev[k].name,
			fabs(v) >= 100 ? 0 : 2, v);
	}
	if (any)
		fprintf(f, "%s%s%s\n", n > 1 ? "  (median of the rounds)" : "",
			r->ctr_system_wide ? "  (tracepoints on all CPUs)" : "",
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

/* Points are adjacent rounds of one name in @rs (the record's order). */
static int rounds_of(const struct zb_results *rs, int i)
{
	int j = i + 1;

	while (j < rs->n && rs->r[j].status == ZB_OK && !strcmp(rs->r[j].name, rs->r[i].name))
		j++;
	return j - i;
}

static int any_tput(const struct zb_results *rs)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].tput.n)
			return 1;
	return 0;
}

static void print_header(FILE *f, const struct zb_context *ctx, const struct zb_options *o,
			 int per_rep, int tput)
{
	const struct zb_timer *t = &o->timer;
	char line[1024], clock[64];

	zb_context_line(ctx, line, sizeof(line));
	fprintf(f, "# zapbench %s (%s) on %s\n", ZB_VERSION, zb_git_commit(), line);
	if (t->tsc_ghz)
		snprintf(clock, sizeof(clock), "%s %.4g GHz", zb_clock_name(t->clock), t->tsc_ghz);
	else
		snprintf(clock, sizeof(clock), "%s", zb_clock_name(t->clock));
	fprintf(f, "# clock %s, empty region %.1f ns subtracted, floor %.1f ns; min-time %.3g s "
		"x %d round(s); latency per op\n", clock, t->overhead_ns, t->floor_ns, o->min_time,
		o->repetitions);
	if (o->inject_pct > 0)
		fprintf(f, "# WARNING: --inject-slowdown %g%%: every op was deliberately slowed\n",
			o->inject_pct);
	zb_pnames_legend(f);
	if (per_rep) {
		fprintf(f, "# one row per round (repetition); CI: 95%% CI of the median of its "
			"samples\n");
	} else {
		fprintf(f, "# median: of the round medians; +-%%: stddev between rounds; CI: 95%% "
			"CI of that median from the\n# rounds (>= 6 rounds; one round: its samples', "
			"within-run noise only); min, max: round medians\n");
	}
	if (tput)
		fprintf(f, "# latency: the timed op alone.  tput/t: throughput as will-it-scale "
			"defines it, ops per wall second\n# per task over %d x %g s after the "
			"samples, prepare and all of the loop included\n# (median interval; - : "
			"not a will-it-scale loop).  ", o->tput_intervals, o->tput_interval_s);
	else
		fprintf(f, "# latency: the timed op alone.  tput/t: - (no throughput phase in "
			"this run)\n# ");
	fprintf(f, "flt/op: minor faults in the timed region; preem: %% of samples "
		"preempted\n");
	if (per_rep)
		fprintf(f, "\n  %-20s %3s %7s %8s %8s %8s %8s %8s %8s %8s %6s %5s\n", "point", "rep",
			"n", "median", "CI lo", "CI hi", "p90", "p99", "max", "tput/t", "flt/op",
			"preem");
	else
		fprintf(f, "\n  %-24s %3s %8s %5s %8s %8s %8s %8s %8s %8s %6s %5s\n", "point", "rnd",
			"median", "+-%", "CI lo", "CI hi", "min", "max", "p99", "tput/t", "flt/op",
			"preem");
}

void zb_table_print(FILE *f, const struct zb_results *rs, const struct zb_context *ctx,
		    const struct zb_options *o, int per_rep)
{
	const char **names = calloc((size_t)rs->n + 1, sizeof(*names));
	struct zb_pnames pn;
	char line[1024];
	int i, n, last = -1;

	for (i = 0; names && i < rs->n; i++)
		names[i] = rs->r[i].name;
	if (!names || zb_pnames_build(names, rs->n, &pn)) {
		free(names);
		fprintf(f, "(out of memory)\n");
		return;
	}
	print_header(f, ctx, o, per_rep, any_tput(rs));
	for (i = 0; i < rs->n; i += n) {
		const struct zb_result *r = &rs->r[i];

		n = 1;
		if (r->status != ZB_OK)
			continue;
		if (pn.group[i] != last)
			fprintf(f, "%s\n", pn.head[pn.group[i]]);
		last = pn.group[i];
		if (per_rep) {
			print_rep_row(f, r, pn.shortn[i]);
		} else {
			n = rounds_of(rs, i);
			print_point(f, r, n, pn.shortn[i]);
		}
		print_notes(f, r, n);
		print_counters(f, r, n, o->counters);
	}
	print_fits(f, rs);
	if (o->counters && o->counters->nr) {
		zb_counters_footer(o->counters, line, sizeof(line));
		fprintf(f, "\n%s\n", line);
	}
	print_not_run(f, rs);
	zb_pnames_free(&pn);
	free(names);
}
