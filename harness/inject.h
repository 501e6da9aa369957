/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A known slowdown, to test the statistics: the wrapped case runs the
 * real op and then busy-waits @delay_ns on the clock, inside the timed
 * region.  Used
 * by `zapbench selftest` (and `run --inject-slowdown`); off unless asked,
 * and recorded when on.
 */
#ifndef ZB_INJECT_H
#define ZB_INJECT_H

#include "case.h"
#include "timer.h"

/*
 * A copy of @c whose op also spins for @delay_ns.  One wrapped case at a
 * time: the wrapper keeps @c and the delay in static storage, which
 * forked conductors and workers inherit.
 */
const struct zb_case *zb_inject_wrap(const struct zb_case *c, const struct zb_timer *t,
				     double delay_ns);

#endif
