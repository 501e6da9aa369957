// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard's comparison table from `zapbench compare` itself: the
 * two runs of one machine and suite, their records re-read from where they
 * were imported, judged by compare's interval of the change.  When a record file is gone the
 * caller falls back to the history's medians (zb_dash_table_history()).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "record/record_load.h"
#include "report/dashboard.h"

/* The row's word, also its CSS class: "" for the rows nobody need look at. */
static const char *verdict_word(enum zb_verdict v)
{
	static const char *const words[ZB_NR_VERDICTS] = {
		[ZB_NO_CHANGE] = "", [ZB_REGRESSED] = "regressed", [ZB_IMPROVED] = "improved",
		[ZB_INCONCLUSIVE] = "inconclusive", [ZB_MISSING] = "missing", [ZB_ADDED] = "new",
		[ZB_STRESS] = "stress, not gated",
	};

	return v < ZB_NR_VERDICTS && words[v] ? words[v] : "";
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
	/* Unpaired: two runs apart in time; never across machines (the caller's pick). */
	struct zb_cmp_opts o = { .threshold_pct = threshold_pct, .alpha = 0.05,
				 .corr = ZB_CORR_HOLM };
	struct zb_jval a, b;
	const struct zb_jval *pa = &a, *pb = &b;
	char err[256], design[400];
	struct zb_cmp c;
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
	ret = zb_compare(&pa, 1, &pb, 1, &o, &c, err, sizeof(err));
	if (!ret) {
		t->rows = calloc((size_t)c.n + 1, sizeof(*t->rows));
		ret = t->rows ? 0 : -ENOMEM;
	}
	if (!ret) {
		fill(t, &c);
		zb_cmp_design(&c, &o, design, sizeof(design));
		snprintf(t->source, sizeof(t->source), "zapbench compare: %.230s", design);
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
