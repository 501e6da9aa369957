/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A side's records as rounds: every point's median in every round.
 *
 * A round is one run of the suite: a record's repetition (run
 * --repetitions N gives N rounds), or a whole record.  Round numbers run
 * on across a side's records, so the second record's first repetition
 * follows the first record's last; paired comparisons match round k of
 * one side with round k of the other.  compare and plan read records
 * through this, not benchmarks[] themselves.
 */
#ifndef ZB_ROUNDS_H
#define ZB_ROUNDS_H

#include <stddef.h>

#include "record/json.h"

/* One point in one round. */
struct zb_obs {
	const char *name;		/* points into the record */
	int round;
	int rec, key, has_rep;		/* where it came from, to number the rounds */
	double med;			/* the round's median, ns (> 0) */
	double lmed;			/* its log */
	double se2;			/* within-round variance of lmed; NAN unknown */
	double wall_s;			/* what the point took in that round */
	int stress;
};

struct zb_side {
	struct zb_obs *o;		/* sorted by name, then round */
	size_t n;
	int rounds;
	double inject_pct;		/* --inject-slowdown of the side's first record */
	char id[64], machine[256];	/* its machine */
};

/*
 * Gather @nr records as one side (@what names it in errors: "base").
 * All records must come from one machine (-EINVAL, said in @err).  Rows
 * with a median at or below 0 (under the timer) are left out: there is
 * no ratio to take.
 */
int zb_side_gather(const struct zb_jval *const *recs, int nr, const char *what,
		   struct zb_side *s, char *err, size_t len);
void zb_side_free(struct zb_side *s);
/* The end of the run of @s->o that has @s->o[@at]'s name. */
size_t zb_side_span(const struct zb_side *s, size_t at);

#endif
