// SPDX-License-Identifier: GPL-2.0
/*
 * Latency CDFs of one point in two records (before, after).  The whole
 * distribution, not just the median: a change in the tail (preemption,
 * IPIs) shows here first.  Log x, since single samples reach 10-100x the
 * median on a VM.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/fmt.h"
#include "record/record_points.h"
#include "report/plot.h"

#define CDF_MAX_POINTS	2000

/* Empirical CDF, thinned to at most CDF_MAX_POINTS steps; keeps both ends. */
static void cdf_block(FILE *o, const double *v, size_t n, double div)
{
	size_t i, step = n > CDF_MAX_POINTS ? n / CDF_MAX_POINTS : 1;

	for (i = 0; i < n; i += step)
		fprintf(o, "%g %g\n", v[i] / div, (double)(i + 1) / (double)n);
	if ((n - 1) % step)
		fprintf(o, "%g 1\n", v[n - 1] / div);
	fputs("\n\n", o);
}

static void legend(char *buf, size_t len, const char *label, const double *v, size_t n)
{
	char med[32], p99[32];

	zb_fmt_ns(med, sizeof(med), v[n / 2]);
	zb_fmt_ns(p99, sizeof(p99), v[(size_t)((double)(n - 1) * 0.99)]);
	snprintf(buf, len, "%s: median %s, p99 %s (%zu samples)", label, med, p99, n);
}

int zb_plot_cdf(struct zb_plot *p, const struct zb_jval *before, const char *before_label,
		const struct zb_jval *after, const char *after_label, const char *name)
{
	const struct zb_jval *rec[2] = { before, after };
	const char *labels[2] = { before_label, after_label };
	double *v[2] = { NULL, NULL }, div;
	char slug[200], fname[220], buf[1024], m0[512], m1[512];
	struct zb_fig f;
	size_t n[2];
	int ret, i;

	for (i = 0; i < 2; i++) {
		ret = zb_rsamples(rec[i], name, &v[i], &n[i]);
		if (ret == -ENOENT)
			snprintf(p->err, sizeof(p->err), "%s: no samples of %s in the %s record",
				 name, name, i ? "after" : "before");
		if (ret)
			goto out;
	}
	zb_plot_slug(slug, sizeof(slug), name);
	snprintf(fname, sizeof(fname), "cdf-%s", slug);
	ret = zb_fig_open(&f, p, fname);
	if (ret)
		goto out;
	snprintf(buf, sizeof(buf), "Latency CDF, before vs after: %s", name);
	zb_rmachine(before, m0, sizeof(m0));
	zb_rmachine(after, m1, sizeof(m1));
	/* Two machines: say so, the comparison is then of machines too. */
	if (strcmp(m0, m1)) {
		char b0[600], b1[600];

		snprintf(b0, sizeof(b0), "before: %s", m0);
		snprintf(b1, sizeof(b1), "after: %s", m1);
		zb_fig_head(&f, buf, b0, b1);
	} else {
		zb_fig_head(&f, buf, "", m1);
	}
	div = zb_fig_axis(&f, "x", fmin(v[0][0], v[1][0]), fmax(v[0][n[0] - 1], v[1][n[1] - 1]),
			  2, "latency per op");
	zb_fig_array(&f, "label", 2);
	for (i = 0; i < 2; i++) {
		legend(buf, sizeof(buf), labels[i], v[i], n[i]);
		zb_fig_astr(&f, "label", i + 1, buf);
		cdf_block(f.data, v[i], n[i], div);
	}
	ret = zb_fig_render(&f, "cdf.gp");
out:
	free(v[0]);
	free(v[1]);
	return ret;
}
