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
 * wait is outside its clock.  selftest reports the change the injection
 * actually made.
 */
#ifndef ZB_INJECT_H
#define ZB_INJECT_H

#include <stdint.h>

#include "core/timer.h"

struct zb_inject {
	double frac;			/* 0: off */
	double overhead_ticks;		/* the empty region, not the op's time */
	double step_ticks;		/* the most one spin step overshoots */
};

void zb_inject_init(struct zb_inject *in, const struct zb_timer *t, double pct);
/*
 * Inside the timed region: ->op ran from the read @a to the read @b.  Spin
 * until it has taken (1 + frac) times its own time, less what @carry says
 * the worker's last wait overshot; returns the read that ends the region.
 */
uint64_t zb_inject_wait(const struct zb_inject *in, const struct zb_timer *t,
			uint64_t a, uint64_t b, double *carry);

#endif
