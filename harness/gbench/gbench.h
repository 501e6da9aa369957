/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Google Benchmark shim (gbench.cc): a case at a point becomes a
 * benchmark::RegisterBenchmark, run by Google Benchmark's own runner, so
 * --benchmark_filter, --benchmark_repetitions, --benchmark_format=json and
 * --benchmark_out work, with our counts per op in state.counters.
 */
#ifndef ZB_GBENCH_H
#define ZB_GBENCH_H

#include "case.h"
#include "core/runner.h"

#ifdef __cplusplus
extern "C" {
#endif

/* @c, @pt and @o must outlive zb_gbench_main(). */
int zb_gbench_register(const struct zb_case *c, const struct zb_point *pt,
		       const struct zb_options *o);
/* benchmark::Initialize and RunSpecifiedBenchmarks; exit code. */
int zb_gbench_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
