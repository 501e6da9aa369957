// SPDX-License-Identifier: GPL-2.0
/*
 * Google Benchmark drives the loop; the case's hooks are driven by
 * harness/core/solo.c exactly as the runner drives them.
 *
 * Timing is manual (UseManualTime + SetIterationTime), not PauseTiming
 * around ->prepare: pausing reads the clock and getrusage twice per
 * iteration, costs more than a page fault, and would land in what we
 * report.  Manual time is our own TSC interval around ->op alone, with
 * the empty region subtracted, as `zapbench run` measures it.  Google
 * Benchmark then names the run "<name>/manual_time".
 */
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

extern "C" {
#include "core/params.h"
#include "core/solo.h"
#include "gbench/gbench.h"
}

namespace {

struct point {
	const struct zb_case *c;
	struct zb_point pt;
	const struct zb_options *o;
};

std::vector<point *> points;

/*
 * Google Benchmark calls a benchmark several times while it sizes the
 * iteration count; set a point up once, not at every call.
 */
struct zb_solo *current;
const point *current_point;

struct zb_solo *acquire(const point *p, std::string &why, int &skipped)
{
	char buf[512];

	if (current_point == p)
		return current;
	if (current)
		zb_solo_end(current);
	current_point = p;
	current = zb_solo_start(p->c, &p->pt, p->o, buf, sizeof(buf), &skipped);
	if (!current) {
		why = std::string(skipped ? "skipped: " : "failed: ") + buf;
		current_point = nullptr;
	}
	return current;
}

void run_point(benchmark::State &state, const point *p)
{
	const struct zb_counters *cs = p->o->counters;
	double sum[ZB_MAX_EVENTS] = {}, ctr[ZB_MAX_EVENTS], ns;
	long valid[ZB_MAX_EVENTS] = {};
	unsigned int batch = p->c->batch ? p->c->batch : 1;
	std::string why;
	int skipped = 0;
	struct zb_solo *s = acquire(p, why, skipped);

	if (!s) {
		state.SkipWithError(why.c_str());
		return;
	}
	for (auto _ : state) {
		if (zb_solo_op(s, &ns, ctr)) {
			state.SkipWithError(zb_solo_msg(s));
			break;
		}
		state.SetIterationTime(ns / 1e9);
		for (int k = 0; cs && k < cs->nr; k++)
			if (!std::isnan(ctr[k])) {
				sum[k] += ctr[k];
				valid[k]++;
			}
	}
	/* Per operation, like the time: a batch case's iteration is ->batch ops. */
	if (batch > 1)
		state.SetItemsProcessed(state.iterations() * batch);
	for (int k = 0; cs && k < cs->nr; k++)
		if (valid[k])
			state.counters[cs->ev[k].name] = sum[k] / (double)valid[k] / batch;
}

} // namespace

int zb_gbench_register(const struct zb_case *c, const struct zb_point *pt,
		       const struct zb_options *o)
{
	char name[256];
	point *p = new point{ c, *pt, o };

	zb_point_name(c, pt, name, sizeof(name));
	points.push_back(p);
	benchmark::RegisterBenchmark(name, run_point, p)
		->UseManualTime()
		->Unit(benchmark::kNanosecond);
	return 0;
}

static void free_points()
{
	for (point *p : points)
		delete p;
	points.clear();
}

int zb_gbench_main(int argc, char **argv)
{
	char line[2048];

	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
		free_points();
		return 2;
	}
	/* What was counted, and what could not be, goes into the JSON context. */
	if (!points.empty() && points[0]->o->counters) {
		zb_counters_footer(points[0]->o->counters, line, sizeof(line));
		benchmark::AddCustomContext("zapbench_counters", line);
	}
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	if (current)
		zb_solo_end(current);
	free_points();
	return 0;
}
