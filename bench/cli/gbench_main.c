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
#include "core/params.h"
#include "counters/counters.h"
#include "gbench/gbench.h"
#include "registry.h"
#include "util.h"

static struct zb_options opts;
static struct zb_counters ctrs;

static const char usage[] =
	"usage: zapbench-gbench [--quick] [--events E,...] [--trace SYS:EV,...]\n"
	"                      [Google Benchmark flags: --benchmark_filter=REGEX,\n"
	"                       --benchmark_repetitions=N, --benchmark_format=json,\n"
	"                       --benchmark_out=FILE, --benchmark_min_time=S, ...]\n\n";

static const char tail[] =
	"Every single-worker point of zapbench's sweep (--quick: the quick sweep),\n"
	"timed by our clock around ->op alone (manual time), counts per op as\n"
	"counters.  Peer cases and cpus > 1 points run only under `zapbench run`.\n"
	"The options it does not know are Google Benchmark's.\n";

/* Our options out of argv, the rest left for Google Benchmark. */
static int parse(int *argc, char **argv, const char **events, const char **trace)
{
	const struct cli_opt table[] = {
		{ .name = "--quick", .key = 'q', .type = CLI_T_FLAG, .to.flag = &opts.quick,
		  .set = 1, .flags = CLI_OWN, .help = "the quick sweep" },
		{ .name = "--events", .type = CLI_T_STR, .arg = "E,...", .to.str = events,
		  .flags = CLI_OWN, .help = "as in `zapbench run --help`" },
		{ .name = "--trace", .type = CLI_T_STR, .arg = "SYS:EV,...", .to.str = trace,
		  .flags = CLI_OWN, .help = "as in `zapbench run --help`" },
		CLI_END
	};
	struct cli_cmd cmd = { .prog = "zapbench-gbench", .usage = usage, .opts = table,
			       .tail = tail, .pass = argv + 1, .pass_max = *argc,
			       .unknown_passes = 1 };
	int ret;

	/* what passes is at most what is left: argv[1..] is read before it is written */
	ret = cli_parse(&cmd, *argc, argv);
	if (ret)
		return ret;
	*argc = cmd.nr_pass + 1;
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
	int ret;

	/* as zapbench run's, with one sample: Google Benchmark times the op */
	zb_options_init(&opts, 0);
	opts.max_samples = 1;
	ret = parse(&argc, argv, &events, &trace);
	if (ret)
		return cli_exit(ret);
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
	if (register_all())
		return ZB_EXIT_USAGE;
	return zb_gbench_main(argc, argv);
}
