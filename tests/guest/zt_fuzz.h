/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz and storm binaries share: their options, a seeded PRNG
 * (the seed is printed; --seed N replays the run), the kernel-address
 * test of the pointer scan, and a main() that parses the options before
 * zbtest.h's runs the tests.
 *
 *   --seed N           the PRNG's seed (default: from the clock, printed)
 *   --ioctls N         exactly N random ioctls (default: as many as fit
 *                      in the short budget)
 *   --storm-seconds S  how long the storm runs (default: short budget)
 *   --long             10^6 ioctls and a 600 s storm (scripts/fuzz-long)
 *   [FILTER]           run only the tests whose name contains FILTER
 */
#ifndef ZT_FUZZ_H
#define ZT_FUZZ_H

#include <inttypes.h>
#include <time.h>

/* zbtest.h defines main(): ours parses the options first, then calls it. */
int zbt_main(int argc, char **argv);
#define main zbt_main
#include "zbtest.h"
#undef main

/* The short budgets of make test, in seconds of guest time (TCG). */
#define ZT_SHORT_FUZZ_S		6
#define ZT_SHORT_STORM_S	8
#define ZT_SHORT_RACE_S		3
#define ZT_LONG_IOCTLS		1000000ULL
#define ZT_LONG_STORM_S		600
#define ZT_LONG_RACE_S		60

struct zt_opts {
	uint64_t seed;
	uint64_t ioctls;	/* 0: by time, ZT_SHORT_FUZZ_S */
	unsigned int storm_s;
	unsigned int race_s;
	int is_long;
};

static struct zt_opts zt_opt;

/* splitmix64: small, seedable, good enough to pick cases. */
static inline uint64_t zt_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the bias of the modulo is irrelevant here). */
static inline uint64_t zt_below(uint64_t *s, uint64_t n)
{
	return zt_rand(s) % n;
}

static inline double zt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * What a kernel address looks like on x86-64: the upper half, from the
 * direct map (0xffff8880...) to the text (0xffffffff8...).  No field
 * the module returns is ever that large.
 */
static inline int zt_looks_kernel(uint64_t v)
{
	return v >= 0xffff800000000000ULL;
}

static inline int zt_usage(const char *argv0, const char *why)
{
	fprintf(stderr, "%s: %s (usage: %s [--seed N] [--ioctls N] [--storm-seconds S] [--long]"
		" [FILTER])\n", argv0, why, argv0);
	return 2;
}

/* A decimal option value > 0 (seed: >= 0); 0 on success. */
static inline int zt_opt_num(const char *s, uint64_t *v, int zero_ok)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || (!zero_ok && !*v) ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	char *args[3] = { argv[0], NULL, NULL };
	uint64_t v;
	int i, have_seed = 0;

	zt_opt.storm_s = ZT_SHORT_STORM_S;
	zt_opt.race_s = ZT_SHORT_RACE_S;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--long")) {
			zt_opt.is_long = 1;
			zt_opt.ioctls = ZT_LONG_IOCTLS;
			zt_opt.storm_s = ZT_LONG_STORM_S;
			zt_opt.race_s = ZT_LONG_RACE_S;
		} else if (!strcmp(a, "--seed")) {
			if (zt_opt_num(val, &zt_opt.seed, 1))
				return zt_usage(argv[0], "--seed wants a number");
			have_seed = 1;
			i++;
		} else if (!strcmp(a, "--ioctls")) {
			if (zt_opt_num(val, &zt_opt.ioctls, 0))
				return zt_usage(argv[0], "--ioctls wants a number >= 1");
			i++;
		} else if (!strcmp(a, "--storm-seconds")) {
			if (zt_opt_num(val, &v, 0) || v > 86400)
				return zt_usage(argv[0], "--storm-seconds wants 1..86400");
			zt_opt.storm_s = v;
			i++;
		} else if (a[0] == '-' || filter) {
			return zt_usage(argv[0], "unknown option or second filter");
		} else {
			filter = a;
		}
	}
	if (!have_seed)
		zt_opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("# seed %" PRIu64 " (replay: --seed %" PRIu64 ")\n", zt_opt.seed, zt_opt.seed);
	/* what was asked, plus room: a count has no time bound of its own */
	for (i = 0; i < zbt_count; i++) {
		unsigned int t = zt_opt.storm_s + zt_opt.race_s + 60;

		if (zt_opt.ioctls)
			t += 3600;
		if (zbt_tests[i].timeout < t)
			zbt_tests[i].timeout = t;
	}
	args[1] = (char *)filter;
	return zbt_main(filter ? 2 : 1, args);
}

#endif
