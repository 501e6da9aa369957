// SPDX-License-Identifier: GPL-2.0
/*
 * A comparison as one figure: per gated point, the estimated change and
 * its adjusted interval, with the +-T band, coloured by verdict.  The
 * points are in the comparison's order (grouped by case); unresolved
 * interval ends are drawn to the edge of the plot.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare/compare.h"
#include "report/plot.h"

#define CHANGE_MAX_ROWS	120
#define CHANGE_CLIP	100.0		/* %: intervals are drawn up to here */

static double clip(double v)
{
	if (!isfinite(v))
		return v > 0 ? CHANGE_CLIP : -CHANGE_CLIP;
	return fmax(-CHANGE_CLIP, fmin(CHANGE_CLIP, v));
}

int zb_plot_changes(struct zb_plot *p, const struct zb_cmp *c, const struct zb_cmp_opts *o,
		    const char *title, const char *subtitle)
{
	struct zb_fig f;
	double span = 0;
	int i, n = 0, ret;

	ret = zb_fig_open(&f, p, "changes");
	if (ret)
		return ret;
	zb_fig_head(&f, title, subtitle, c->new_machine);
	zb_fig_num(&f, "threshold", o->threshold_pct);
	zb_fig_num(&f, "clip", CHANGE_CLIP);
	for (i = 0; i < c->n && n < CHANGE_MAX_ROWS; i++) {
		const struct zb_cmp_row *r = &c->rows[i];
		const char *name = r->name;

		if (r->verdict > ZB_INCONCLUSIVE || !isfinite(r->change_pct))
			continue;
		fputc('"', f.data);
		for (; *name; name++)
			if (*name != '"' && (unsigned char)*name >= 0x20)
				fputc(*name, f.data);
		fprintf(f.data, "\" %g %g %g %d\n", clip(r->change_pct), clip(r->ci_lo_pct),
			clip(r->ci_hi_pct), (int)r->verdict);
		span = fmax(span, fmax(fabs(clip(r->ci_lo_pct)), fabs(clip(r->ci_hi_pct))));
		n++;
	}
	zb_fig_num(&f, "n", n);
	zb_fig_num(&f, "xmax", fmin(CHANGE_CLIP, fmax(2 * o->threshold_pct, 1.1 * span)));
	if (!n) {
		zb_fig_abort(&f);
		snprintf(p->err, sizeof(p->err), "no gated point to draw");
		return -ENOENT;
	}
	return zb_fig_render(&f, "changes.gp");
}
