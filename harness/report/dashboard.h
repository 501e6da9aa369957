/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The static dashboard: one HTML file with everything inlined (styles,
 * SVG plots), readable offline and from a file:// URL.  What it shows is
 * assembled by the caller; where the comparison table comes from is one
 * function (zb_dash_table_*), so `compare --format json` can replace the
 * history-based one without touching the page.
 */
#ifndef ZB_DASHBOARD_H
#define ZB_DASHBOARD_H

#include "history/history_db.h"
#include "record/json.h"

struct zb_dash_row {
	char name[256];
	double base, new_;		/* medians, ns; NaN when the side lacks the point */
	double change_pct;
	const char *verdict;		/* "", "regressed", "improved", ... */
};

struct zb_dash_table {
	char source[256];		/* how the table was made, shown under it */
	/* Both runs' machine: "1a2b3c4d, vm: Intel Xeon, ..." ("" unsaid). */
	char machine[320];
	char base_label[256], new_label[256];	/* base "": nothing to compare with */
	char why[256];			/* base "": why not ("" : that machine has one run) */
	struct zb_dash_row *rows;
	int n;
};

struct zb_dash_plot {
	char title[256];
	char svg[4096];			/* file to inline */
};

/* A machine's section: its heading, its latest comparison, its history. */
struct zb_dash_machine {
	char anchor[16];		/* short id: the section's HTML id */
	char heading[320];		/* "1a2b3c4d: vm: Intel Xeon, 2 CPUs, ..." */
	/* CPU model, CPU count, hypervisor or "bare metal", kernel. */
	char facts[512];
	const struct zb_dash_table *table;
	const struct zb_dash_plot *plots;
	int nr_plots;
	const char *plots_note;		/* under the plots' heading, NULL: none */
	const struct zb_jval *context;	/* its newest run's */
};

struct zb_dash {
	const char *title;
	const struct zb_dash_machine *machines;	/* newest run's machine first */
	int nr_machines;
	const struct zb_hrun *runs;
	int nr_runs;
};

/*
 * Two runs judged by zb_compare(), their records re-read from where they
 * were imported; an errno if a record is gone.  The caller picks them,
 * of one machine: a verdict across machines measures the machines.
 */
int zb_dash_table_compare(const struct zb_hrun *base, const struct zb_hrun *new_,
			  double threshold_pct, struct zb_dash_table *t);
/*
 * Two runs' medians side by side (@threshold_pct marks changes); @base
 * NULL: @new_'s alone, its machine having no other run.
 */
int zb_dash_table_history(struct zb_hdb *h, const struct zb_hrun *base,
			  const struct zb_hrun *new_, double threshold_pct,
			  struct zb_dash_table *t);
void zb_dash_table_free(struct zb_dash_table *t);

/* Write @dir/index.html atomically; -errno with the reason in @err. */
int zb_dash_write(const char *dir, const struct zb_dash *d, char *err, size_t errlen);

#endif
