// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison as a table of at most 120 columns: what compare, ab and
 * make bench print.  One row per point, grouped by case, and a summary
 * line that counts all four verdicts and says what the undecided points
 * could resolve.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmp_table.h"
#include "record/fmt.h"
#include "record/pointname.h"

static void pct(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "+inf" : "-inf");
	else
		snprintf(buf, len, "%+.1f", v);
}

static void row(FILE *f, const struct zb_cmp_row *r, const char *shortn)
{
	char b[16], n[16], sb[16], sn[16], ch[16], lo[16], hi[16], ci[40], mde[16], need[16];

	if (r->verdict == ZB_MISSING || r->verdict == ZB_ADDED) {
		fprintf(f, "  %-26.26s %s\n", shortn, zb_verdict_name(r->verdict));
		return;
	}
	zb_fmt_ns(b, sizeof(b), r->base);
	zb_fmt_ns(n, sizeof(n), r->new_);
	snprintf(sb, sizeof(sb), isnan(r->base_sd_pct) ? "-" : "%.1f", r->base_sd_pct);
	snprintf(sn, sizeof(sn), isnan(r->new_sd_pct) ? "-" : "%.1f", r->new_sd_pct);
	pct(ch, sizeof(ch), r->change_pct);
	pct(lo, sizeof(lo), r->ci_lo_pct);
	pct(hi, sizeof(hi), r->ci_hi_pct);
	snprintf(ci, sizeof(ci), isnan(r->ci_lo_pct) ? "-" : "[%s, %s]", lo, hi);
	snprintf(mde, sizeof(mde), isfinite(r->mde_pct) ? "%.1f%%" : "-", r->mde_pct);
	need[0] = '\0';
	if (r->verdict == ZB_INCONCLUSIVE && r->rounds_needed > 0)
		snprintf(need, sizeof(need), "%d", r->rounds_needed);
	else if (r->verdict == ZB_INCONCLUSIVE)
		/* one round a side has no spread to plan from */
		snprintf(need, sizeof(need), r->n_new < 2 ? "?" : ">%d", ZB_CMP_MAX_ROUNDS);
	fprintf(f, "  %-26.26s %9s %5s %9s %5s %7s %-17s %6s  %-12s %s\n", shortn, b, sb, n, sn,
		ch, ci, mde, r->verdict == ZB_STRESS ? "stress" : zb_verdict_name(r->verdict),
		need);
}

void zb_cmp_table(FILE *f, const struct zb_cmp *c, const struct zb_cmp_opts *o, int all,
		  char *const *below)
{
	const char **names = calloc((size_t)c->n + 1, sizeof(*names));
	struct zb_pnames pn;
	int i, last = -1, shown = 0;

	for (i = 0; names && i < c->n; i++)
		names[i] = c->rows[i].name;
	if (!names || zb_pnames_build(names, c->n, &pn)) {
		free(names);
		fprintf(f, "(out of memory)\n");
		return;
	}
	zb_pnames_legend(f);
	fprintf(f, "# base/new: median of the round medians; +-%%: stddev between rounds; "
		"change: estimated ratio - 1, %%;\n# CI: its adjusted interval; MDE: the "
		"smallest change this run resolves (80%% power); rounds: needed for +-%g%%\n",
		o->threshold_pct);
	fprintf(f, "\n  %-26s %9s %5s %9s %5s %7s %-17s %6s  %-12s %s\n", "point", "base", "+-%",
		"new", "+-%", "change", "adjusted CI %", "MDE", "verdict", "rounds");
	for (i = 0; i < c->n; i++) {
		const struct zb_cmp_row *r = &c->rows[i];

		if (!all && (r->verdict == ZB_NO_CHANGE || r->verdict == ZB_STRESS))
			continue;
		if (pn.group[i] != last)
			fprintf(f, "%s\n", pn.head[pn.group[i]]);
		last = pn.group[i];
		row(f, r, pn.shortn[i]);
		if (below && below[i])
			fputs(below[i], f);
		shown++;
	}
	if (!shown)
		fprintf(f, "  (every point: no change; --all lists them)\n");
	zb_pnames_free(&pn);
	free(names);
}

void zb_cmp_summary(FILE *f, const char *who, const struct zb_cmp *c,
		    const struct zb_cmp_opts *o)
{
	fprintf(f, "%s: %d regressed, %d improved, %d no change (within +-%g%%), %d inconclusive "
		"of %d gated points", who, c->counts[ZB_REGRESSED], c->counts[ZB_IMPROVED],
		c->counts[ZB_NO_CHANGE], o->threshold_pct, c->counts[ZB_INCONCLUSIVE],
		c->nr_tested);
	if (c->counts[ZB_STRESS])
		fprintf(f, "; %d stress points not gated", c->counts[ZB_STRESS]);
	if (c->counts[ZB_MISSING] || c->counts[ZB_ADDED])
		fprintf(f, "; %d missing in new, %d added", c->counts[ZB_MISSING],
			c->counts[ZB_ADDED]);
	fprintf(f, "\n");
	if (c->session_moved)
		fprintf(f, "%s: no verdicts: every point moved by a median of %+.1f%% between the "
			"two sessions\n", who, c->session_shift_pct);
	if (!c->counts[ZB_INCONCLUSIVE])
		return;
	fprintf(f, "%s: the %d inconclusive points could resolve a median of ", who,
		c->counts[ZB_INCONCLUSIVE]);
	if (isfinite(c->median_mde_pct))
		fprintf(f, "+-%.1f%%", c->median_mde_pct);
	else
		fprintf(f, "nothing (too few rounds for the adjusted level)");
	if (c->max_rounds_needed > 0)
		fprintf(f, "; +-%g%% needs up to %d rounds", o->threshold_pct,
			c->max_rounds_needed);
	else
		fprintf(f, "; +-%g%% needs more than %d rounds for some", o->threshold_pct,
			ZB_CMP_MAX_ROUNDS);
	fprintf(f, " (%d %s rounds now)\n", c->rounds_new, c->paired ? "paired" : "new");
}
