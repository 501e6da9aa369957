// SPDX-License-Identifier: GPL-2.0
/*
 * The delay spins on the clock itself rather than counting loop
 * iterations: a counted loop after a syscall or a fault overlaps with the
 * op's own tail in an out-of-order core and adds less than asked (we saw
 * 1-4 % for a 5 % request).  Waiting for the TSC to pass a deadline adds
 * at least the delay in wall time, which is what the timed region sees.
 */
#include <stdint.h>

#include "inject.h"
#include "stats.h"
#include "timer.h"

static struct zb_case wrapped;
static const struct zb_case *inner;
static uint64_t delay_ticks;
static int use_tsc;

static uint64_t now(void)
{
	return use_tsc ? zb_tsc_begin() : zb_mono_ns();
}

static void spin(uint64_t ticks)
{
	uint64_t end = now() + ticks;

	while (now() < end)
		;
}

static int inject_op(struct zb_worker *w)
{
	int err = inner->op(w);

	spin(delay_ticks);
	return err;
}

/*
 * What spin(0) costs in the timed region (a clock read or two, ~20 ns):
 * without subtracting it a 5 % request on a 500 ns op came out as ~9 %.
 */
static double spin_floor_ns(const struct zb_timer *t)
{
	double v[1001];
	int i;

	for (i = 0; i < 1001; i++) {
		uint64_t a = zb_ticks_begin(t);

		spin(0);
		v[i] = zb_ticks_to_ns(t, zb_ticks_end(t) - a) - t->overhead_ns;
	}
	zb_sort(v, 1001);
	return v[500] > 0 ? v[500] : 0;
}

const struct zb_case *zb_inject_wrap(const struct zb_case *c, const struct zb_timer *t,
				     double delay_ns)
{
	inner = c;
	wrapped = *c;
	wrapped.op = inject_op;
	use_tsc = t->clock == ZB_CLOCK_TSC;
	delay_ns -= spin_floor_ns(t);
	delay_ticks = delay_ns > 0 ? (uint64_t)(delay_ns * (use_tsc ? t->tsc_ghz : 1.0)) : 0;
	return &wrapped;
}
