// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench history dashboard: a history plot per case (SVG, inlined),
 * the comparison table and the newest run's machine, as one HTML file.
 * Everything judged is of one machine, the newest run's: its newest two
 * runs are the comparison, its runs the plots.  Another machine's run is
 * never a base: the difference would be the machines'.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_plot.h"
#include "history/history_db.h"
#include "report/dashboard.h"
#include "report/plot_history.h"
#include "util.h"

struct dash_state {
	struct zb_hdb h;
	struct zb_hrun *runs;
	int nr_runs;
	char **cases;
	int nr_cases;
	struct zb_dash_plot *plots;
	int nr_plots;
	struct zb_dash_table table;
	struct zb_jval ctx;
	struct zb_hmachine *m;
	int nm, pick;			/* the newest run's machine */
	const struct zb_hrun *base, *new_;	/* its newest two runs; base NULL: one */
	char note[512];
};

/* The newest run's machine and its newest two runs. */
static int pick_runs(struct dash_state *s)
{
	const struct zb_hrun *last = &s->runs[s->nr_runs - 1];
	int i, ret;

	ret = zb_hdb_machines(s->runs, s->nr_runs, &s->m, &s->nm);
	if (ret) {
		zb_err("out of memory");
		return ret;
	}
	for (i = 0; i < s->nm; i++)
		if (!strcmp(s->m[i].id, last->machine_id))
			s->pick = i;
	s->new_ = last;
	for (i = s->nr_runs - 2; i >= 0 && !s->base; i--)
		if (!strcmp(s->runs[i].machine_id, last->machine_id))
			s->base = &s->runs[i];
	return 0;
}

static int history_plots(struct dash_state *s, const char *out, const char *filter,
			 const char *scripts, double thr)
{
	struct zb_plot p = { .out_dir = out, .scripts_dir = scripts,
			     .formats = ZB_PLOT_SVG, .quiet = 1 };
	const struct zb_hmachine *m = &s->m[s->pick];
	char why[128], name[256], mid[16];
	int ret, i, absent = 0, len;
	regex_t re;

	if (filter) {
		ret = regcomp(&re, filter, REG_EXTENDED | REG_NOSUB);
		if (ret) {
			regerror(ret, &re, why, sizeof(why));
			zb_err("--filter '%s': %s", filter, why);
			return -EINVAL;
		}
	}
	s->plots = calloc((size_t)s->nr_cases + 1, sizeof(*s->plots));
	ret = s->plots ? 0 : -ENOMEM;
	for (i = 0; !ret && i < s->nr_cases; i++) {
		struct zb_dash_plot *dp = &s->plots[s->nr_plots];

		if (filter && regexec(&re, s->cases[i], 0, NULL, 0))
			continue;
		ret = zb_plot_history(&p, &s->h, s->cases[i], m->id, thr, name, sizeof(name));
		/* A case only other machines ran: nothing of this machine to draw. */
		if (ret == -ENOENT) {
			absent++;
			ret = 0;
			continue;
		}
		if (ret) {
			zb_err("%s", p.err[0] ? p.err : strerror(-ret));
			break;
		}
		snprintf(dp->title, sizeof(dp->title), "%s", s->cases[i]);
		snprintf(dp->svg, sizeof(dp->svg), "%s/%s.svg", out, name);
		s->nr_plots++;
	}
	if (ret == -ENOMEM)
		zb_err("out of memory");
	if (filter)
		regfree(&re);
	/* One series per plot, of one machine: say which, and what is left out. */
	zb_hmachine_short(m->id, mid, sizeof(mid));
	len = snprintf(s->note, sizeof(s->note), "The runs of machine %s (%.200s), the newest "
		       "run's, each compared with that machine's earlier runs only.", mid,
		       m->brief);
	if (s->nm > 1 && len > 0 && (size_t)len < sizeof(s->note))
		len += snprintf(s->note + len, sizeof(s->note) - (size_t)len, " %d other "
				"machine%s not drawn: zapbench plot history --machine ID CASE.",
				s->nm - 1, s->nm == 2 ? "" : "s");
	if (absent && len > 0 && (size_t)len < sizeof(s->note))
		snprintf(s->note + len, sizeof(s->note) - (size_t)len, " %d case%s without a run "
			 "on it not shown.", absent, absent == 1 ? "" : "s");
	return ret;
}

static int newest_context(struct dash_state *s)
{
	char *json, err[160];
	int ret;

	ret = zb_hdb_context(&s->h, s->runs[s->nr_runs - 1].id, &json);
	if (ret) {
		zb_err("%s", s->h.err);
		return ret;
	}
	ret = zb_json_parse(json, strlen(json), &s->ctx, err, sizeof(err));
	if (ret)
		zb_err("%s: run %ld: stored context is not JSON: %s", s->h.path,
		       s->runs[s->nr_runs - 1].id, err);
	free(json);
	return ret;
}

int history_dashboard(const char *db, const char *out, const char *filter,
		      const char *scripts, double threshold_pct)
{
	struct dash_state s;
	char err[600], mid[16];
	struct zb_dash d;
	int ret;

	memset(&s, 0, sizeof(s));
	ret = zb_hdb_open(&s.h, db, 0);
	if (ret) {
		zb_err("%s", s.h.err);
		return ret;
	}
	ret = zb_hdb_runs(&s.h, &s.runs, &s.nr_runs);
	if (!ret)
		ret = zb_hdb_cases(&s.h, &s.cases, &s.nr_cases);
	if (ret) {
		zb_err("%s", s.h.err);
		goto out;
	}
	if (!s.nr_runs) {
		zb_err("%s: no runs yet (zapbench history import FILE...)", s.h.path);
		ret = -ENOENT;
		goto out;
	}
	ret = pick_runs(&s);
	if (!ret)
		ret = history_plots(&s, out, filter, scripts, threshold_pct);
	if (!ret)
		ret = newest_context(&s);
	if (ret)
		goto out;
	/*
	 * compare's verdicts when both records can still be read; else only
	 * the medians the history kept, which the table then says.
	 */
	ret = -ENOENT;
	if (s.base)
		ret = zb_dash_table_compare(s.base, s.new_, threshold_pct, &s.table);
	if (ret)
		ret = zb_dash_table_history(&s.h, s.base, s.new_, threshold_pct, &s.table);
	if (ret) {
		zb_err("%s", s.h.err[0] ? s.h.err : strerror(-ret));
		goto out;
	}
	zb_hmachine_short(s.m[s.pick].id, mid, sizeof(mid));
	snprintf(s.table.machine, sizeof(s.table.machine), "%s, %.280s", mid, s.m[s.pick].name);
	d = (struct zb_dash){
		.title = "zapbench: revoke, fault and open latency over time",
		.table = &s.table, .plots = s.plots, .nr_plots = s.nr_plots,
		.plots_note = s.note, .context = &s.ctx, .runs = s.runs, .nr_runs = s.nr_runs,
	};
	ret = zb_dash_write(out, &d, err, sizeof(err));
	if (ret)
		zb_err("%s", err);
	else
		printf("%s/index.html\n", out);
out:
	zb_dash_table_free(&s.table);
	zb_jval_free(&s.ctx);
	zb_hdb_names_free(s.cases, s.nr_cases);
	free(s.plots);
	free(s.runs);
	free(s.m);
	zb_hdb_close(&s.h);
	return ret;
}
