// SPDX-License-Identifier: GPL-2.0
/*
 * The distributions behind infer.c: exact null distributions of the two
 * rank statistics, and the normal and Student t quantiles.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats/infer.h"

double *zb_signed_rank_cdf(int n)
{
	long top, s, r, k;
	double *c, run = 0, total;

	if (n < 0 || n > ZB_INFER_EXACT_MAX)
		return NULL;
	top = (long)n * (n + 1) / 2;
	c = calloc((size_t)top + 1, sizeof(*c));
	if (!c)
		return NULL;
	/* Add rank r with either sign: the ways to reach s gain those to reach s - r. */
	c[0] = 1;
	for (r = 1; r <= n; r++)
		for (s = r * (r + 1) / 2; s >= r; s--)
			c[s] += c[s - r];
	/* 2^n exactly, so P(T+ = 0) is exactly the 2^-n that zb_signed_rank_min_p() uses. */
	total = ldexp(1, n);
	for (k = 0; k <= top; k++) {
		run += c[k];
		c[k] = run / total;
	}
	return c;
}

double *zb_rank_sum_cdf(int n, int m)
{
	long top, stride, i, j, u;
	double *f, *row, run = 0, total = 0;

	if (n < 0 || m < 0 || n > ZB_INFER_EXACT_MAX || m > ZB_INFER_EXACT_MAX)
		return NULL;
	top = (long)n * m;
	stride = top + 1;
	f = calloc((size_t)(m + 1) * (size_t)stride, sizeof(*f));
	if (!f)
		return NULL;
	/*
	 * f[j][u]: arrangements of i x's and j y's with U = u.  The largest
	 * value is a y (it beats all i x's) or an x (it beats no y):
	 * f(i, j, u) = f(i, j - 1, u - i) + f(i - 1, j, u).  Row j - 1 is
	 * already at i when row j is updated, and row j only reads itself at
	 * the same u, so one array serves every step.
	 */
	for (j = 0; j <= m; j++)
		f[j * stride] = 1;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++)
			for (u = i; u <= i * j; u++)
				f[j * stride + u] += f[(j - 1) * stride + u - i];
	row = f + m * stride;
	for (u = 0; u <= top; u++)
		total += row[u];
	for (u = 0; u <= top; u++) {
		run += row[u];
		f[u] = run / total;
	}
	return f;
}

double zb_signed_rank_min_p(int n)
{
	return n < 1 ? 1 : fmin(1, ldexp(2, -n));
}

double zb_rank_sum_min_p(int n, int m)
{
	double c = 1;
	int i, k = n < m ? n : m;

	if (n < 1 || m < 1)
		return 1;
	/*
	 * C(n + m, k) as a running product: every partial product is a
	 * binomial.  No factor is below 1, so once it overflows it stays
	 * infinite (and 2 / c is 0): stop there, or rounds_needed's bisection
	 * up to 10^4 rounds walks 10^4 factors a step, most of compare's time.
	 */
	for (i = 1; i <= k && isfinite(c); i++)
		c = c * (double)(n + m - k + i) / i;
	return fmin(1, 2 / c);
}

/* Acklam's rational approximation of the lower tail, p in (0, 0.5]. */
static double norm_lower(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e, u;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* One Halley step takes the approximation's 1e-9 to full precision. */
	e = 0.5 * erfc(-x / M_SQRT2) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

double zb_norm_quantile(double p)
{
	if (isnan(p))
		return NAN;
	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	/* 1 - p is exact above 0.5; the lower tail keeps its relative precision. */
	return p <= 0.5 ? norm_lower(p) : -norm_lower(1 - p);
}

/* Continued fraction of the incomplete beta (modified Lentz), x < (a + 1)/(a + b + 2). */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d, h, aa, del;
	int k;

	d = 1 - (a + b) * x / (a + 1);
	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (k = 1; k <= 10000; k++) {
		aa = k * (b - k) * x / ((a + 2 * k - 1) * (a + 2 * k));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + k) * (a + b + k) * x / ((a + 2 * k) * (a + 2 * k + 1));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* Regularized I_x(a, b), with y = 1 - x passed in so neither loses digits. */
static double beta_inc(double a, double b, double x, double y)
{
	double front;

	if (x <= 0)
		return 0;
	if (y <= 0)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, y) / b;
}

/* P(T > t) for t >= 0. */
static double t_tail(double t, double df)
{
	double t2 = t * t;

	return 0.5 * beta_inc(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

static double t_density(double t, double df)
{
	return exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * M_PI) -
		   (df + 1) / 2 * log1p(t * t / df));
}

/* The t with P(T > t) = q, q in (0, 0.5): Newton steps kept inside a bracket. */
static double t_upper(double q, double df)
{
	double z = -norm_lower(q), z2 = z * z, lo = 0, hi, t, next, g;
	int i;

	if (df == 1)
		return 1 / tan(M_PI * q);
	if (df == 2)
		return (1 - 2 * q) / sqrt(2 * q * (1 - q));
	/* Cornish-Fisher: a fine start, and the answer itself once df is large. */
	t = z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df) +
	    z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * df * df * df);
	if (df > 1e5)
		return t;
	for (hi = t; t_tail(hi, df) > q; hi *= 2) {
		lo = hi;
		if (isinf(hi))
			return INFINITY;
	}
	t = lo > 0 ? lo : hi;
	for (i = 0; i < 200; i++) {
		g = t_tail(t, df) - q;
		if (g > 0)
			lo = t;
		else
			hi = t;
		next = t + g / t_density(t, df);
		if (!(next > lo && next < hi))
			next = (lo + hi) / 2;
		if (fabs(next - t) <= 1e-14 * t)
			return next;
		t = next;
	}
	return t;
}

double zb_t_quantile(double p, double df)
{
	double t;

	if (isnan(p) || isnan(df) || df <= 0)
		return NAN;
	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p == 0.5)
		return 0;
	if (isinf(df))
		return zb_norm_quantile(p);
	t = t_upper(p < 0.5 ? p : 1 - p, df);
	return p < 0.5 ? -t : t;
}
