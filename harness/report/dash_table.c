// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard's comparison table, from the history database: two runs
 * (the caller's pick: of one machine and suite), point by point.
 * The fallback when a record is gone and compare cannot judge: this one
 * only says how far each median moved, and marks a move past the
 * threshold, not whether it is real.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/dashboard.h"

static void run_label(char *buf, size_t len, const struct zb_hrun *r)
{
	snprintf(buf, len, "run %ld: %.32s, %.64s, commit %.64s", r->id, r->date, r->host,
		 r->commit);
}

int zb_dash_table_history(struct zb_hdb *h, const struct zb_hrun *base,
			  const struct zb_hrun *new_, double threshold_pct,
			  struct zb_dash_table *t)
{
	struct zb_hval *v = NULL;
	char **names = NULL;
	int ret, nr_names = 0, nv, i, k;

	memset(t, 0, sizeof(*t));
	if (base)
		snprintf(t->source, sizeof(t->source), "medians of the two runs "
			 "in the history database; changes beyond %g%% marked (no significance "
			 "test)", threshold_pct);
	else
		snprintf(t->source, sizeof(t->source), "medians of the machine's newest run in the "
			 "history database");
	if (base)
		run_label(t->base_label, sizeof(t->base_label), base);
	run_label(t->new_label, sizeof(t->new_label), new_);
	/* Every point either run has: "" names every case. */
	ret = zb_hdb_names(h, "", &names, &nr_names);
	if (ret)
		goto out;
	t->rows = calloc((size_t)nr_names + 1, sizeof(*t->rows));
	if (!t->rows) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr_names; i++) {
		struct zb_dash_row *r = &t->rows[t->n];

		ret = zb_hdb_series(h, names[i], &v, &nv);
		if (ret)
			goto out;
		r->base = r->new_ = r->change_pct = NAN;
		r->verdict = "";
		for (k = 0; k < nv; k++) {
			if (base && v[k].run_id == base->id)
				r->base = v[k].median;
			if (v[k].run_id == new_->id)
				r->new_ = v[k].median;
		}
		free(v);
		v = NULL;
		if (isnan(r->base) && isnan(r->new_))
			continue;
		snprintf(r->name, sizeof(r->name), "%s", names[i]);
		if (isnan(r->base))
			r->verdict = base ? "new" : "";
		else if (isnan(r->new_))
			r->verdict = "missing";
		else
			r->change_pct = 100 * (r->new_ - r->base) / r->base;
		if (r->change_pct > threshold_pct)
			r->verdict = "slower";
		else if (r->change_pct < -threshold_pct)
			r->verdict = "faster";
		t->n++;
	}
out:
	zb_hdb_names_free(names, nr_names);
	if (ret)
		zb_dash_table_free(t);
	return ret;
}

void zb_dash_table_free(struct zb_dash_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}
