// SPDX-License-Identifier: GPL-2.0
/*
 * printf's "%.<prec>g" of a double, the same text, without printf: a
 * record of 10^5 rows has 10^7 numbers, and the history's content hash
 * prints each (zb_json_num(): %.15g, read back, else %.17g).  glibc
 * prints the decimal nearest the exact binary value, ties to even; so
 * does this, in exact 128-bit integer arithmetic where the value and its
 * scaling fit, and it leaves everything else to snprintf: zero,
 * subnormals, exponents far from 1, precisions over 19.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record/fmt.h"

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static u128 pow10_128(int k)
{
	u128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/*
 * round(m * 2^e * 10^s) to nearest, ties to even, into *@d; 0 if the
 * exact arithmetic does not fit (the caller falls back).
 */
static int scaled(uint64_t m, int e, int s, uint64_t *d)
{
	u128 n, q, r, half, div;

	if (s >= 0) {
		if (s > 38)
			return 0;
		div = pow10_128(s);
		if (div > ~(u128)0 / m)
			return 0;
		n = (u128)m * div;
		if (e >= 0) {
			if (e > 10 || n >> (127 - e))
				return 0;
			q = n << e;
		} else {
			if (-e > 126)
				return 0;
			q = n >> -e;
			r = n & (((u128)1 << -e) - 1);
			half = (u128)1 << (-e - 1);
			q += r > half || (r == half && (q & 1));
		}
	} else {
		if (-s > 38 || e < 0 || e > 74)
			return 0;
		n = (u128)m << e;
		div = pow10_128(-s);
		q = n / div;
		r = n % div;
		/* 2r against div: r < div < 2^127, no overflow */
		q += 2 * r > div || (2 * r == div && (q & 1));
	}
	if (q >> 64)
		return 0;
	*d = (uint64_t)q;
	return 1;
}

/* The @prec digits of |v| and its decimal exponent; 0 to fall back. */
static int digits(double v, int prec, uint64_t *d, int *x)
{
	uint64_t bits, m, lo, hi;
	int e, tries;

	memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	if (!e || e == 0x7ff)
		return 0;
	m = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	e -= 1075;
	/* fewer bits, more range: v = m * 2^e exactly either way */
	while (!(m & 1) && e < 0) {
		m >>= 1;
		e++;
	}
	lo = 1;
	for (tries = 1; tries < prec; tries++)
		lo *= 10;
	hi = lo * 10;
	*x = (int)floor(log10(fabs(v)));
	/* log10 may be one off near a power of ten; the rounded digits settle it */
	for (tries = 0; tries < 3; tries++) {
		if (!scaled(m, e, prec - 1 - *x, d))
			return 0;
		if (*d >= hi)
			++*x;
		else if (*d < lo)
			--*x;
		else
			break;
	}
	if (tries == 3)
		return 0;
	/*
	 * 10^(prec-1) exactly: v may lie below 10^x and have rounded up to
	 * it.  One exponent down tells: digits short of 10^prec are v's own.
	 */
	if (*d == lo) {
		uint64_t d1;

		if (!scaled(m, e, prec - *x, &d1))
			return 0;
		if (d1 < hi) {
			*d = d1;
			--*x;
		}
	}
	return 1;
}

static int fast_g(char *buf, size_t len, double v, int prec)
{
	char dig[24], *o = buf;
	uint64_t d;
	int x, i, n;

	if (prec < 1 || prec > 19 || len < 32 || !digits(v, prec, &d, &x))
		return 0;
	for (i = prec - 1; i >= 0; i--, d /= 10)
		dig[i] = (char)('0' + d % 10);
	/* %g drops trailing zeros, and the point with them */
	for (n = prec; n > 1 && dig[n - 1] == '0'; n--)
		;
	if (signbit(v))
		*o++ = '-';
	if (x < -4 || x >= prec) {
		*o++ = dig[0];
		if (n > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)n - 1);
			o += n - 1;
		}
		o += sprintf(o, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		return 1;
	}
	if (x < 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = 0; i < -x - 1; i++)
			*o++ = '0';
		memcpy(o, dig, (size_t)n);
		o += n;
	} else {
		memcpy(o, dig, (size_t)(x + 1));
		o += x + 1;
		if (n > x + 1) {
			*o++ = '.';
			memcpy(o, dig + x + 1, (size_t)(n - x - 1));
			o += n - x - 1;
		}
	}
	*o = '\0';
	return 1;
}
#else
static int fast_g(char *buf, size_t len, double v, int prec)
{
	return 0;
}
#endif

void zb_fmt_g(char *buf, size_t len, double v, int prec)
{
	if (!fast_g(buf, len, v, prec))
		snprintf(buf, len, "%.*g", prec, v);
}
