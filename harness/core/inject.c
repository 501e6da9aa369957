// SPDX-License-Identifier: GPL-2.0
/*
 * The wait spins on the clock itself rather than counting loop
 * iterations: a counted loop after a syscall or a fault overlaps with the
 * op's own tail in an out-of-order core and adds less than asked.
 *
 * It starts from the read that closed the op and its last read becomes
 * the region's end, so the wait adds no clock read of its own: only the
 * spin's last step overshoots, and that overshoot is carried into the
 * worker's next wait (an op shorter than one step is slowed by the right
 * amount on average, instead of by a whole clock read each time).
 *
 * Only that step's overshoot is carried.  A spin that was preempted or
 * interrupted overshoots by the interruption; carried, it would cancel the
 * worker's next waits, hundreds of samples for one tick, and the median
 * would move by much less than was asked.  Such an overshoot is dropped.
 */
#include "core/inject.h"

uint64_t zb_inject_wait(const struct zb_inject *in, const struct zb_timer *t,
			uint64_t a, uint64_t b, double *carry)
{
	double own = (double)(b - a) - in->overhead_ticks;
	double want = (own > 0 ? own * in->frac : 0) + *carry;
	uint64_t end, x = b;

	if (want >= 1) {
		end = b + (uint64_t)want;
		do {
			x = zb_ticks_end(t);
		} while (x < end);
	}
	*carry = want - (double)(x - b);
	if (*carry < -in->step_ticks)
		*carry = 0;
	return x;
}

void zb_inject_init(struct zb_inject *in, const struct zb_timer *t, double pct)
{
	in->frac = pct > 0 ? pct / 100 : 0;
	in->overhead_ticks = t->clock == ZB_CLOCK_TSC ? t->overhead_ns * t->tsc_ghz
						       : t->overhead_ns;
	/* one step of the spin is one clock read: under the empty region (two) */
	in->step_ticks = in->overhead_ticks > 1 ? in->overhead_ticks : 1;
}
