// SPDX-License-Identifier: GPL-2.0
/*
 * --inject-slowdown's wait (core/inject.c): what it carries from one wait
 * to the next.  The checks are on the carry and on the order of the
 * clock's reads, never on how long anything took.
 */
#include "core/inject.h"
#include "zbtest.h"

static struct zb_timer timer;
static struct zb_inject in;

static void setup(void)
{
	if (zb_timer_init(&timer, ZB_CLOCK_TSC))
		ASSERT_EQ(zb_timer_init(&timer, ZB_CLOCK_MONOTONIC), 0);
	zb_inject_init(&in, &timer, 50);
}

/* A wait that ends far beyond what it wanted (as a preempted spin does)
 * carries nothing into the next wait. */
TEST(an_interrupted_wait_is_not_carried)
{
	uint64_t b, x;
	double carry = 0;

	setup();
	/* the op "ended" 10 ms of ticks ago: the spin's first read is late */
	b = zb_ticks_end(&timer) - (uint64_t)(10e6 * (timer.clock == ZB_CLOCK_TSC ?
							  timer.tsc_ghz : 1));
	x = zb_inject_wait(&in, &timer, b - 1000, b, &carry);
	ASSERT_TRUE(x > b);
	ASSERT_TRUE(carry == 0);
}

/* Within one step, the overshoot is carried (negative: the next waits less). */
TEST(a_steps_overshoot_is_carried)
{
	uint64_t b;
	double carry = 0;
	int i, carried = 0;

	setup();
	for (i = 0; i < 1000; i++) {
		b = zb_ticks_end(&timer);
		zb_inject_wait(&in, &timer, b - 200, b, &carry);
		ASSERT_TRUE(carry >= -in.step_ticks);
		ASSERT_TRUE(carry <= 100 + in.step_ticks);
		carried += carry != 0;
	}
	ASSERT_TRUE(carried > 0);
}

/* A wait that asks for less than a tick reads no clock and carries the ask. */
TEST(a_sub_tick_wait_accumulates)
{
	double carry = 0;
	uint64_t b = 1000000;

	setup();
	in.overhead_ticks = 0;
	ASSERT_EQ(zb_inject_wait(&in, &timer, b - 1, b, &carry), b);
	ASSERT_TRUE(carry == 0.5);
}

/* No injection asked: nothing waits, nothing is carried. */
TEST(off_is_off)
{
	double carry = 0;
	uint64_t b = 1000000;

	setup();
	zb_inject_init(&in, &timer, 0);
	ASSERT_EQ(zb_inject_wait(&in, &timer, b - 100000, b, &carry), b);
	ASSERT_TRUE(carry == 0);
}
