// SPDX-License-Identifier: GPL-2.0
/* Many figures drawn by one gnuplot: see zb_plot_batch_begin() in plot.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/plot.h"
#include "util.h"

int zb_plot_batch_begin(struct zb_plot *p)
{
	char dir[4096];
	int ret;

	p->err[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/data", p->out_dir);
	ret = zb_mkdirs(dir);
	if (ret)
		return zb_plot_fail(p, ret, "%s: %s", dir, strerror(-ret));
	snprintf(p->batch_path, sizeof(p->batch_path), "%.4086s/batch.gp", dir);
	p->batch = fopen(p->batch_path, "we");
	if (!p->batch)
		return zb_plot_fail(p, -errno, "%s: %s", p->batch_path, strerror(errno));
	fputs("# Written by zapbench: its figures in one gnuplot run, each in a fresh session\n",
	      p->batch);
	return 0;
}

int zb_plot_batch_add(struct zb_fig *f, const char *script, const char *fmt, const char *out)
{
	struct zb_plot *p = f->p;
	FILE *b = p->batch;
	char *copy;

	if (p->nr_outs == p->cap_outs) {
		int cap = p->cap_outs ? 2 * p->cap_outs : 64;
		char **o = realloc(p->outs, (size_t)cap * sizeof(*o));

		if (!o)
			goto nomem;
		p->outs = o;
		p->cap_outs = cap;
	}
	copy = strdup(out);
	if (!copy)
		goto nomem;
	p->outs[p->nr_outs++] = copy;
	/* An image from before is not this run's: only what gnuplot writes now passes. */
	unlink(out);
	/* The mark goes to the log first: an error after it is this figure's. */
	fputs("reset session\nprint ", b);
	zb_gp_str(b, ZB_GP_MARK);
	fputs(" . ", b);
	zb_gp_str(b, out);
	fprintf(b, "\nfmt = '%s'\nout = ", fmt);
	zb_gp_str(b, out);
	fputs("\nscripts = ", b);
	zb_gp_str(b, p->scripts_dir);
	fputs("\nload ", b);
	zb_gp_str(b, f->vars);
	fputs("\nload ", b);
	zb_gp_str(b, script);
	/* Closed here, so the image is whole before the next figure starts. */
	fputs("\nunset output\n", b);
	return 0;
nomem:
	return zb_plot_fail(p, -ENOMEM, "out of memory");
}

void zb_plot_batch_abort(struct zb_plot *p)
{
	int i;

	if (p->batch)
		fclose(p->batch);
	p->batch = NULL;
	for (i = 0; i < p->nr_outs; i++)
		free(p->outs[i]);
	free(p->outs);
	p->outs = NULL;
	p->nr_outs = p->cap_outs = 0;
}

int zb_plot_batch_end(struct zb_plot *p)
{
	char log[4096 + 8];
	char *const argv[] = { "gnuplot", p->batch_path, NULL };
	int ret = 0, i, werr;

	if (!p->batch)
		return 0;
	werr = ferror(p->batch);
	werr |= fclose(p->batch);
	p->batch = NULL;
	if (werr)
		ret = zb_plot_fail(p, -EIO, "writing %s: %s", p->batch_path, strerror(errno));
	/* Nothing queued: no gnuplot to run (and none needed installed). */
	if (!ret && p->nr_outs) {
		snprintf(log, sizeof(log), "%.4090s.log", p->batch_path);
		ret = zb_gp_exec(p, argv, log, p->batch_path,
				 ZB_GP_TIMEOUT_S + ZB_GP_FIGURE_S * (double)p->nr_outs);
		for (i = 0; !ret && i < p->nr_outs; i++)
			ret = zb_gp_drew(p, p->outs[i], log);
	}
	zb_plot_batch_abort(p);
	return ret;
}
