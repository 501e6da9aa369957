// SPDX-License-Identifier: GPL-2.0
/*
 * gen_record: a large synthetic record for tests/scale, generated rather
 * than committed.  Deterministic for a seed: the same arguments give the
 * same bytes.
 *
 *   gen_record TEMPLATE OUT [--points N] [--reps R] [--samples S]
 *              [--seed X] [--changed]
 *
 * N points ("scale/cCCC/maps:M/populate:yes", a hundred points a case),
 * each in R repetitions (rows), each row with S kept samples around its
 * median; the context is TEMPLATE's, so the record is of its machine.
 * Every point has a fixed median of its own; a row's median moves from it
 * by a between-round noise of 1 % (lognormal), its samples by 3 % around
 * that.  --changed draws its rounds from another stream and slows down
 * point i by 25 % when i % 50 == 0, speeds it up by 20 % (a factor 0.8)
 * when i % 50 == 1: what compare must call regressed and improved, and
 * nothing else.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/json.h"
#include "record/json_dump.h"
#include "record/record_load.h"
#include "stats/stats.h"
#include "util.h"

#define PER_CASE	100
#define INJECT_EVERY	50

struct gen {
	long points, reps, samples;
	uint64_t seed;
	int changed;
};

/* splitmix64: a stateless hash of (seed, stream, point, rep, k). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static double uniform(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t h = mix(mix(mix(mix(mix(seed) ^ a) ^ b) ^ c) ^ d);

	return ((double)(h >> 11) + 0.5) / 9007199254740992.0;
}

/* A standard normal deviate (Box-Muller on two of the hashes). */
static double normal(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	double u = uniform(seed, a, b, c, 2 * d), v = uniform(seed, a, b, c, 2 * d + 1);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static double factor(const struct gen *g, long i)
{
	if (!g->changed)
		return 1;
	return i % INJECT_EVERY == 0 ? 1.25 : i % INJECT_EVERY == 1 ? 0.8 : 1;
}

static void summary(struct zb_json *j, double *v, size_t n, double med)
{
	struct zb_summary s;

	zb_summarize(v, n, &s);
	zb_json_obj_begin(j, "summary");
	zb_json_str(j, "unit", "ns");
	zb_json_int(j, "count", (long long)n);
	zb_json_num(j, "min", s.min);
	zb_json_num(j, "median", med);
	zb_json_num(j, "p90", zb_percentile_sorted(v, n, 90));
	zb_json_num(j, "p99", zb_percentile_sorted(v, n, 99));
	zb_json_num(j, "max", s.max);
	zb_json_num(j, "mean", s.mean);
	zb_json_num(j, "stddev", s.stddev);
	zb_json_num(j, "ci95_lo", med * (1 - 0.03 * 1.96 / sqrt((double)n)));
	zb_json_num(j, "ci95_hi", med * (1 + 0.03 * 1.96 / sqrt((double)n)));
	zb_json_obj_end(j);
}

static void row(struct zb_json *j, const struct gen *g, long i, long rep, double *v)
{
	uint64_t stream = g->changed ? 2 : 1;
	double base = 500 * exp(4 * uniform(g->seed, 0, (uint64_t)i, 0, 0));
	double med = base * factor(g, i) * exp(0.01 * normal(g->seed, stream, (uint64_t)i,
							      (uint64_t)rep, 0));
	char name[128], cs[64];
	long k, maps = (i % PER_CASE + 1) * 10;

	snprintf(cs, sizeof(cs), "scale/c%03ld", i / PER_CASE);
	snprintf(name, sizeof(name), "%s/maps:%ld/populate:yes", cs, maps);
	for (k = 0; k < g->samples; k++)
		v[k] = med * exp(0.03 * normal(g->seed, stream + 2, (uint64_t)i, (uint64_t)rep,
					       (uint64_t)k + 1));
	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "name", name);
	zb_json_str(j, "run_name", name);
	zb_json_str(j, "run_type", "iteration");
	zb_json_int(j, "repetitions", g->reps);
	zb_json_int(j, "repetition_index", rep);
	zb_json_int(j, "threads", 1);
	zb_json_int(j, "iterations", g->samples);
	zb_json_num(j, "real_time", med);
	zb_json_num(j, "cpu_time", med);
	zb_json_str(j, "time_unit", "ns");
	zb_json_str(j, "case", cs);
	zb_json_obj_begin(j, "params");
	zb_json_int(j, "maps", maps);
	zb_json_str(j, "populate", "yes");
	zb_json_obj_end(j);
	zb_json_str(j, "mode", "process");
	zb_json_int(j, "workers", 1);
	zb_json_arr_begin(j, "worker_cpus");
	zb_json_int(j, NULL, 0);
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "samples");
	for (k = 0; k < g->samples; k++)
		zb_json_num(j, NULL, v[k]);
	zb_json_arr_end(j);
	zb_sort(v, (size_t)g->samples);
	summary(j, v, (size_t)g->samples, med);
	zb_json_num(j, "ops_per_sec", 1e9 / med);
	zb_json_int(j, "faults_per_op", 0);
	zb_json_int(j, "preempted_fraction", 0);
	zb_json_int(j, "below_timer_floor_fraction", 0);
	zb_json_num(j, "wall_s", med * (double)g->samples * 1e-9);
	zb_json_int(j, "samples_total", g->samples);
	zb_json_obj_end(j);
}

/* TEMPLATE's head, then the rows, repetitions interleaved (as --interleave writes them). */
static int generate(struct zb_json *j, const struct zb_jval *tmpl, const struct gen *g)
{
	double *v = malloc((size_t)g->samples * sizeof(*v));
	long i, rep;

	if (!v)
		return -ENOMEM;
	zb_json_obj_begin(j, NULL);
	zb_json_val(j, "schema", zb_jobj_get(tmpl, "schema"));
	zb_json_val(j, "schema_version", zb_jobj_get(tmpl, "schema_version"));
	zb_json_val(j, "context", zb_jobj_get(tmpl, "context"));
	zb_json_bool(j, "interrupted", 0);
	zb_json_arr_begin(j, "benchmarks");
	for (rep = 0; rep < g->reps; rep++)
		for (i = 0; i < g->points; i++)
			row(j, g, i, rep, v);
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "fits");
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "skipped");
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "failed");
	zb_json_arr_end(j);
	zb_json_obj_end(j);
	free(v);
	return j->err;
}

static int num_arg(const char *opt, const char *val, long min, long *out)
{
	char *end;

	errno = 0;
	*out = val ? strtol(val, &end, 10) : 0;
	if (!val || errno || *end || end == val || *out < min) {
		fprintf(stderr, "gen_record: %s needs an integer >= %ld\n", opt, min);
		return -1;
	}
	return 0;
}

static int unknown(const char *opt)
{
	fprintf(stderr, "gen_record: unknown option %s\n", opt);
	return -1;
}

static int parse(int argc, char **argv, struct gen *g)
{
	long seed = 1;
	int i;

	*g = (struct gen){ .points = 100000, .reps = 1, .samples = 25 };
	for (i = 3; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r;

		if (!strcmp(argv[i], "--changed")) {
			g->changed = 1;
			continue;
		}
		if (!strcmp(argv[i], "--points"))
			r = num_arg(argv[i], val, 1, &g->points);
		else if (!strcmp(argv[i], "--reps"))
			r = num_arg(argv[i], val, 1, &g->reps);
		else if (!strcmp(argv[i], "--samples"))
			r = num_arg(argv[i], val, 1, &g->samples);
		else if (!strcmp(argv[i], "--seed"))
			r = num_arg(argv[i], val, 0, &seed);
		else
			r = unknown(argv[i]);
		if (r)
			return -1;
		i++;
	}
	g->seed = (uint64_t)seed;
	return 0;
}

int main(int argc, char **argv)
{
	struct zb_jval tmpl;
	struct zb_atomic a;
	struct zb_json j;
	struct gen g;
	char err[512];
	int ret;

	if (argc < 3 || parse(argc, argv, &g)) {
		fprintf(stderr, "usage: gen_record TEMPLATE OUT [--points N] [--reps R] "
			"[--samples S] [--seed X] [--changed]\n");
		return 2;
	}
	if (zb_record_load(argv[1], &tmpl, err, sizeof(err))) {
		fprintf(stderr, "gen_record: %s\n", err);
		return 1;
	}
	zb_json_init(&j);
	ret = generate(&j, &tmpl, &g);
	zb_jval_free(&tmpl);
	if (!ret)
		ret = zb_atomic_open(&a, argv[2]);
	if (!ret)
		ret = zb_atomic_commit(&a, j.buf, j.len);
	zb_json_free(&j);
	if (ret) {
		fprintf(stderr, "gen_record: %s: %s\n", argv[2], strerror(-ret));
		return 1;
	}
	return 0;
}
