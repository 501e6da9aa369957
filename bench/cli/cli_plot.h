/* SPDX-License-Identifier: GPL-2.0 */
/* zapbench plot and zapbench history (bench/cli/cmd_plot.c, bench/cli/cmd_history.c). */
#ifndef ZB_CLI_PLOT_H
#define ZB_CLI_PLOT_H

int cmd_plot(int argc, char **argv);
int cmd_history(int argc, char **argv);

/*
 * zapbench history dashboard (bench/cli/history_dashboard.c): 0, or a
 * negative errno after saying why in one line.
 */
int history_dashboard(const char *db, const char *out, const char *filter,
		      const char *scripts, double threshold_pct);

/* The options plot and history share (cli/opts.h entries): the database, the figures. */
#define CLI_HISTORY_OPTS(db, machine, threshold, scripts)				\
	CLI_STR("--db", 'd', "PATH", db, "the history database (default "		\
		"datasets/history.db;\ninstalled: $XDG_DATA_HOME/zapbench/history.db),\n"	\
		"or a PostgreSQL server's postgresql://USER@HOST/DB"),			\
	CLI_STR("--machine", 'm', "ID", machine, "the machine whose id starts so "	\
		"(zapbench history list)"),						\
	CLI_DOUBLE("--threshold", 't', "PCT", threshold, 0, 1000, "a median this much "	\
		   "off the last runs' is marked\n(default 15; run-to-run noise here is "	\
		   "4-17 %)"),								\
	CLI_STR("--scripts", 's', "DIR", scripts, "the gnuplot scripts (default: plots/ "	\
		"of this tree)")

#endif
