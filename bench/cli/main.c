// SPDX-License-Identifier: GPL-2.0
/* zapbench: the command line.  Each subcommand lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_plot.h"
#include "record/context.h"
#include "util.h"
#include "version.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "list", cmd_list, "list the benchmark cases and their parameters" },
	{ "run", cmd_run, "run cases, print a table, write a JSON record" },
	{ "compare", cmd_compare, "compare two sets of records: regressed, improved or not" },
	{ "ab", cmd_ab, "two configurations in alternating rounds, compared paired" },
	{ "plan", cmd_plan, "rounds needed to resolve a change, from a pilot's records" },
	{ "report", cmd_report, "the comparison as plain text for an LKML mail" },
	{ "plot", cmd_plot, "figures (gnuplot) from result records" },
	{ "history", cmd_history, "runs in SQLite: import, list, show, dashboard" },
	{ "selftest", cmd_selftest, "measure compare's false-positive rate and power here" },
	{ "machine", cmd_machine, "this machine's identity and description" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: zapbench <command> [options]   (zapbench <command> --help)\n\n");
	for (i = 0; i < ZB_ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nRecords without --out go to datasets/runs/ in a source tree; installed\n"
		"(PREFIX/share/zapbench beside PREFIX/bin), to $XDG_DATA_HOME/zapbench/\n"
		"(~/.local/share/zapbench/); $ZAPBENCH_RUNS overrides both.\n");
	fprintf(f, "\nzapbench %s measures what it costs Linux to revoke user mappings.\n",
		ZB_VERSION);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return ZB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return ZB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("zapbench %s (%s)\n", ZB_VERSION, zb_git_commit());
		return ZB_EXIT_OK;
	}
	for (i = 0; i < ZB_ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	zb_err("unknown command '%s' (zapbench --help lists them)", argv[1]);
	return ZB_EXIT_USAGE;
}
