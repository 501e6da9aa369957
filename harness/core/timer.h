/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock around the timed region.
 *
 * On x86 with an invariant TSC we read the TSC (fenced, ~10 ns) and
 * convert with a frequency calibrated against CLOCK_MONOTONIC_RAW;
 * elsewhere, or with --clock monotonic, CLOCK_MONOTONIC (~22 ns on the
 * reference VM).  The cost of an empty timed region is measured at start
 * and subtracted from every sample.
 */
#ifndef ZB_TIMER_H
#define ZB_TIMER_H

#include <stdint.h>

enum zb_clock {
	ZB_CLOCK_TSC,
	ZB_CLOCK_MONOTONIC,
};

struct zb_timer {
	enum zb_clock clock;
	int tsc_invariant;		/* CPUID 0x80000007 EDX[8] */
	double tsc_ghz;			/* calibrated ticks per ns */
	double overhead_ns;		/* median empty region, subtracted */
	double resolution_ns;		/* smallest step the clock shows */
	double floor_ns;		/* below this a sample is noise */
};

/* Pick and calibrate the clock; -ENOTSUP if @want is not usable here. */
int zb_timer_init(struct zb_timer *t, enum zb_clock want);
const char *zb_clock_name(enum zb_clock c);
int zb_clock_parse(const char *s, enum zb_clock *c);

#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t zb_tsc_begin(void)
{
	uint32_t lo, hi;

	/* lfence: earlier loads retire before the TSC is read */
	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t zb_tsc_end(void)
{
	uint32_t lo, hi, aux;

	/* rdtscp waits for the timed instructions; lfence keeps later ones out */
	__asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}
#else
static inline uint64_t zb_tsc_begin(void) { return 0; }
static inline uint64_t zb_tsc_end(void) { return 0; }
#endif

uint64_t zb_mono_ns(void);

static inline uint64_t zb_ticks_begin(const struct zb_timer *t)
{
	return t->clock == ZB_CLOCK_TSC ? zb_tsc_begin() : zb_mono_ns();
}

static inline uint64_t zb_ticks_end(const struct zb_timer *t)
{
	return t->clock == ZB_CLOCK_TSC ? zb_tsc_end() : zb_mono_ns();
}

/* Raw ticks of one region to ns, without subtracting the overhead. */
static inline double zb_ticks_to_ns(const struct zb_timer *t, uint64_t ticks)
{
	return t->clock == ZB_CLOCK_TSC ? (double)ticks / t->tsc_ghz : (double)ticks;
}

#endif
