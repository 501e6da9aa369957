// SPDX-License-Identifier: GPL-2.0
/* zapbench compare: did anything change between two sets of records? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmp_args.h"
#include "record.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench compare BASE.json[,BASE2.json...] NEW.json[,NEW2.json...] [options]\n\n"
	"  --threshold PCT     smallest |%change| called a change (default 5)\n"
	"  --alpha A           significance level after correction (default 0.05)\n"
	"  --correction holm|bh|none   multiple-comparison control (default holm)\n"
	"  --format text|json  output (default text)\n"
	"  --out FILE          write the output there (atomically) instead of stdout\n\n"
	"Cases are matched by name (case and parameters).  A case is REGRESSED or\n"
	"improved only if the Mann-Whitney U test is significant after correction AND\n"
	"the median moved by at least the threshold.  With >= 3 repetitions a side\n"
	"(--repetitions, several records per side, or run --interleave) the test runs\n"
	"on repetition medians; otherwise on raw samples, which ignores run-to-run\n"
	"drift and is said so.  Exit 0: no regression, 1: regression, 2: bad input.\n";

static void print_side(FILE *f, const char *label, const char *arg, const struct zb_jval *rec,
		       int n)
{
	fprintf(f, "%s %s (%d record%s; %s, kernel %s, commit %s)\n", label, arg, n,
		n == 1 ? "" : "s", cmp_ctx(rec, "host_name"), cmp_ctx(rec, "kernel"),
		cmp_ctx(rec, "git_commit"));
}

static void print_row(FILE *f, const struct zb_cmp_row *r, int w)
{
	char b[16], n[16], ci[40], p[16];

	if (r->verdict == ZB_MISSING || r->verdict == ZB_ADDED) {
		fprintf(f, "%-*s %s\n", w, r->name, zb_verdict_name(r->verdict));
		return;
	}
	zb_fmt_ns(b, sizeof(b), r->base);
	zb_fmt_ns(n, sizeof(n), r->new_);
	snprintf(ci, sizeof(ci), "[%+.1f%%, %+.1f%%]", r->ci_lo_pct, r->ci_hi_pct);
	if (isnan(r->p_adj))
		snprintf(p, sizeof(p), "-");
	else if (r->p_adj < 0.001)
		snprintf(p, sizeof(p), "<0.001");
	else
		snprintf(p, sizeof(p), "%.3f", r->p_adj);
	fprintf(f, "%-*s %9s %5.1f%% %9s %5.1f%% %+7.1f%% %-20s %6s %4s %s\n", w, r->name, b,
		r->base_sd_pct, n, r->new_sd_pct, r->change_pct, ci, p,
		r->by_reps ? "reps" : "smpl", zb_verdict_name(r->verdict));
}

static void print_text(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	char method[256];
	int i, w = 20;

	print_side(f, "base:", a->base_arg, a->bp[0], a->nb);
	print_side(f, "new: ", a->new_arg, a->np[0], a->nn);
	cmp_method(a, method, sizeof(method));
	fprintf(f, "method: %s\n", method);
	for (i = 0; i < c->nr_warnings; i++)
		fprintf(f, "WARNING: %s\n", c->warnings[i]);
	if (c->single_run)
		fprintf(f, "WARNING: some cases have < %d repetitions a side: their p-values "
			"see only within-run noise (unit 'smpl'); use --repetitions 5\n",
			ZB_CMP_MIN_REPS);
	for (i = 0; i < c->n; i++)
		if ((int)strlen(c->rows[i].name) > w)
			w = (int)strlen(c->rows[i].name);
	fprintf(f, "\n%-*s %9s %6s %9s %6s %8s %-20s %6s %4s %s\n", w, "case", "base", "+-",
		"new", "+-", "change", "95% CI of change", "p adj", "unit", "verdict");
	for (i = 0; i < c->n; i++)
		print_row(f, &c->rows[i], w);
	fprintf(f, "\nsummary: %d regressed, %d improved, %d no significant change, "
		"%d missing in new, %d added in new", c->counts[ZB_REGRESSED],
		c->counts[ZB_IMPROVED], c->counts[ZB_SAME], c->counts[ZB_MISSING],
		c->counts[ZB_ADDED]);
	if (c->counts[ZB_STRESS])
		fprintf(f, ", %d stress cases not gated", c->counts[ZB_STRESS]);
	fprintf(f, "\n");
}

int cmd_compare(int argc, char **argv)
{
	return cmp_main(argc, argv, usage, print_text, 1);
}
