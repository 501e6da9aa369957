/* SPDX-License-Identifier: GPL-2.0 */
/* A point's (or a whole case's) median over the runs of a history database. */
#ifndef ZB_PLOT_HISTORY_H
#define ZB_PLOT_HISTORY_H

#include "history_db.h"
#include "plot.h"

/*
 * @what: a point name or a case; one line per point.  Regressions and
 * improvements (zb_hist_trend() with @threshold_pct) are marked.  The
 * figure is named history-<what>; its file name is put in @name.
 */
int zb_plot_history(struct zb_plot *p, struct zb_hdb *h, const char *what,
		    double threshold_pct, char *name, size_t len);

#endif
