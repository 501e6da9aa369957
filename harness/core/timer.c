// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timer.h"
#include "stats/stats.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#define CALIBRATE_NS	20000000ULL	/* 20 ms: ~50 ppm at 1 us jitter */
#define OVERHEAD_RUNS	2001

uint64_t zb_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int tsc_is_invariant(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007)
		return 0;
	__get_cpuid(0x80000007, &a, &b, &c, &d);
	return !!(d & (1u << 8));
#else
	return 0;
#endif
}

/*
 * A (tsc, ns) pair read as close together as we can: the TSC read is
 * bracketed by two raw reads and the tightest of five brackets kept, so
 * a preemption between the reads cannot skew the calibration.
 */
static void tsc_pair(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	int i;

	*tsc = 0;
	*ns = 0;
	for (i = 0; i < 5; i++) {
		uint64_t a = raw_ns();
		uint64_t t = zb_tsc_begin();
		uint64_t b = raw_ns();

		if (b - a < best) {
			best = b - a;
			*tsc = t;
			*ns = a + (b - a) / 2;
		}
	}
}

/* Ticks per ns against CLOCK_MONOTONIC_RAW (not slewed by NTP). */
static double tsc_calibrate(void)
{
	uint64_t t0, t1, n0, n1;

	tsc_pair(&t0, &n0);
	while (raw_ns() - n0 < CALIBRATE_NS)
		;
	tsc_pair(&t1, &n1);
	return (double)(t1 - t0) / (double)(n1 - n0);
}

/* The median cost of reading the clock around nothing. */
static void measure_overhead(struct zb_timer *t)
{
	double *v = malloc(OVERHEAD_RUNS * sizeof(*v));
	double step = 1e30;
	int i;

	if (!v) {
		t->overhead_ns = 0;
		return;
	}
	for (i = 0; i < OVERHEAD_RUNS; i++) {
		uint64_t a = zb_ticks_begin(t);
		uint64_t b = zb_ticks_end(t);

		v[i] = zb_ticks_to_ns(t, b - a);
	}
	zb_sort(v, OVERHEAD_RUNS);
	t->overhead_ns = zb_percentile_sorted(v, OVERHEAD_RUNS, 50);
	/* The spread of an empty region is the honest resolution. */
	t->floor_ns = zb_percentile_sorted(v, OVERHEAD_RUNS, 99) - v[0];
	for (i = 1; i < OVERHEAD_RUNS; i++)
		if (v[i] > v[i - 1] && v[i] - v[i - 1] < step)
			step = v[i] - v[i - 1];
	if (step < 1e30 && step > t->resolution_ns)
		t->resolution_ns = step;
	if (t->floor_ns < t->resolution_ns)
		t->floor_ns = t->resolution_ns;
	free(v);
}

int zb_timer_init(struct zb_timer *t, enum zb_clock want)
{
	struct timespec res;

	memset(t, 0, sizeof(*t));
	t->tsc_invariant = tsc_is_invariant();
	if (want == ZB_CLOCK_TSC && !t->tsc_invariant)
		return -ENOTSUP;
	t->clock = want;
	if (want == ZB_CLOCK_TSC) {
		t->tsc_ghz = tsc_calibrate();
		t->resolution_ns = 1.0 / t->tsc_ghz;
	} else {
		clock_getres(CLOCK_MONOTONIC, &res);
		t->resolution_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
		if (t->tsc_invariant)
			t->tsc_ghz = tsc_calibrate();
	}
	measure_overhead(t);
	return 0;
}

const char *zb_clock_name(enum zb_clock c)
{
	return c == ZB_CLOCK_TSC ? "tsc" : "monotonic";
}

int zb_clock_parse(const char *s, enum zb_clock *c)
{
	if (!strcmp(s, "tsc"))
		*c = ZB_CLOCK_TSC;
	else if (!strcmp(s, "monotonic"))
		*c = ZB_CLOCK_MONOTONIC;
	else
		return -EINVAL;
	return 0;
}
