/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A known slowdown, to test the statistics: after the case's op, still
 * inside the timed region, the runner busy-waits a fixed fraction of the
 * time that very op took.  Every sample is then (1 + fraction) times its
 * op, so every statistic of the point moves by that fraction, whatever
 * the distribution (bimodal points included), and no pilot run is needed
 * to size it.  The case itself is untouched, so every row keeps its own
 * case, parameters and labels.  Used by `zapbench selftest` and `ab`
 * through `run --inject-slowdown`; off unless asked for, and recorded.
 *
 * An op that times itself in the kernel (zb_sample_ns) is not slowed: the
 * wait is outside its clock.  An op shorter than the wait's own overhead
 * divided by the fraction (a clock read and the loop's first test, tens of
 * ns) is slowed by that overhead, more than asked: selftest reports the
 * change the injection actually made.
 */
#ifndef ZB_INJECT_H
#define ZB_INJECT_H

#include <stdint.h>

#include "timer.h"

struct zb_inject {
	double frac;			/* 0: off */
	uint64_t floor_ticks;		/* what the wait costs before it waits */
};

void zb_inject_init(struct zb_inject *in, const struct zb_timer *t, double pct);
/* From the timed region, right after ->op, which started at @start ticks. */
void zb_inject_after(const struct zb_inject *in, const struct zb_timer *t, uint64_t start);

#endif
