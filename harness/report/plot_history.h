/* SPDX-License-Identifier: GPL-2.0 */
/* A point's (or a whole case's) median over the runs of a history database. */
#ifndef ZB_PLOT_HISTORY_H
#define ZB_PLOT_HISTORY_H

#include "history/history_db.h"
#include "report/plot.h"

/*
 * @what: a point name or a case; one line per point, of one machine's
 * runs: the one whose id starts with @machine, or (NULL) the newest
 * run's; the title says so when others were left out.  Regressions and
 * improvements (zb_hist_trend() with @threshold_pct) are marked.  The
 * figure is named history-<what>; its file name is put in @name.
 * -ENOENT when the machine has no runs of @what.
 */
int zb_plot_history(struct zb_plot *p, struct zb_hdb *h, const char *what,
		    const char *machine, double threshold_pct, char *name, size_t len);

#endif
