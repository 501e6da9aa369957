// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard's comparison table from `zapbench compare` itself: the
 * newest two runs' records, re-read from where they were imported, judged
 * with significance and effect size.  When a record file is gone the
 * caller falls back to the history's medians (zb_dash_table_history()).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "dashboard.h"
#include "record_load.h"

static const char *verdict_word(enum zb_verdict v)
{
	static const char *const words[] = {
		"", "regressed", "improved", "missing", "new", "stress, not gated",
	};

	return words[v];
}

static void fill(struct zb_dash_table *t, const struct zb_cmp *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const struct zb_cmp_row *r = &c->rows[i];
		struct zb_dash_row *d = &t->rows[t->n++];

		snprintf(d->name, sizeof(d->name), "%s", r->name);
		d->base = r->verdict == ZB_ADDED ? NAN : r->base;
		d->new_ = r->verdict == ZB_MISSING ? NAN : r->new_;
		d->change_pct = isnan(d->base) || isnan(d->new_) ? NAN : r->change_pct;
		d->verdict = verdict_word(r->verdict);
	}
}

int zb_dash_table_compare(const struct zb_hrun *base, const struct zb_hrun *new_,
			  double threshold_pct, struct zb_dash_table *t)
{
	struct zb_cmp_opts o = { threshold_pct, 0.05, ZB_CORR_HOLM, 1000 };
	struct zb_jval a, b;
	const struct zb_jval *pa = &a, *pb = &b;
	struct zb_cmp c;
	char err[256];
	int ret;

	memset(t, 0, sizeof(*t));
	ret = zb_record_load(base->source, &a, err, sizeof(err));
	if (ret)
		return ret;
	ret = zb_record_load(new_->source, &b, err, sizeof(err));
	if (ret) {
		zb_jval_free(&a);
		return ret;
	}
	ret = zb_compare(&pa, 1, &pb, 1, &o, &c);
	if (!ret) {
		t->rows = calloc((size_t)c.n + 1, sizeof(*t->rows));
		ret = t->rows ? 0 : -ENOMEM;
	}
	if (!ret) {
		fill(t, &c);
		snprintf(t->source, sizeof(t->source), "zapbench compare: Mann-Whitney U, holm "
			 "over %d cases, alpha 0.05, threshold %g%%%s", c.nr_tested, threshold_pct,
			 c.single_run ? "; single runs, p-values see within-run noise only" : "");
		snprintf(t->base_label, sizeof(t->base_label), "run %ld: %.32s, commit %.64s",
			 base->id, base->date, base->commit);
		snprintf(t->new_label, sizeof(t->new_label), "run %ld: %.32s, commit %.64s",
			 new_->id, new_->date, new_->commit);
		zb_cmp_free(&c);
	}
	zb_jval_free(&a);
	zb_jval_free(&b);
	return ret;
}
