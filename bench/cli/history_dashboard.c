// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench history dashboard: a section per machine, the newest run's
 * machine first, each with its latest comparison and a history plot per
 * case, then every run; one HTML file.  Nothing is judged across
 * machines: a machine's newest run is compared with the newest earlier
 * run of the same machine and suite (point set), and its plots draw its
 * runs only.  Another machine's run is never a base: the difference would
 * be the machines'.
 */
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_plot.h"
#include "history/history_db.h"
#include "record/record_points.h"
#include "report/dashboard.h"
#include "report/plot_history.h"
#include "util.h"

struct mach_state {
	struct zb_dash_table table;
	struct zb_dash_plot *plots;
	int nr_plots;
	struct zb_jval ctx;
	char note[512];
};

struct dash_state {
	struct zb_hdb h;
	struct zb_hrun *runs;
	int nr_runs;
	uint64_t *suites;		/* per run: zb_hdb_suites() */
	char **cases;
	int nr_cases;
	struct zb_hmachine *m;
	int nm;
	struct zb_dash_machine *dm;	/* per section, newest machine first */
	struct mach_state *ms;
	regex_t re;
	const char *filter;
};

static int run_index(const struct dash_state *s, long id)
{
	return zb_hrun_index(s->runs, s->nr_runs, id);
}

/* The machines, newest run's first: sort by their newest run, descending. */
static void order_machines(struct dash_state *s)
{
	struct zb_hmachine t;
	int i, k;

	for (i = 1; i < s->nm; i++)
		for (k = i; k > 0 && run_index(s, s->m[k].newest) >
				     run_index(s, s->m[k - 1].newest); k--) {
			t = s->m[k];
			s->m[k] = s->m[k - 1];
			s->m[k - 1] = t;
		}
}

/* The heading: what tells this machine from the others, from its newest run. */
static void heading(struct zb_dash_machine *d, const struct zb_hmachine *m,
		    const struct zb_hrun *r)
{
	const char *hv = zb_hypervisor_name(r->hypervisor);

	zb_hmachine_short(m->id, d->anchor, sizeof(d->anchor));
	snprintf(d->heading, sizeof(d->heading), "%s: %.290s", d->anchor, m->name);
	snprintf(d->facts, sizeof(d->facts), "CPU %.120s, %d CPU%s, %s, kernel %.120s%s",
		 r->cpu_model[0] ? r->cpu_model : "unknown", r->num_cpus,
		 r->num_cpus == 1 ? "" : "s", hv, r->kernel[0] ? r->kernel : "unknown",
		 !strcmp(hv, "QEMU TCG") ? " (an emulated CPU: compare ratios, not absolute "
		 "times)" : "");
}

/*
 * Its newest run against the newest earlier one of the same suite:
 * compare's verdicts when both records can still be read; else only the
 * medians the history kept, which the table then says.
 */
static int comparison(struct dash_state *s, const struct zb_hmachine *m, struct mach_state *ms,
		      double thr)
{
	int i = run_index(s, m->newest), b, ret = -ENOENT;
	const struct zb_hrun *new_ = &s->runs[i], *base;

	b = zb_hrun_base(s->runs, s->suites, i);
	base = b >= 0 ? &s->runs[b] : NULL;
	if (base)
		ret = zb_dash_table_compare(base, new_, thr, &ms->table);
	if (ret)
		ret = zb_dash_table_history(&s->h, base, new_, thr, &ms->table);
	if (ret) {
		zb_err("%s", s->h.err[0] ? s->h.err : strerror(-ret));
		return ret;
	}
	snprintf(ms->table.machine, sizeof(ms->table.machine), "%.16s, %.280s",
		 s->dm[m - s->m].anchor, m->name);
	if (!base && m->nr_runs > 1)
		snprintf(ms->table.why, sizeof(ms->table.why), "this machine's %d earlier run%s "
			 "measured other points (another suite); a run is compared only with one of "
			 "the same points", m->nr_runs - 1, m->nr_runs == 2 ? "" : "s");
	return 0;
}

static int history_plots(struct dash_state *s, const struct zb_hmachine *m,
			 struct mach_state *ms, const char *out, const char *scripts, double thr)
{
	char dir[3800], name[256], mid[16];
	struct zb_plot p = { .out_dir = dir, .scripts_dir = scripts,
			     .formats = ZB_PLOT_SVG, .quiet = 1 };
	int ret = 0, i, absent = 0, len;

	/* Each machine's plots apart: they share their names. */
	zb_hmachine_short(m->id, mid, sizeof(mid));
	snprintf(dir, sizeof(dir), "%s/%s", out, mid);
	ms->plots = calloc((size_t)s->nr_cases + 1, sizeof(*ms->plots));
	if (!ms->plots) {
		zb_err("out of memory");
		return -ENOMEM;
	}
	/* One gnuplot for all of them: a start per case was most of the page's time. */
	ret = zb_plot_batch_begin(&p);
	for (i = 0; !ret && i < s->nr_cases; i++) {
		struct zb_dash_plot *dp = &ms->plots[ms->nr_plots];

		if (s->filter && regexec(&s->re, s->cases[i], 0, NULL, 0))
			continue;
		ret = zb_plot_history(&p, &s->h, s->cases[i], m->id, thr, name, sizeof(name));
		/* A case only other machines ran: nothing of this machine to draw. */
		if (ret == -ENOENT) {
			absent++;
			ret = 0;
			continue;
		}
		if (ret)
			break;
		snprintf(dp->title, sizeof(dp->title), "%s", s->cases[i]);
		snprintf(dp->svg, sizeof(dp->svg), "%s/%s.svg", dir, name);
		ms->nr_plots++;
	}
	if (ret)
		zb_plot_batch_abort(&p);
	else
		ret = zb_plot_batch_end(&p);
	if (ret) {
		zb_err("%s", p.err[0] ? p.err : strerror(-ret));
		return ret;
	}
	len = snprintf(ms->note, sizeof(ms->note), "The runs of machine %s (%.200s) only, each "
		       "compared with that machine's earlier runs.", mid, m->brief);
	if (absent && len > 0 && (size_t)len < sizeof(ms->note))
		snprintf(ms->note + len, sizeof(ms->note) - (size_t)len, " %d case%s without a "
			 "run on it not shown.", absent, absent == 1 ? "" : "s");
	return 0;
}

static int newest_context(struct dash_state *s, long id, struct zb_jval *ctx)
{
	char *json, err[160];
	int ret;

	ret = zb_hdb_context(&s->h, id, &json);
	if (ret) {
		zb_err("%s", s->h.err);
		return ret;
	}
	ret = zb_json_parse(json, strlen(json), ctx, err, sizeof(err));
	if (ret)
		zb_err("%s: run %ld: stored context is not JSON: %s", s->h.path, id, err);
	free(json);
	return ret;
}

static int load(struct dash_state *s, const char *db)
{
	int ret;

	ret = zb_hdb_open(&s->h, db, 0);
	if (ret) {
		zb_err("%s", s->h.err);
		return ret;
	}
	ret = zb_hdb_runs(&s->h, &s->runs, &s->nr_runs);
	if (!ret)
		ret = zb_hdb_cases(&s->h, &s->cases, &s->nr_cases);
	if (ret) {
		zb_err("%s", s->h.err);
		return ret;
	}
	if (!s->nr_runs) {
		zb_err("%s: no runs yet (zapbench history import FILE...)", s->h.path);
		return -ENOENT;
	}
	s->suites = calloc((size_t)s->nr_runs, sizeof(*s->suites));
	ret = s->suites ? zb_hdb_machines(s->runs, s->nr_runs, &s->m, &s->nm) : -ENOMEM;
	if (!ret) {
		s->dm = calloc((size_t)s->nm, sizeof(*s->dm));
		s->ms = calloc((size_t)s->nm, sizeof(*s->ms));
		ret = s->dm && s->ms ? 0 : -ENOMEM;
	}
	if (ret) {
		zb_err("out of memory");
		return ret;
	}
	ret = zb_hdb_suites(&s->h, s->runs, s->nr_runs, s->suites);
	if (ret)
		zb_err("%s", s->h.err);
	order_machines(s);
	return ret;
}

static int one_machine(struct dash_state *s, int k, const char *out, const char *scripts,
		       double thr)
{
	const struct zb_hmachine *m = &s->m[k];
	struct zb_dash_machine *d = &s->dm[k];
	struct mach_state *ms = &s->ms[k];
	int ret;

	heading(d, m, &s->runs[run_index(s, m->newest)]);
	ret = comparison(s, m, ms, thr);
	if (!ret)
		ret = history_plots(s, m, ms, out, scripts, thr);
	if (!ret)
		ret = newest_context(s, m->newest, &ms->ctx);
	d->table = &ms->table;
	d->plots = ms->plots;
	d->nr_plots = ms->nr_plots;
	d->plots_note = ms->note;
	d->context = &ms->ctx;
	return ret;
}

int history_dashboard(const char *db, const char *out, const char *filter,
		      const char *scripts, double threshold_pct)
{
	struct dash_state s;
	char err[600];
	struct zb_dash d;
	int ret, k;

	memset(&s, 0, sizeof(s));
	if (filter) {
		ret = regcomp(&s.re, filter, REG_EXTENDED | REG_NOSUB);
		if (ret) {
			regerror(ret, &s.re, err, sizeof(err));
			zb_err("--filter '%s': %s", filter, err);
			return -EINVAL;
		}
		s.filter = filter;
	}
	ret = load(&s, db);
	for (k = 0; !ret && k < s.nm; k++)
		ret = one_machine(&s, k, out, scripts, threshold_pct);
	if (ret)
		goto out;
	d = (struct zb_dash){
		.title = "zapbench: revoke, fault and open latency over time",
		.machines = s.dm, .nr_machines = s.nm, .runs = s.runs, .nr_runs = s.nr_runs,
	};
	ret = zb_dash_write(out, &d, err, sizeof(err));
	if (ret)
		zb_err("%s", err);
	else
		printf("%s/index.html\n", out);
out:
	for (k = 0; s.ms && k < s.nm; k++) {
		zb_dash_table_free(&s.ms[k].table);
		zb_jval_free(&s.ms[k].ctx);
		free(s.ms[k].plots);
	}
	if (s.filter)
		regfree(&s.re);
	zb_hdb_names_free(s.cases, s.nr_cases);
	free(s.ms);
	free(s.dm);
	free(s.m);
	free(s.suites);
	free(s.runs);
	zb_hdb_close(&s.h);
	return ret;
}
