// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/params.h"
#include "record/record.h"
#include "version.h"

int zb_results_add(struct zb_results *rs, struct zb_result *r)
{
	if (rs->n == rs->cap) {
		int cap = rs->cap ? rs->cap * 2 : 64;
		struct zb_result *p = realloc(rs->r, (size_t)cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		rs->r = p;
		rs->cap = cap;
	}
	rs->r[rs->n++] = *r;
	return 0;
}

void zb_results_free(struct zb_results *rs)
{
	int i;

	for (i = 0; i < rs->n; i++)
		zb_result_free(&rs->r[i]);
	free(rs->r);
	free(rs->fits);
	memset(rs, 0, sizeof(*rs));
}

/* Same case and same parameters except @x? */
static int same_group(const struct zb_result *a, const struct zb_result *b, const char *x)
{
	int i;

	if (a->c != b->c)
		return 0;
	for (i = 0; i < a->point.nr; i++)
		if (strcmp(a->point.name[i], x) &&
		    strcmp(a->point.value[i], b->point.value[i]))
			return 0;
	return 1;
}

static void fit_group(struct zb_results *rs, int first, char *used)
{
	const struct zb_result *a = &rs->r[first];
	const char *x = a->c->fit_param;
	struct zb_fit_result *f;
	double *xs, *ys;
	int i, n = 0, distinct = 0;

	xs = malloc((size_t)rs->n * sizeof(*xs));
	ys = malloc((size_t)rs->n * sizeof(*ys));
	if (!xs || !ys)
		goto out;
	for (i = first; i < rs->n; i++) {
		const struct zb_result *b = &rs->r[i];

		if (b->status != ZB_OK || !same_group(a, b, x))
			continue;
		used[i] = 1;
		xs[n] = atof(zb_point_get(&b->point, x));
		ys[n] = b->sum.median;
		distinct += !n || xs[n] != xs[0];
		n++;
	}
	if (distinct < 2)
		goto out;
	f = realloc(rs->fits, (size_t)(rs->nr_fits + 1) * sizeof(*f));
	if (!f)
		goto out;
	rs->fits = f;
	f = &rs->fits[rs->nr_fits];
	memset(f, 0, sizeof(*f));
	f->c = a->c;
	f->x = x;
	for (i = 0; i < a->point.nr; i++) {
		if (!strcmp(a->point.name[i], x))
			continue;
		f->point.name[f->point.nr] = a->point.name[i];
		strcpy(f->point.value[f->point.nr++], a->point.value[i]);
	}
	if (!zb_linfit_rel(xs, ys, (size_t)n, &f->fit))
		rs->nr_fits++;
out:
	free(xs);
	free(ys);
}

void zb_results_fit(struct zb_results *rs)
{
	char *used = calloc((size_t)rs->n + 1, 1);
	int i;

	if (!used)
		return;
	for (i = 0; i < rs->n; i++)
		if (!used[i] && rs->r[i].status == ZB_OK && rs->r[i].c->fit_param &&
		    zb_point_get(&rs->r[i].point, rs->r[i].c->fit_param))
			fit_group(rs, i, used);
	free(used);
}

/* will-it-scale's figure, named so nobody takes it for ops_per_sec. */
static void tput_json(struct zb_json *j, const struct zb_result *r)
{
	if (!r->tput.n)
		return;
	zb_json_obj_begin(j, "throughput");
	zb_json_str(j, "definition", "per task: iterations of prepare+op of all tasks in an "
		    "interval of wall time / interval / tasks (will-it-scale's)");
	zb_json_str(j, "unit", "ops/s per task");
	zb_json_int(j, "tasks", r->tput.tasks);
	zb_json_num(j, "interval_s", r->tput.interval_s);
	zb_json_int(j, "intervals", r->tput.n);
	zb_json_num(j, "per_task_median", r->tput.per_task);
	zb_json_num(j, "per_task_min", r->tput.per_task_min);
	zb_json_num(j, "per_task_max", r->tput.per_task_max);
	zb_json_num(j, "total_median", r->tput.total);
	zb_json_num(j, "slowest_task_share", r->tput.least_share);
	zb_json_obj_end(j);
}

/* --perf-record: where the point's perf.data is, relative to the record. */
static void profile_json(struct zb_json *j, const struct zb_result *r,
			 const struct zb_options *o)
{
	char path[1400];

	if (!o->perf_rel || !r->perf_file[0])
		return;
	snprintf(path, sizeof(path), "%s/%s", o->perf_rel, r->perf_file);
	zb_json_obj_begin(j, "profile");
	zb_json_str(j, "perf_data", path);
	zb_json_str(j, "event", o->perf_event);
	zb_json_str(j, "covers", "the latency timed region: start barrier to the last timed "
		    "sample, all workers (not setup, teardown or the throughput phase)");
	zb_json_obj_end(j);
}

static void params_json(struct zb_json *j, const struct zb_point *pt)
{
	int i;

	zb_json_obj_begin(j, "params");
	for (i = 0; i < pt->nr; i++) {
		char *end;
		long v = strtol(pt->value[i], &end, 10);

		if (!*end && end != pt->value[i])
			zb_json_int(j, pt->name[i], v);
		else
			zb_json_str(j, pt->name[i], pt->value[i]);
	}
	zb_json_obj_end(j);
}

static void summary_json(struct zb_json *j, const struct zb_summary *s)
{
	zb_json_obj_begin(j, "summary");
	zb_json_str(j, "unit", "ns");
	zb_json_int(j, "count", (long long)s->n);
	zb_json_num(j, "min", s->min);
	zb_json_num(j, "median", s->median);
	zb_json_num(j, "p90", s->p90);
	zb_json_num(j, "p99", s->p99);
	zb_json_num(j, "max", s->max);
	zb_json_num(j, "mean", s->mean);
	zb_json_num(j, "stddev", s->stddev);
	zb_json_num(j, "ci95_lo", s->ci_lo);
	zb_json_num(j, "ci95_hi", s->ci_hi);
	zb_json_obj_end(j);
}

/*
 * Counts per op as extra numeric keys of the row, as Google Benchmark
 * writes user counters, so its tools see them; an event that was not
 * counted has no key (never a zero).
 */
static void counters_json(struct zb_json *j, const struct zb_result *r,
			  const struct zb_counters *cs)
{
	int k;

	if (!cs || !cs->nr_ok)
		return;
	for (k = 0; k < cs->nr; k++)
		if (isfinite(r->ctr[k]))
			zb_json_num(j, cs->ev[k].name, r->ctr[k]);
	zb_json_str(j, "trace_scope", r->ctr_system_wide ? "system-wide" : "per-task");
	zb_json_num(j, "counters_multiplexed_fraction", r->ctr_scaled);
	zb_json_obj_begin(j, "counters_bracket");
	for (k = 0; k < cs->nr; k++)
		if (isfinite(r->ctr[k]))
			zb_json_num(j, cs->ev[k].name, r->ctr_bracket[k]);
	zb_json_obj_end(j);
}

static void result_json(struct zb_json *j, const struct zb_result *r,
			const struct zb_options *o)
{
	size_t i;
	int k;

	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "name", r->name);
	zb_json_str(j, "run_name", r->name);
	zb_json_str(j, "run_type", "iteration");
	zb_json_int(j, "repetitions", o->repetitions);
	zb_json_int(j, "repetition_index", r->rep);
	zb_json_int(j, "threads", r->nr_timed);
	zb_json_int(j, "iterations", (long long)r->total);
	/* Per-op wall time is what we measure; cpu_time mirrors it. */
	zb_json_num(j, "real_time", r->sum.median);
	zb_json_num(j, "cpu_time", r->sum.median);
	zb_json_str(j, "time_unit", "ns");
	zb_json_str(j, "case", r->c->name);
	if (r->c->flags & ZB_CASE_STRESS)
		zb_json_bool(j, "stress", 1);
	/* What the values are, so that readers judge them (record_load.c). */
	zb_json_str(j, "value_kind", r->c->flags & ZB_CASE_DIFFERENCE ? "difference" : "latency");
	zb_json_bool(j, "self_timed", r->self_timed);
	zb_json_int(j, "ops_per_sample", r->c->batch ? r->c->batch : 1);
	params_json(j, &r->point);
	zb_json_str(j, "mode", r->mode == ZB_MODE_THREAD ? "thread" : "process");
	zb_json_int(j, "workers", r->nr_workers);
	zb_json_arr_begin(j, "worker_cpus");
	for (k = 0; k < r->nr_workers; k++)
		zb_json_int(j, NULL, r->cpu[k]);
	zb_json_arr_end(j);
	summary_json(j, &r->sum);
	zb_json_num(j, "ops_per_sec", r->ops_per_sec);
	tput_json(j, r);
	profile_json(j, r, o);
	zb_json_num(j, "faults_per_op", r->faults_per_op);
	zb_json_num(j, "preempted_fraction", r->preempted);
	zb_json_num(j, "below_timer_floor_fraction", r->below_floor);
	zb_json_num(j, "wall_s", r->wall_s);
	counters_json(j, r, o->counters);
	zb_json_obj_begin(j, "notes");
	for (k = 0; k < r->nr_notes; k++)
		zb_json_num(j, r->notes[k].key, r->notes[k].value);
	zb_json_obj_end(j);
	zb_json_int(j, "samples_total", (long long)r->total);
	zb_json_arr_begin(j, "samples");
	for (i = 0; i < r->nr_kept; i++)
		zb_json_num(j, NULL, r->kept[i]);
	zb_json_arr_end(j);
	zb_json_obj_end(j);
}

static void fits_json(struct zb_json *j, const struct zb_results *rs)
{
	int i;

	zb_json_arr_begin(j, "fits");
	for (i = 0; i < rs->nr_fits; i++) {
		const struct zb_fit_result *f = &rs->fits[i];

		zb_json_obj_begin(j, NULL);
		zb_json_str(j, "case", f->c->name);
		params_json(j, &f->point);
		zb_json_str(j, "x", f->x);
		zb_json_str(j, "y", "median_ns");
		zb_json_str(j, "weights", "1/median^2");
		zb_json_num(j, "slope_ns", f->fit.slope);
		zb_json_num(j, "intercept_ns", f->fit.intercept);
		zb_json_num(j, "r2", f->fit.r2);
		zb_json_int(j, "points", (long long)f->fit.n);
		zb_json_obj_end(j);
	}
	zb_json_arr_end(j);
}

static void not_run_json(struct zb_json *j, const struct zb_results *rs,
			 const char *key, enum zb_status st)
{
	int i;

	zb_json_arr_begin(j, key);
	for (i = 0; i < rs->n; i++) {
		if (rs->r[i].status != st)
			continue;
		zb_json_obj_begin(j, NULL);
		zb_json_str(j, "name", rs->r[i].name);
		zb_json_str(j, "reason", rs->r[i].msg);
		zb_json_obj_end(j);
	}
	zb_json_arr_end(j);
}

/*
 * With --repetitions N, Google Benchmark adds _mean, _median, _stddev and
 * _cv rows over the repetitions' medians; its tools expect them.
 */
static void aggregates_json(struct zb_json *j, const struct zb_results *rs, int last,
			    const struct zb_options *o)
{
	static const char *const what[] = { "mean", "median", "stddev", "cv" };
	const struct zb_result *r = &rs->r[last];
	double v[1000], val[4];
	struct zb_summary s;
	char name[300];
	int i, n = 0;

	for (i = last; i >= 0 && n < 1000; i--)
		if (rs->r[i].status == ZB_OK && !strcmp(rs->r[i].name, r->name))
			v[n++] = rs->r[i].sum.median;
	if (n < 2)
		return;
	zb_summarize(v, (size_t)n, &s);
	val[0] = s.mean;
	val[1] = s.median;
	val[2] = s.stddev;
	val[3] = s.mean ? s.stddev / s.mean : 0;
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "%s_%s", r->name, what[i]);
		zb_json_obj_begin(j, NULL);
		zb_json_str(j, "name", name);
		zb_json_str(j, "run_name", r->name);
		zb_json_str(j, "run_type", "aggregate");
		zb_json_int(j, "repetitions", o->repetitions);
		zb_json_int(j, "threads", r->nr_timed);
		zb_json_str(j, "aggregate_name", what[i]);
		zb_json_str(j, "aggregate_unit", i == 3 ? "percentage" : "time");
		zb_json_int(j, "iterations", n);
		zb_json_num(j, "real_time", val[i]);
		zb_json_num(j, "cpu_time", val[i]);
		zb_json_str(j, "time_unit", "ns");
		zb_json_obj_end(j);
	}
}

/* Is this the last repetition of its point in the results? */
static int last_rep(const struct zb_results *rs, int i)
{
	return i + 1 == rs->n || strcmp(rs->r[i + 1].name, rs->r[i].name);
}

void zb_record_json(struct zb_json *j, const struct zb_results *rs,
		    const struct zb_context *ctx, const struct zb_options *o,
		    int argc, char **argv)
{
	int i;

	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "schema", "zapbench-result");
	zb_json_int(j, "schema_version", ZB_SCHEMA_VERSION);
	zb_context_json(j, ctx, o, argc, argv);
	zb_json_bool(j, "interrupted", rs->interrupted);
	zb_json_arr_begin(j, "benchmarks");
	for (i = 0; i < rs->n; i++) {
		if (rs->r[i].status == ZB_OK)
			result_json(j, &rs->r[i], o);
		if (o->repetitions > 1 && last_rep(rs, i))
			aggregates_json(j, rs, i, o);
	}
	zb_json_arr_end(j);
	fits_json(j, rs);
	not_run_json(j, rs, "skipped", ZB_SKIPPED);
	not_run_json(j, rs, "failed", ZB_FAILED);
	zb_json_obj_end(j);
}
