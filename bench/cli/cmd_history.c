// SPDX-License-Identifier: GPL-2.0
/* zapbench history: runs in SQLite or PostgreSQL, a case over time, the dashboard. */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_plot.h"
#include "cli/opts.h"
#include "history/history_db.h"
#include "outpath.h"
#include "record/fmt.h"
#include "record/record_load.h"
#include "report/dashboard.h"
#include "report/plot.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench history COMMAND [options]\n\n"
	"  import FILE...        store runs (JSON of `zapbench run --out`); importing\n"
	"                        a run again changes nothing; all files or none\n"
	"  list                  the stored runs, oldest first, with their machine\n"
	"  show CASE             a case's (or one point's) median over the runs, per\n"
	"                        machine, each run against its own machine's earlier runs\n"
	"  dashboard --out DIR   DIR/index.html: a section per machine, its newest run\n"
	"                        against its newest earlier run of the same points, a\n"
	"                        history plot per case of its runs; the runs; static\n\n";

#define MAX_ARGS	1024

struct hist_args {
	const char *sub;
	const char *arg[MAX_ARGS];
	int nr_args;
	const char *db, *out, *filter, *scripts, *machine;
	double threshold;
};

static int parse_args(struct hist_args *a, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		CLI_HISTORY_OPTS(&a->db, &a->machine, &a->threshold, &a->scripts),
		CLI_STR("--out", 'o', "DIR", &a->out, "dashboard: where index.html goes"),
		CLI_STR("--filter", 'f', "REGEX", &a->filter, "dashboard: only the cases matching"),
		CLI_END
	};
	struct cli_words w = { .prog = "zapbench history", .first = &a->sub, .v = a->arg,
			       .n = &a->nr_args, .max = MAX_ARGS };
	struct cli_cmd cmd = { .prog = w.prog, .usage = usage, .opts = opts,
			       .tail = "list and show take --machine; dashboard shows every "
				       "machine apart.\nExit 2 on any error (one line on stderr).\n",
			       .arg = cli_words_add, .ctx = &w };
	int ret = cli_parse(&cmd, argc, argv);

	if (ret)
		return ret;
	if (!a->sub) {
		zb_err("history: which command? (import, list, show, dashboard)");
		return -EINVAL;
	}
	return 0;
}

static volatile sig_atomic_t import_stop;
static struct zb_hdb *volatile importing;

static void on_import_signal(int sig)
{
	(void)sig;
	import_stop = 1;
	if (importing)
		zb_hdb_interrupt(importing);
}

/*
 * ^C and SIGTERM: the transaction is rolled back (nothing imported) and
 * the exit is 130.  A kill -9 leaves SQLite's journal, which the next
 * open of the database rolls back: the import is all there or absent.
 */
static void catch_import_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_import_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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
	catch_import_signals();
	for (i = 0; i < a->nr_args && !ret && !import_stop; i++) {
		ret = zb_record_load(a->arg[i], &recs[i], err, sizeof(err));
		if (ret)
			zb_err("%s (nothing imported)", err);
		else
			loaded++;
	}
	if (!ret && import_stop)
		ret = -EINTR;
	if (ret)
		goto out;
	ret = open_db(&h, a, 1);
	if (ret)
		goto out;
	importing = &h;
	ret = zb_hdb_begin(&h);
	for (i = 0; !ret && i < a->nr_args && !import_stop; i++) {
		ret = zb_hdb_import(&h, &recs[i], a->arg[i]);
		if (ret >= 0) {
			printf("%s %s\n", ret ? "imported" : "already there:", a->arg[i]);
			added += ret;
			ret = 0;
		}
	}
	/* a signal during COMMIT: stored if it said so, else rolled back */
	if (!ret && !import_stop)
		ret = zb_hdb_commit(&h) ?: 1;
	importing = NULL;
	if (ret == 1) {
		ret = 0;
		printf("%d new run%s in %s\n", added, added == 1 ? "" : "s", h.path);
	} else if (import_stop) {
		zb_hdb_rollback(&h);
		ret = -EINTR;
	} else {
		zb_hdb_rollback(&h);
		zb_err("%s (nothing imported)", h.err);
	}
	zb_hdb_close(&h);
out:
	if (ret == -EINTR)
		zb_err("history import: interrupted (nothing imported)");
	for (i = 0; i < loaded; i++)
		zb_jval_free(&recs[i]);
	free(recs);
	return ret;
}

/* @s in @width columns: cut short with a '~' when longer. */
static const char *clip(char *buf, size_t len, const char *s, size_t width)
{
	if (strlen(s) <= width || width < 2 || width >= len)
		return s;
	snprintf(buf, len, "%.*s~", (int)width - 1, s);
	return buf;
}

/*
 * The runs and their machines, and which one --machine names (-1: all).
 * Says why on failure.
 */
static int load_machines(struct zb_hdb *h, const struct hist_args *a, struct zb_hrun **runs,
			 int *n, struct zb_hmachine **m, int *nm, int *pick)
{
	int ret;

	*m = NULL;
	*nm = 0;
	*pick = -1;
	ret = zb_hdb_runs(h, runs, n);
	if (ret) {
		zb_err("%s", h->err);
		return ret;
	}
	ret = zb_hdb_machines(*runs, *n, m, nm);
	if (ret) {
		zb_err("out of memory");
	} else if (a->machine) {
		ret = zb_hdb_machine_find(h, *m, *nm, a->machine);
		if (ret < 0)
			zb_err("%s", h->err);
		else
			*pick = ret;
	}
	if (ret < 0) {
		free(*runs);
		free(*m);
		*runs = NULL;
		*m = NULL;
		return ret;
	}
	return 0;
}

/*
 * 120 columns: the command, last, gets what the others leave (the
 * dashboard's runs table has it whole).
 */
static int do_list(const struct hist_args *a)
{
	char mid[16], brief[31], kern[40], com[40], cmd[40];
	struct zb_hmachine *m;
	struct zb_hrun *runs;
	struct zb_hdb h;
	int ret, n, nm, pick, i;

	if (a->nr_args) {
		zb_err("history list takes no arguments (got '%s')", a->arg[0]);
		return -EINVAL;
	}
	ret = open_db(&h, a, 0);
	if (ret)
		return ret;
	ret = load_machines(&h, a, &runs, &n, &m, &nm, &pick);
	if (ret)
		goto out;
	printf("%4s  %-20s  %-8s  %-30s  %-16s  %-13s  %6s  %s\n", "run", "date (UTC)",
	       "machine", "cpu, hypervisor", "kernel", "commit", "points", "command");
	for (i = 0; i < n; i++) {
		const struct zb_hrun *r = &runs[i];

		if (pick >= 0 && strcmp(r->machine_id, m[pick].id))
			continue;
		zb_hmachine_short(r->machine_id, mid, sizeof(mid));
		zb_hrun_brief(r, brief, sizeof(brief));
		printf("%4ld  %-20s  %-8s  %-30s  %-16s  %-13s  %6d  %s\n", r->id, r->date, mid,
		       brief, clip(kern, sizeof(kern), r->kernel, 16),
		       clip(com, sizeof(com), r->commit, 13), r->nr_points,
		       clip(cmd, sizeof(cmd), r->command, 9));
	}
	if (pick < 0 && nm > 1)
		printf("%d machines: zapbench history show compares each only with itself\n", nm);
	free(runs);
	free(m);
out:
	zb_hdb_close(&h);
	return ret;
}

static const char *trend_word(int trend)
{
	return trend > 0 ? "REGRESSED" : trend < 0 ? "improved" : "";
}

/* Point @name's values of machine @id, if it has any. */
static void show_point(const char *name, const struct zb_hval *v, int n, const char *id)
{
	char med[32], lo[32], hi[32], ci[80], chg[16];
	int i, shown = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].machine_id, id))
			continue;
		if (!shown++)
			printf("\n  %s\n    %4s  %-20s  %-16s  %9s  %-22s  %7s\n", name, "run",
			       "date (UTC)", "commit", "median", "95% CI", "change");
		zb_fmt_ns(med, sizeof(med), v[i].median);
		zb_fmt_ns(lo, sizeof(lo), v[i].lo);
		zb_fmt_ns(hi, sizeof(hi), v[i].hi);
		snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
		if (isfinite(v[i].change_pct))
			snprintf(chg, sizeof(chg), "%+.1f%%", v[i].change_pct);
		else
			snprintf(chg, sizeof(chg), "-");
		printf("    %4ld  %-20s  %-16s  %9s  %-22s  %7s%s%s%s\n", v[i].run_id, v[i].date,
		       v[i].commit, med, ci, chg, v[i].trend ? "  " : "", trend_word(v[i].trend),
		       shown == 1 && i ? "  new series: the runs before were another machine's" :
		       "");
	}
}

struct show {
	char **names;
	int nr_names;
	struct zb_hval **v;		/* per name, every machine's values */
	int *n;
	struct zb_hrun *runs;
	int nr_runs;
	struct zb_hmachine *m;
	int nm, pick;
};

static void show_free(struct show *s)
{
	int i;

	for (i = 0; s->v && i < s->nr_names; i++)
		free(s->v[i]);
	free(s->v);
	free(s->n);
	zb_hdb_names_free(s->names, s->nr_names);
	free(s->runs);
	free(s->m);
}

/* 1 if machine @k has a value of any of the points. */
static int machine_has(const struct show *s, int k)
{
	int p, j;

	for (p = 0; p < s->nr_names; p++)
		for (j = 0; j < s->n[p]; j++)
			if (!strcmp(s->v[p][j].machine_id, s->m[k].id))
				return 1;
	return 0;
}

static int load_show(struct zb_hdb *h, const struct hist_args *a, struct show *s)
{
	int ret, i;

	ret = zb_hdb_names(h, a->arg[0], &s->names, &s->nr_names);
	if (ret) {
		zb_err("%s", h->err);
		return ret;
	}
	if (!s->nr_names) {
		zb_err("%s: no point or case named %s", h->path, a->arg[0]);
		return -ENOENT;
	}
	ret = load_machines(h, a, &s->runs, &s->nr_runs, &s->m, &s->nm, &s->pick);
	if (ret)
		return ret;
	s->v = calloc((size_t)s->nr_names, sizeof(*s->v));
	s->n = calloc((size_t)s->nr_names, sizeof(*s->n));
	if (!s->v || !s->n) {
		zb_err("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < s->nr_names; i++) {
		ret = zb_hdb_series(h, s->names[i], &s->v[i], &s->n[i]);
		if (ret) {
			zb_err("%s", h->err);
			return ret;
		}
		/* Per machine: each value against its own machine's earlier runs. */
		zb_hist_trend(s->v[i], s->n[i], a->threshold);
	}
	return 0;
}

static int do_show(const struct hist_args *a)
{
	struct show s = { 0 };
	char mid[16];
	struct zb_hdb h;
	int ret, i, k, nr = 0;

	if (a->nr_args != 1) {
		zb_err("history show takes one case or point name (got %d)", a->nr_args);
		return -EINVAL;
	}
	ret = open_db(&h, a, 0);
	if (ret)
		return ret;
	ret = load_show(&h, a, &s);
	if (ret)
		goto out;
	for (k = 0; k < s.nm; k++)
		nr += (s.pick < 0 || k == s.pick) && machine_has(&s, k);
	/* Only --machine can leave none: every point is some machine's. */
	if (!nr) {
		zb_hmachine_short(s.pick >= 0 ? s.m[s.pick].id : "", mid, sizeof(mid));
		zb_err("%s: machine %s has no runs of %s", h.path, mid, a->arg[0]);
		ret = -ENOENT;
		goto out;
	}
	printf("change: against the median of the same machine's previous %d runs; marked "
	       "beyond %g%% when the CI excludes that median\n", ZB_HIST_BASELINE, a->threshold);
	if (nr > 1)
		printf("%d machines: each compared only with itself\n", nr);
	for (k = 0; k < s.nm; k++) {
		if ((s.pick >= 0 && k != s.pick) || !machine_has(&s, k))
			continue;
		zb_hmachine_short(s.m[k].id, mid, sizeof(mid));
		printf("\nmachine %s: %s\n", mid, s.m[k].name);
		for (i = 0; i < s.nr_names; i++)
			show_point(s.names[i], s.v[i], s.n[i], s.m[k].id);
	}
out:
	show_free(&s);
	zb_hdb_close(&h);
	return ret;
}

int cmd_history(int argc, char **argv)
{
	struct hist_args a;
	int ret, lock = -1;

	memset(&a, 0, sizeof(a));
	a.db = cli_history_db();
	a.threshold = 15;
	ret = parse_args(&a, argc, argv);
	if (ret)
		return cli_exit(ret);
	/* The dashboard shows every machine, each apart; import stores any. */
	if (a.machine && (!strcmp(a.sub, "import") || !strcmp(a.sub, "dashboard"))) {
		zb_err("history %s: --machine is for list and show", a.sub);
		return ZB_EXIT_USAGE;
	}
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
		/* before the database is read: an --out that cannot take the page */
		if (cli_out("--out", a.out, CLI_OUT_DIR | CLI_OUT_LOCK, &lock))
			return ZB_EXIT_USAGE;
		ret = history_dashboard(a.db, a.out, a.filter,
					a.scripts ? a.scripts : zb_plot_scripts_default(),
					a.threshold);
		zb_outdir_unlock(a.out, lock);
	} else {
		zb_err("history: unknown command '%s' (import, list, show, dashboard)", a.sub);
		ret = -EINVAL;
	}
	if (ret == -EINTR)
		return ZB_EXIT_SIGINT;
	return ret ? ZB_EXIT_USAGE : ZB_EXIT_OK;
}
