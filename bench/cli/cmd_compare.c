// SPDX-License-Identifier: GPL-2.0
/* zapbench compare: did anything change between two sets of records? */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmp_args.h"
#include "cli/cmp_table.h"

static const char usage[] =
	"usage: zapbench compare BASE.json[,BASE2.json...] NEW.json[,NEW2.json...] [options]\n\n";

static const char tail[] =
	"The unit is the round: each repetition of a record (or each record) is one run of\n"
	"the suite, and a point's value per round is that round's median.  The ratio\n"
	"new/base is estimated by Hodges-Lehmann on the log round medians, with the exact\n"
	"Wilcoxon signed-rank (paired) or Mann-Whitney (unpaired) interval at the level\n"
	"the correction gives each point.  Verdicts, with threshold T:\n"
	"  no change     the interval lies inside +-T\n"
	"  REGRESSED,    the interval excludes 0 and is not inside +-T\n"
	"  improved\n"
	"  inconclusive  neither; the row says the smallest change the run resolves (MDE,\n"
	"                80 % power) and the rounds that would resolve +-T\n"
	"Records of two machines (context.machine.id) are not compared (exit 2) unless\n"
	"--cross-machine.  Under a REGRESSED row, the 5 symbols whose share of the samples\n"
	"changed most, when both sides ran with --perf-record (text output only; perf\n"
	"report runs on each perf.data, 60 s at most):\n"
	"      +12.3 pp  zap_pte_range   (a 20.1 % -> b 32.4 %)\n"
	"Exit 0: no regression, 1: a regression, 2: bad input.\n";

static void print_side(FILE *f, const char *label, const char *arg, const struct zb_jval *rec,
		       int n, int rounds, const char *machine)
{
	fprintf(f, "%s %s (%d record%s, %d round%s; kernel %s, commit %s)\n", label, arg, n,
		n == 1 ? "" : "s", rounds, rounds == 1 ? "" : "s", cmp_ctx(rec, "kernel"),
		cmp_ctx(rec, "git_commit"));
	fprintf(f, "      machine %s\n", machine);
}

void compare_text(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	char design[512];
	int i;

	print_side(f, "base:", a->base_arg, a->bp[0], a->nb, c->rounds_base, c->base_machine);
	print_side(f, "new: ", a->new_arg, a->np[0], a->nn, c->rounds_new, c->new_machine);
	cmp_method(a, design, sizeof(design));
	fprintf(f, "design: ");
	for (i = 0; design[i]; i++)
		fprintf(f, design[i] == '\n' ? "\n        " : "%c", design[i]);
	fprintf(f, "\n");
	for (i = 0; i < c->nr_warnings; i++)
		fprintf(f, "WARNING: %s\n", c->warnings[i]);
	zb_cmp_table(f, c, &a->o, a->all, a->profile);
	fprintf(f, "\n");
	zb_cmp_summary(f, "summary", c, &a->o);
}

int cmd_compare(int argc, char **argv)
{
	return cmp_main(argc, argv, usage, tail, compare_text, 1);
}
