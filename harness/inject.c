// SPDX-License-Identifier: GPL-2.0
/*
 * The wait spins on the clock itself rather than counting loop
 * iterations: a counted loop after a syscall or a fault overlaps with the
 * op's own tail in an out-of-order core and adds less than asked.
 * Waiting for the clock to pass a deadline adds at least the wait in wall
 * time, which is what the timed region sees.
 */
#include "inject.h"
#include "stats.h"

void zb_inject_after(const struct zb_inject *in, const struct zb_timer *t, uint64_t start)
{
	uint64_t now = zb_ticks_end(t), want = (uint64_t)((double)(now - start) * in->frac);
	uint64_t end;

	if (want <= in->floor_ticks)
		return;
	end = now + want - in->floor_ticks;
	while (zb_ticks_end(t) < end)
		;
}

static double median_ticks(const struct zb_timer *t, int with_read)
{
	struct zb_inject none = { .frac = 0, .floor_ticks = ~0ULL };
	double v[1001];
	int i;

	for (i = 0; i < 1001; i++) {
		uint64_t a = zb_ticks_begin(t);

		if (with_read)
			zb_inject_after(&none, t, a);
		v[i] = (double)(zb_ticks_end(t) - a);
	}
	zb_sort(v, 1001);
	return v[500];
}

/*
 * What the wait costs beyond the bracket the runner already subtracts (its
 * clock read and first test): taken off the wait, else a small fraction
 * of a fast op comes out too large.
 */
static uint64_t wait_floor(const struct zb_timer *t)
{
	double d = median_ticks(t, 1) - median_ticks(t, 0);

	return d > 0 ? (uint64_t)d : 0;
}

void zb_inject_init(struct zb_inject *in, const struct zb_timer *t, double pct)
{
	in->frac = pct > 0 ? pct / 100 : 0;
	in->floor_ticks = 0;
	if (in->frac > 0)
		in->floor_ticks = wait_floor(t);
}
