// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench-gbench: every single-worker point of the default (or --quick)
 * sweep, registered with Google Benchmark and run by its runner.  Peer
 * cases and points with cpus > 1 are `zapbench run`'s alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "counters/counters.h"
#include "gbench/gbench.h"
#include "core/params.h"
#include "registry.h"
#include "util.h"

static struct zb_options opts;
static struct zb_counters ctrs;

static void help(void)
{
	printf("usage: zapbench-gbench [--quick] [--events E,...] [--trace SYS:EV,...]\n"
	       "                      [Google Benchmark flags: --benchmark_filter=REGEX,\n"
	       "                       --benchmark_repetitions=N, --benchmark_format=json,\n"
	       "                       --benchmark_out=FILE, --benchmark_min_time=S, ...]\n\n"
	       "Every single-worker point of zapbench's sweep (--quick: the quick sweep),\n"
	       "timed by our clock around ->op alone (manual time), counts per op as\n"
	       "counters.  --events and --trace as in `zapbench run --help`.\n"
	       "Peer cases and cpus > 1 points run only under `zapbench run`.\n");
}

/* Our options out of argv, the rest left for Google Benchmark. */
static int parse(int *argc, char **argv, const char **events, const char **trace)
{
	int i, n = 1, m;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help();
			exit(ZB_EXIT_OK);
		}
		if (!strcmp(argv[i], "--quick")) {
			opts.quick = 1;
			continue;
		}
		if ((m = cli_value(*argc, argv, &i, "--events", events)) ||
		    (m = cli_value(*argc, argv, &i, "--trace", trace))) {
			if (m < 0)
				return m;
			continue;
		}
		argv[n++] = argv[i];
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

static int single_worker(const struct zb_case *c, const struct zb_point *pt)
{
	enum zb_mode mode;
	int nr;

	if (c->flags & ZB_CASE_PEERS)
		return 0;
	zb_point_workers(c, pt, &nr, &mode);
	/* One in-process worker: "thread" mode would be the same run again. */
	return nr == 1 && mode == ZB_MODE_PROCESS;
}

static int register_all(void)
{
	const struct zb_case *const *c;
	char why[256];

	for (c = zb_all_cases(); *c; c++) {
		struct zb_sweep s;
		long i, count;

		if (zb_sweep_init(&s, *c, NULL, 0, opts.quick, opts.cpus.n, why, sizeof(why))) {
			zb_err("%s", why);
			return -1;
		}
		count = zb_sweep_count(&s);
		for (i = 0; i < count; i++) {
			struct zb_point pt;

			zb_sweep_point(&s, i, &pt);
			if (single_worker(*c, &pt))
				zb_gbench_register(*c, &pt, &opts);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *events = "none", *trace = NULL;
	char why[256];

	if (parse(&argc, argv, &events, &trace))
		return ZB_EXIT_USAGE;
	if (zb_cpus_load(&opts.cpus)) {
		zb_err("cannot read this process's CPU affinity");
		return ZB_EXIT_USAGE;
	}
	if (zb_timer_init(&opts.timer, ZB_CLOCK_TSC))
		zb_timer_init(&opts.timer, ZB_CLOCK_MONOTONIC);
	if (zb_counters_plan(&ctrs, events, trace, trace != NULL, why, sizeof(why))) {
		zb_err("%s", why);
		return ZB_EXIT_USAGE;
	}
	opts.counters = &ctrs;
	opts.warmup = 3;
	opts.max_samples = 1;
	if (register_all())
		return ZB_EXIT_USAGE;
	return zb_gbench_main(argc, argv);
}
