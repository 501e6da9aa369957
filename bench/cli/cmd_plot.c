// SPDX-License-Identifier: GPL-2.0
/* zapbench plot: figures from result records (and the history database). */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_plot.h"
#include "cli/opts.h"
#include "record/record_load.h"
#include "record/record_points.h"
#include "report/plot.h"
#include "report/plot_history.h"
#include "util.h"

#define MAX_RECORDS	2

/* What `plot all` draws CDFs of when no --case is given: one point per family. */
#define CDF_DEFAULT	"^(revoke/ftruncate/maps:1000/populate:yes" \
			"|fault/touch/kind:shared/cpus:1/mode:process" \
			"|open/close/target:tmpfs/paths:same/cpus:1/mode:process)$"

static const char usage[] =
	"usage: zapbench plot KIND [options] RECORD...\n\n"
	"  maps RECORD           revoke latency vs mappings, log-log, cost per mapping fitted\n"
	"  cpus RECORD           fault, open and barrier latency vs CPUs\n"
	"  cdf BEFORE AFTER      latency CDFs of the points matching --case REGEX\n"
	"  bars RECORD --by P    one bar per value of parameter P, clustered by the rest\n"
	"                        (--case PREFIX: only those cases, e.g. revoke/peers)\n"
	"  history CASE          a case's (or point's) median over the runs in --db of\n"
	"                        one machine (--machine; default the newest run's)\n"
	"  all RECORD [BEFORE]   maps (also with peers), cpus, bars by peer and by target,\n"
	"                        and CDFs against BEFORE of --case (default: one point per\n"
	"                        family)\n"
	"\n";

static const char tail[] =
	"--db, --machine and --threshold are for history.  Records are the JSON of\n"
	"`zapbench run --out`.  Each image is printed once drawn.  Needs gnuplot\n"
	"(Debian gnuplot-nox).  Exit 2 on any error.\n";

struct plot_args {
	const char *kind;
	const char *files[MAX_RECORDS];
	int nr_files;
	const char *by, *cas, *db, *machine;
	double threshold;
	struct zb_plot p;
	struct zb_jval rec[MAX_RECORDS];
	int loaded;
};

static int parse_format(void *ctx, const struct cli_opt *o, const char *s)
{
	unsigned int *f = ctx;

	if (!strcmp(s, "png")) {
		*f = ZB_PLOT_PNG;
	} else if (!strcmp(s, "svg")) {
		*f = ZB_PLOT_SVG;
	} else if (!strcmp(s, "png,svg") || !strcmp(s, "svg,png")) {
		*f = ZB_PLOT_PNG | ZB_PLOT_SVG;
	} else {
		zb_err("%s: '%s' is not png, svg or png,svg", o->name, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_args(struct plot_args *a, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		CLI_STR("--out", 'o', "DIR", &a->p.out_dir, "images go there (default "
			"build/plots), data in DIR/data"),
		CLI_FN("--format", 0, "png|svg|png,svg", parse_format, &a->p.formats,
		       "(default png)"),
		CLI_STR("--case", 'c', "REGEX", &a->cas, "cdf, all: the points; bars: a prefix"),
		CLI_STR("--by", 'b', "PARAM", &a->by, "bars: one bar per value of PARAM"),
		CLI_HISTORY_OPTS(&a->db, &a->machine, &a->threshold, &a->p.scripts_dir),
		CLI_END
	};
	struct cli_words w = { .prog = "zapbench plot", .first = &a->kind, .v = a->files,
			       .n = &a->nr_files, .max = MAX_RECORDS };
	struct cli_cmd cmd = { .prog = w.prog, .usage = usage, .opts = opts, .tail = tail,
			       .arg = cli_words_add, .ctx = &w };
	int ret;

	a->p.out_dir = "build/plots";
	a->p.formats = ZB_PLOT_PNG;
	a->db = cli_history_db();
	a->threshold = 15;
	ret = cli_parse(&cmd, argc, argv);
	if (ret)
		return ret;
	if (!a->kind) {
		zb_err("plot: which kind? (maps, cpus, cdf, bars, history, all; "
		       "zapbench plot --help)");
		return -EINVAL;
	}
	if (!a->p.scripts_dir)
		a->p.scripts_dir = zb_plot_scripts_default();
	return 0;
}

/* Exactly @min..@max records, loaded (and refused unless ours). */
static int load(struct plot_args *a, int min, int max)
{
	char err[600];
	int i, ret;

	if (a->nr_files < min || a->nr_files > max) {
		zb_err("plot %s takes %s record%s (got %d)", a->kind,
		       min == max ? (min == 1 ? "one" : "two") : "one or two",
		       max > 1 ? "s" : "", a->nr_files);
		return -EINVAL;
	}
	for (i = 0; i < a->nr_files; i++) {
		ret = zb_record_load(a->files[i], &a->rec[i], err, sizeof(err));
		if (ret) {
			zb_err("%s", err);
			return ret;
		}
		a->loaded = i + 1;
	}
	return 0;
}

/* "before (2026-11-24T19:02:07Z, 85df762)" */
static void side_label(char *buf, size_t len, const char *side, const struct zb_jval *rec)
{
	const struct zb_jval *ctx = zb_jobj_get(rec, "context");
	const char *d = zb_jobj_str(ctx, "date"), *c = zb_jobj_str(ctx, "git_commit");

	snprintf(buf, len, "%s (%s, %s)", side, d ? d : "?", c ? c : "?");
}

static int plot_cdfs(struct plot_args *a, const struct zb_jval *before,
		     const struct zb_jval *after, const char *pattern)
{
	char lb[128], la[128], why[128];
	struct zb_rpoints pts;
	int ret, i, done = 0;
	regex_t re;

	ret = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, &re, why, sizeof(why));
		zb_err("--case '%s': %s", pattern, why);
		return -EINVAL;
	}
	ret = zb_rpoints_get(after, &pts);
	side_label(lb, sizeof(lb), "before", before);
	side_label(la, sizeof(la), "after", after);
	for (i = 0; !ret && i < pts.n; i++) {
		if (regexec(&re, pts.p[i].name, 0, NULL, 0))
			continue;
		ret = zb_plot_cdf(&a->p, before, lb, after, la, pts.p[i].name);
		/* A point the before record lacks is no error: there is nothing to compare. */
		if (ret == -ENOENT) {
			zb_warn("%s", a->p.err);
			ret = 0;
			continue;
		}
		done += !ret;
	}
	if (!ret && !done) {
		snprintf(a->p.err, sizeof(a->p.err), "cdf: no point matching '%s' in both records",
			 pattern);
		ret = -ENOENT;
	}
	zb_rpoints_free(&pts);
	regfree(&re);
	return ret;
}

static int plot_history(struct plot_args *a)
{
	struct zb_hdb h;
	char name[256];
	int ret;

	if (a->nr_files != 1) {
		zb_err("plot history takes one case or point name (got %d)", a->nr_files);
		return -EINVAL;
	}
	ret = zb_hdb_open(&h, a->db, 0);
	if (ret) {
		zb_err("%s", h.err);
		return ret;
	}
	ret = zb_plot_history(&a->p, &h, a->files[0], a->machine, a->threshold, name,
			      sizeof(name));
	zb_hdb_close(&h);
	return ret;
}

/*
 * One figure's outcome: drawn (counted in @done), nothing to draw for it
 * (-ENOENT: a warning, 0), or a failure to draw (returned).
 */
static int tally(struct plot_args *a, int ret, int *done)
{
	if (ret && ret != -ENOENT)
		return ret;
	if (ret)
		zb_warn("skipped: %s", a->p.err);
	*done += !ret;
	return 0;
}

/*
 * Everything that applies to the record.  A kind the record has no
 * points for is skipped with a warning; a failure to draw is an error.
 */
static int plot_all(struct plot_args *a)
{
	static const struct {
		const char *prefix, *by;
	} bars[] = { { "revoke/peers", "peer" }, { "open/", "target" } };
	const struct zb_scaling *scal[] = { &zb_plot_maps, &zb_plot_peers_maps,
					    &zb_plot_cpus_fault, &zb_plot_cpus_open,
					    &zb_plot_cpus_consume, &zb_plot_cpus_publish,
					    &zb_plot_kmod_maps, &zb_plot_kmod_barrier };
	int ret, done = 0;
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(scal); i++) {
		ret = tally(a, zb_plot_scaling(&a->p, &a->rec[0], scal[i]), &done);
		if (ret)
			return ret;
	}
	for (i = 0; i < ZB_ARRAY_SIZE(bars); i++) {
		ret = tally(a, zb_plot_bars(&a->p, &a->rec[0], bars[i].prefix, bars[i].by),
			    &done);
		if (ret)
			return ret;
	}
	if (a->nr_files == 2) {
		ret = tally(a, plot_cdfs(a, &a->rec[1], &a->rec[0], a->cas ? a->cas : CDF_DEFAULT),
			    &done);
		if (ret)
			return ret;
	}
	if (!done) {
		snprintf(a->p.err, sizeof(a->p.err), "%s: nothing to plot", a->files[0]);
		return -ENOENT;
	}
	return 0;
}

static const struct zb_scaling *const cpus_figs[] = {
	&zb_plot_cpus_fault, &zb_plot_cpus_open, &zb_plot_cpus_consume, &zb_plot_cpus_publish,
};

/* Every family that varies in cpus; one missing is a warning, all an error. */
static int plot_cpus(struct plot_args *a)
{
	int ret, done = 0;
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(cpus_figs); i++) {
		ret = tally(a, zb_plot_scaling(&a->p, &a->rec[0], cpus_figs[i]), &done);
		if (ret)
			return ret;
	}
	return done ? 0 : -ENOENT;
}

static int dispatch(struct plot_args *a)
{
	const char *k = a->kind;

	if (!strcmp(k, "history"))
		return plot_history(a);
	if (!strcmp(k, "all"))
		return load(a, 1, 2) ?: plot_all(a);
	if (!strcmp(k, "maps"))
		return load(a, 1, 1) ?: zb_plot_scaling(&a->p, &a->rec[0], &zb_plot_maps);
	if (!strcmp(k, "cpus"))
		return load(a, 1, 1) ?: plot_cpus(a);
	if (!strcmp(k, "cdf")) {
		if (!a->cas) {
			zb_err("plot cdf needs --case REGEX (the points to draw)");
			return -EINVAL;
		}
		return load(a, 2, 2) ?: plot_cdfs(a, &a->rec[0], &a->rec[1], a->cas);
	}
	if (!strcmp(k, "bars")) {
		if (!a->by) {
			zb_err("plot bars needs --by PARAM (e.g. --by peer)");
			return -EINVAL;
		}
		return load(a, 1, 1) ?: zb_plot_bars(&a->p, &a->rec[0], a->cas ? a->cas : "",
						     a->by);
	}
	zb_err("plot: unknown kind '%s' (maps, cpus, cdf, bars, history, all)", k);
	return -EINVAL;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_args a;
	int ret, i;

	memset(&a, 0, sizeof(a));
	ret = parse_args(&a, argc, argv);
	if (ret)
		return cli_exit(ret);
	/* before any record is read: an --out that cannot take the figures */
	if (cli_out("--out", a.p.out_dir, CLI_OUT_DIR, NULL))
		return ZB_EXIT_USAGE;
	/* Every figure by one gnuplot: zb_plot_batch_begin() */
	ret = zb_plot_batch_begin(&a.p);
	if (!ret)
		ret = dispatch(&a);
	if (ret)
		zb_plot_batch_abort(&a.p);
	else
		ret = zb_plot_batch_end(&a.p);
	/* Errors already said carry no text in p.err; the figure code's do. */
	if (ret && a.p.err[0])
		zb_err("%s", a.p.err);
	else if (ret == -ENOMEM)
		zb_err("out of memory");
	for (i = 0; i < a.loaded; i++)
		zb_jval_free(&a.rec[i]);
	return ret ? ZB_EXIT_USAGE : ZB_EXIT_OK;
}
