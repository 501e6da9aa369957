// SPDX-License-Identifier: GPL-2.0
/*
 * zb_fmt_g() against glibc's snprintf("%.*g"): the same text, byte for
 * byte, or the history's content hash (zb_json_num) would change and a
 * record imported before would be imported again.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record/fmt.h"
#include "zbtest.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Every mismatch counted, the first few printed. */
static int check(double v, int prec, int *bad)
{
	char want[64], got[64];

	snprintf(want, sizeof(want), "%.*g", prec, v);
	zb_fmt_g(got, sizeof(got), v, prec);
	if (!strcmp(want, got))
		return 0;
	if ((*bad)++ < 5)
		ZBT_SAY("%.17g at %d: printf '%s', zb_fmt_g '%s'", v, prec, want, got);
	return 1;
}

static const int precs[] = { 1, 6, 15, 16, 17, 19 };

TEST(random_bits_every_exponent)
{
	int i, k, bad = 0;
	uint64_t b;
	double v;

	for (i = 0; i < 200000; i++) {
		b = next();
		memcpy(&v, &b, sizeof(v));
		for (k = 0; k < (int)(sizeof(precs) / sizeof(precs[0])); k++)
			check(v, precs[k], &bad);
	}
	ASSERT_EQ(0, bad);
}

/* What records hold: latencies from sub-ns to hours, in ns, and fractions. */
TEST(random_values_of_records)
{
	int i, k, bad = 0;
	double v;

	for (i = 0; i < 300000; i++) {
		v = exp((double)(next() % 40000) / 1000 - 15) * (1 + (double)(next() % 1000) / 1e6);
		for (k = 0; k < (int)(sizeof(precs) / sizeof(precs[0])); k++)
			check(i & 1 ? -v : v, precs[k], &bad);
	}
	ASSERT_EQ(0, bad);
}

/* Exact ties at the last digit (ties to even), carries into a new digit, powers of ten. */
TEST(ties_carries_and_powers_of_ten)
{
	int i, k, e, bad = 0;
	double v;

	for (i = 0; i < 2000; i++) {
		check(1e15 + i, 15, &bad);
		check(1e16 + 2 * i, 16, &bad);
		check(9.5 + i, 1, &bad);
		check(0.5 + i, 1, &bad);
		check((double)i / 8, 3, &bad);
		check(999999999999999.5 + i, 15, &bad);
	}
	for (e = -30; e <= 30; e++) {
		for (k = 0; k < (int)(sizeof(precs) / sizeof(precs[0])); k++) {
			v = pow(10, e);
			check(v, precs[k], &bad);
			check(nextafter(v, 0), precs[k], &bad);
			check(nextafter(v, INFINITY), precs[k], &bad);
			check(9.9999999999999999e-5 * pow(10, e), precs[k], &bad);
		}
	}
	ASSERT_EQ(0, bad);
}

TEST(what_it_leaves_to_printf)
{
	static const double v[] = { 0.0, -0.0, 5e-324, 2.2250738585072009e-308, 1.7976931348623157e308,
				    INFINITY, -INFINITY, NAN, 1e300, 1e-300 };
	int i, k, bad = 0;

	for (i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
		for (k = 0; k < (int)(sizeof(precs) / sizeof(precs[0])); k++)
			check(v[i], precs[k], &bad);
	ASSERT_EQ(0, bad);
}
