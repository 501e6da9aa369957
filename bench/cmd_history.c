// SPDX-License-Identifier: GPL-2.0
/* zapbench history: runs in SQLite, a case over time, the dashboard. */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_plot.h"
#include "dashboard.h"
#include "history_db.h"
#include "plot.h"
#include "record.h"
#include "record_load.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench history COMMAND [options]\n\n"
	"  import FILE...        store runs (JSON of `zapbench run --out`); importing\n"
	"                        a run again changes nothing; all files or none\n"
	"  list                  the stored runs, oldest first\n"
	"  show CASE             a case's (or one point's) median over the runs\n"
	"  dashboard --out DIR   DIR/index.html: the newest two runs side by side, a\n"
	"                        history plot per case, the machine; static, offline\n\n"
	"  --db PATH             the database (default " ZB_HISTORY_DB_DEFAULT ")\n"
	"  --threshold PCT       a median this much off the last runs' is marked\n"
	"                        (default 15; run-to-run noise here is 4-17 %)\n"
	"  --filter REGEX        dashboard: only the cases matching\n"
	"  --scripts DIR         the gnuplot scripts (default: plots/ of this tree)\n\n"
	"Exit 2 on any error (one line on stderr).\n";

#define MAX_ARGS	1024

struct hist_args {
	const char *sub;
	const char *arg[MAX_ARGS];
	int nr_args;
	const char *db, *out, *filter, *scripts;
	double threshold;
};

static int parse_opt(struct hist_args *a, int argc, char **argv, int *i)
{
	const struct {
		const char *name;
		const char **dst;
	} strs[] = {
		{ "--db", &a->db }, { "--out", &a->out }, { "--filter", &a->filter },
		{ "--scripts", &a->scripts },
	};
	const char *v;
	size_t k;
	int m;

	for (k = 0; k < ZB_ARRAY_SIZE(strs); k++) {
		m = cli_value(argc, argv, i, strs[k].name, strs[k].dst);
		if (m)
			return m < 0 ? m : 0;
	}
	m = cli_value(argc, argv, i, "--threshold", &v);
	if (m)
		return m < 0 ? m : cli_double("--threshold", v, 0, 1000, &a->threshold);
	zb_err("history: unknown option '%s' (zapbench history --help)", argv[*i]);
	return -EINVAL;
}

static int parse_args(struct hist_args *a, int argc, char **argv)
{
	int i, ret;

	a->db = ZB_HISTORY_DB_DEFAULT;
	a->threshold = 15;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			ret = parse_opt(a, argc, argv, &i);
			if (ret)
				return ret;
		} else if (!a->sub) {
			a->sub = argv[i];
		} else if (a->nr_args < MAX_ARGS) {
			a->arg[a->nr_args++] = argv[i];
		} else {
			zb_err("history: more than %d arguments", MAX_ARGS);
			return -E2BIG;
		}
	}
	if (!a->sub) {
		zb_err("history: which command? (import, list, show, dashboard)");
		return -EINVAL;
	}
	return 0;
}

static int open_db(struct zb_hdb *h, const struct hist_args *a, int create)
{
	int ret = zb_hdb_open(h, a->db, create);

	if (ret)
		zb_err("%s", h->err);
	return ret;
}

/*
 * Every file is loaded and checked before the database is touched, and
 * all are stored in one transaction: a bad file leaves the history as it
 * was.
 */
static int do_import(const struct hist_args *a)
{
	struct zb_jval *recs;
	char err[600];
	struct zb_hdb h;
	int i, ret = 0, loaded = 0, added = 0;

	if (!a->nr_args) {
		zb_err("history import: which files? (records of zapbench run --out)");
		return -EINVAL;
	}
	recs = calloc((size_t)a->nr_args, sizeof(*recs));
	if (!recs) {
		zb_err("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < a->nr_args && !ret; i++) {
		ret = zb_record_load(a->arg[i], &recs[i], err, sizeof(err));
		if (ret)
			zb_err("%s (nothing imported)", err);
		else
			loaded++;
	}
	if (ret)
		goto out;
	ret = open_db(&h, a, 1);
	if (ret)
		goto out;
	ret = zb_hdb_begin(&h);
	for (i = 0; !ret && i < a->nr_args; i++) {
		ret = zb_hdb_import(&h, &recs[i], a->arg[i]);
		if (ret >= 0) {
			printf("%s %s\n", ret ? "imported" : "already there:", a->arg[i]);
			added += ret;
			ret = 0;
		}
	}
	if (!ret)
		ret = zb_hdb_commit(&h);
	if (ret) {
		zb_hdb_rollback(&h);
		zb_err("%s (nothing imported)", h.err);
	} else {
		printf("%d new run%s in %s\n", added, added == 1 ? "" : "s", a->db);
	}
	zb_hdb_close(&h);
out:
	for (i = 0; i < loaded; i++)
		zb_jval_free(&recs[i]);
	free(recs);
	return ret;
}

static int do_list(const struct hist_args *a)
{
	struct zb_hrun *runs;
	struct zb_hdb h;
	int ret, n, i;

	if (a->nr_args) {
		zb_err("history list takes no arguments (got '%s')", a->arg[0]);
		return -EINVAL;
	}
	ret = open_db(&h, a, 0);
	if (ret)
		return ret;
	ret = zb_hdb_runs(&h, &runs, &n);
	if (ret) {
		zb_err("%s", h.err);
		goto out;
	}
	printf("%4s  %-20s  %-12s  %-20s  %-16s  %6s  %s\n", "run", "date (UTC)", "host",
	       "kernel", "commit", "points", "command");
	for (i = 0; i < n; i++)
		printf("%4ld  %-20s  %-12s  %-20s  %-16s  %6d  %s\n", runs[i].id, runs[i].date,
		       runs[i].host, runs[i].kernel, runs[i].commit, runs[i].nr_points,
		       runs[i].command);
	free(runs);
out:
	zb_hdb_close(&h);
	return ret;
}

static const char *trend_word(int trend)
{
	return trend > 0 ? "REGRESSED" : trend < 0 ? "improved" : "";
}

static int show_point(struct zb_hdb *h, const char *name, double thr)
{
	char med[32], lo[32], hi[32], ci[80], chg[16];
	struct zb_hval *v;
	int ret, n, i;

	ret = zb_hdb_series(h, name, &v, &n);
	if (ret) {
		zb_err("%s", h->err);
		return ret;
	}
	zb_hist_trend(v, n, thr);
	printf("%s\n  %4s  %-20s  %-16s  %9s  %-22s  %7s\n", name, "run", "date (UTC)",
	       "commit", "median", "95% CI", "change");
	for (i = 0; i < n; i++) {
		zb_fmt_ns(med, sizeof(med), v[i].median);
		zb_fmt_ns(lo, sizeof(lo), v[i].lo);
		zb_fmt_ns(hi, sizeof(hi), v[i].hi);
		snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		if (isfinite(v[i].change_pct))
			snprintf(chg, sizeof(chg), "%+.1f%%", v[i].change_pct);
		else
			snprintf(chg, sizeof(chg), "-");
		printf("  %4ld  %-20s  %-16s  %9s  %-22s  %7s  %s\n", v[i].run_id, v[i].date,
		       v[i].commit, med, ci, chg, trend_word(v[i].trend));
	}
	free(v);
	return 0;
}

static int do_show(const struct hist_args *a)
{
	struct zb_hdb h;
	char **names;
	int ret, n, i;

	if (a->nr_args != 1) {
		zb_err("history show takes one case or point name (got %d)", a->nr_args);
		return -EINVAL;
	}
	ret = open_db(&h, a, 0);
	if (ret)
		return ret;
	ret = zb_hdb_names(&h, a->arg[0], &names, &n);
	if (ret) {
		zb_err("%s", h.err);
		goto out;
	}
	if (!n) {
		zb_err("%s: no point or case named %s", a->db, a->arg[0]);
		ret = -ENOENT;
		goto out;
	}
	printf("change: against the median of the previous %d runs; marked beyond %g%% when "
	       "the CI excludes that median\n", ZB_HIST_BASELINE, a->threshold);
	for (i = 0; !ret && i < n; i++) {
		printf("\n");
		ret = show_point(&h, names[i], a->threshold);
	}
	zb_hdb_names_free(names, n);
out:
	zb_hdb_close(&h);
	return ret;
}

int cmd_history(int argc, char **argv)
{
	struct hist_args a;
	int ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return ZB_EXIT_OK;
	}
	memset(&a, 0, sizeof(a));
	ret = parse_args(&a, argc, argv);
	if (ret)
		return ZB_EXIT_USAGE;
	if (!strcmp(a.sub, "import")) {
		ret = do_import(&a);
	} else if (!strcmp(a.sub, "list")) {
		ret = do_list(&a);
	} else if (!strcmp(a.sub, "show")) {
		ret = do_show(&a);
	} else if (!strcmp(a.sub, "dashboard")) {
		if (a.nr_args) {
			zb_err("history dashboard takes no arguments (got '%s')", a.arg[0]);
			return ZB_EXIT_USAGE;
		}
		if (!a.out) {
			zb_err("history dashboard needs --out DIR");
			return ZB_EXIT_USAGE;
		}
		ret = history_dashboard(a.db, a.out, a.filter,
					a.scripts ? a.scripts : zb_plot_scripts_default(),
					a.threshold);
	} else {
		zb_err("history: unknown command '%s' (import, list, show, dashboard)", a.sub);
		ret = -EINVAL;
	}
	return ret ? ZB_EXIT_USAGE : ZB_EXIT_OK;
}
