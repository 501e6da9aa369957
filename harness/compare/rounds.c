// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/rounds.h"
#include "record/machine.h"
#include "record/record_points.h"

/* Name, then record, then the row's repetition (or its place in the record). */
static int cmp_obs(const void *x, const void *y)
{
	const struct zb_obs *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->rec != b->rec)
		return a->rec - b->rec;
	return a->key - b->key;
}

/*
 * A round median's sampling variance on the log scale, from its 95 % CI:
 * what the round would vary by if nothing but its own samples did.
 */
static double within_var(const struct zb_jval *row)
{
	const struct zb_jval *s = zb_jobj_get(row, "summary");
	double lo = zb_jobj_num(s, "ci95_lo"), hi = zb_jobj_num(s, "ci95_hi"), se;

	if (!(lo > 0) || !(hi >= lo))
		return NAN;
	se = (log(hi) - log(lo)) / (2 * 1.959964);
	return se * se;
}

static int push_row(struct zb_side *s, size_t *cap, const struct zb_jval *row, int rec,
		    int idx)
{
	const struct zb_jval *st = zb_jobj_get(row, "stress");
	double k = zb_jobj_num(row, "repetition_index");
	struct zb_obs *o;

	if (s->n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		o = realloc(s->o, *cap * sizeof(*o));
		if (!o)
			return -ENOMEM;
		s->o = o;
	}
	o = &s->o[s->n++];
	o->name = zb_jobj_str(row, "name");
	o->rec = rec;
	o->has_rep = isfinite(k) && k >= 0 && k < 1e6;
	o->key = o->has_rep ? (int)k : idx;
	o->med = zb_jobj_num(row, "real_time");
	o->lmed = o->med > 0 ? log(o->med) : NAN;
	o->se2 = within_var(row);
	o->wall_s = zb_jobj_num(row, "wall_s");
	o->stress = st && st->type == ZB_JBOOL && st->num;
	return 0;
}

/*
 * Round numbers: a row's repetition_index, or for records that have none
 * its place among the rows of its name; then offset by the rounds of the
 * records before it.  Rows whose median is at or below 0 (under the
 * timer: no ratio to take) are dropped after they have been counted.
 */
static int number_rounds(struct zb_side *s, int nr)
{
	int *reps = calloc((size_t)nr + 1, sizeof(*reps)), r;
	size_t i, e, k, out = 0;

	if (!reps)
		return -ENOMEM;
	for (i = 0; i < s->n; i = e) {
		int ord = 0;

		e = zb_side_span(s, i);
		for (k = i; k < e; k++) {
			ord = k > i && s->o[k].rec != s->o[k - 1].rec ? 0 : ord;
			s->o[k].round = s->o[k].has_rep ? s->o[k].key : ord;
			ord++;
			if (s->o[k].round + 1 > reps[s->o[k].rec])
				reps[s->o[k].rec] = s->o[k].round + 1;
		}
	}
	for (r = 1; r < nr; r++)
		reps[r] += reps[r - 1];
	s->rounds = nr ? reps[nr - 1] : 0;
	for (i = 0; i < s->n; i++) {
		s->o[i].round += s->o[i].rec ? reps[s->o[i].rec - 1] : 0;
		if (isfinite(s->o[i].lmed))
			s->o[out++] = s->o[i];
	}
	s->n = out;
	free(reps);
	return 0;
}

int zb_side_gather(const struct zb_jval *const *recs, int nr, const char *what,
		   struct zb_side *s, char *err, size_t len)
{
	size_t cap = 0, i;
	int r, ret;

	memset(s, 0, sizeof(*s));
	for (r = 0; r < nr; r++) {
		const struct zb_jval *row, *opt = zb_jobj_get(zb_jobj_get(recs[r], "context"), "options");
		char id[64];

		zb_record_machine_id(recs[r], id, sizeof(id));
		if (!r) {
			snprintf(s->id, sizeof(s->id), "%s", id);
			zb_record_machine_name(recs[r], s->machine, sizeof(s->machine));
			s->inject_pct = fmax(0, zb_jobj_num(opt, "inject_slowdown_pct"));
		} else if (strcmp(id, s->id)) {
			snprintf(err, len, "%s record %d comes from machine %s, record 1 from %s: "
				 "one side is one machine", what, r + 1, id, s->id);
			return -EINVAL;
		}
		for (i = 0; (row = zb_rrow_next(recs[r], &i));) {
			ret = push_row(s, &cap, row, r, (int)i - 1);
			if (ret)
				return ret;
		}
	}
	qsort(s->o, s->n, sizeof(*s->o), cmp_obs);
	return number_rounds(s, nr);
}

size_t zb_side_span(const struct zb_side *s, size_t at)
{
	size_t e = at + 1;

	while (e < s->n && !strcmp(s->o[e].name, s->o[at].name))
		e++;
	return e;
}

void zb_side_free(struct zb_side *s)
{
	free(s->o);
	memset(s, 0, sizeof(*s));
}
