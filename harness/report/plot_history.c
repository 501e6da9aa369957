// SPDX-License-Identifier: GPL-2.0
/*
 * History plots: x is the run (oldest left), labelled with its date and
 * commit; y the median with its CI; regressions red, improvements green.
 * One machine's runs only: a line across two machines would draw the
 * step between them as a change.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_points.h"
#include "report/plot_history.h"

#define HIST_MAX_LINES	24

struct hist {
	char **names;
	int nr_names;
	struct zb_hval *v[HIST_MAX_LINES];
	int n[HIST_MAX_LINES];
	struct zb_hrun *runs;
	int nr_runs;
	int *x;				/* run index -> x position, -1 if no point */
	struct zb_hmachine *m;
	int nm, pick;			/* the machine drawn */
	int others;			/* other machines with runs of these points */
	int last;			/* index of the drawn machine's newest run drawn */
	int lines;			/* points the machine has, of the first HIST_MAX_LINES */
};

static void hist_free(struct hist *s)
{
	int i;

	for (i = 0; i < HIST_MAX_LINES; i++)
		free(s->v[i]);
	zb_hdb_names_free(s->names, s->nr_names);
	free(s->runs);
	free(s->x);
	free(s->m);
}

static int run_index(const struct hist *s, long id)
{
	return zb_hrun_index(s->runs, s->nr_runs, id);
}

/* Which machine to draw: the one @machine names, else the newest run's. */
static int pick_machine(struct zb_hdb *h, const char *machine, struct hist *s)
{
	int ret, i;

	ret = zb_hdb_machines(s->runs, s->nr_runs, &s->m, &s->nm);
	if (ret) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return ret;
	}
	if (machine) {
		ret = zb_hdb_machine_find(h, s->m, s->nm, machine);
		if (ret < 0)
			return ret;
		s->pick = ret;
		return 0;
	}
	for (i = 0; i < s->nm; i++)
		if (!strcmp(s->m[i].id, s->runs[s->nr_runs - 1].machine_id))
			s->pick = i;
	return 0;
}

/* Keep the values of the machine drawn; count the machines left out. */
static void keep_machine(struct hist *s, int lines, int *seen)
{
	int i, k, j, n;

	for (i = 0; i < lines; i++) {
		for (k = 0, n = 0; k < s->n[i]; k++) {
			for (j = 0; j < s->nm && strcmp(s->m[j].id, s->v[i][k].machine_id); j++)
				;
			if (j < s->nm)
				seen[j] = 1;
			if (j == s->pick)
				s->v[i][n++] = s->v[i][k];
		}
		s->n[i] = n;
	}
	for (j = 0; j < s->nm; j++)
		s->others += j != s->pick && seen[j];
	/* A point only other machines have is no line here: the ones it has go first. */
	for (i = 0, n = 0; i < lines; i++) {
		char *name = s->names[i];
		struct zb_hval *v = s->v[i];
		int nv = s->n[i];

		if (!nv)
			continue;
		s->names[i] = s->names[n];
		s->v[i] = s->v[n];
		s->n[i] = s->n[n];
		s->names[n] = name;
		s->v[n] = v;
		s->n[n++] = nv;
	}
	s->lines = n;
}

static int hist_load(struct zb_hdb *h, const char *what, const char *machine, double thr,
		     struct hist *s)
{
	char mid[16];
	int ret, i, k, lines, *seen;

	memset(s, 0, sizeof(*s));
	s->last = -1;
	ret = zb_hdb_names(h, what, &s->names, &s->nr_names);
	if (!ret)
		ret = zb_hdb_runs(h, &s->runs, &s->nr_runs);
	if (ret)
		return ret;
	if (!s->nr_names) {
		snprintf(h->err, sizeof(h->err), "%.200s: no point or case named %.200s", h->path,
			 what);
		return -ENOENT;
	}
	ret = pick_machine(h, machine, s);
	if (ret)
		return ret;
	s->x = calloc((size_t)s->nr_runs + 1, sizeof(*s->x));
	seen = calloc((size_t)s->nm + 1, sizeof(*seen));
	if (!s->x || !seen) {
		free(seen);
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -ENOMEM;
	}
	lines = s->nr_names < HIST_MAX_LINES ? s->nr_names : HIST_MAX_LINES;
	for (i = 0; i < lines; i++) {
		ret = zb_hdb_series(h, s->names[i], &s->v[i], &s->n[i]);
		if (ret) {
			free(seen);
			return ret;
		}
	}
	keep_machine(s, lines, seen);
	free(seen);
	for (i = 0; i < s->lines; i++) {
		zb_hist_trend(s->v[i], s->n[i], thr);
		for (k = 0; k < s->n[i]; k++) {
			int r = run_index(s, s->v[i][k].run_id);

			if (r >= 0)
				s->x[r] = 1;
			if (r > s->last)
				s->last = r;
		}
	}
	if (s->last < 0) {
		zb_hmachine_short(s->m[s->pick].id, mid, sizeof(mid));
		snprintf(h->err, sizeof(h->err), "%.200s: machine %s has no runs of %.200s",
			 h->path, mid, what);
		return -ENOENT;
	}
	/* Runs without any of these points take no room on the axis. */
	for (i = 0, k = 0; i < s->nr_runs; i++)
		s->x[i] = s->x[i] ? k++ : -1;
	return 0;
}

/* "11-24 19:02 85df762": the run as a tick label. */
static void tick(char *buf, size_t len, const struct zb_hrun *r)
{
	const char *d = strlen(r->date) >= 16 ? r->date + 5 : r->date;

	snprintf(buf, len, "%.5s %.5s %.16s", d, strlen(d) >= 11 ? d + 6 : "", r->commit);
}

static void write_data(FILE *o, const struct hist *s, int lines, double div)
{
	int i, k, trend, any;

	for (i = 0; i < lines; i++) {
		for (k = 0; k < s->n[i]; k++) {
			const struct zb_hval *v = &s->v[i][k];

			fprintf(o, "%d %g %g %g\n", s->x[run_index(s, v->run_id)], v->median / div,
				v->lo / div, v->hi / div);
		}
		fputs("\n\n", o);
	}
	/* Then two blocks of markers, so each has one key entry: regressions, improvements. */
	for (trend = 1; trend >= -1; trend -= 2) {
		for (i = 0, any = 0; i < lines; i++) {
			for (k = 0; k < s->n[i]; k++) {
				const struct zb_hval *v = &s->v[i][k];

				if (v->trend != trend)
					continue;
				fprintf(o, "%d %g\n", s->x[run_index(s, v->run_id)],
					v->median / div);
				any = 1;
			}
		}
		fputs(any ? "\n\n" : "NaN NaN\n\n\n", o);
	}
}

/*
 * A line's label: the parameters that tell it from the others.  "a/b/c"
 * components every name shares go; the case itself too.
 */
static void line_label(char *buf, size_t len, const struct hist *s, int lines, int i)
{
	char comp[256], needle[260];
	const char *c = s->names[i], *end;
	size_t n = 0;
	int k, shared;

	buf[0] = '\0';
	while (*c) {
		end = strchr(c, '/');
		if (!end)
			end = c + strlen(c);
		snprintf(comp, sizeof(comp), "%.*s", (int)(end - c), c);
		snprintf(needle, sizeof(needle), "/%s/", comp);
		for (k = 0, shared = lines > 1; k < lines && shared; k++) {
			char whole[600];

			snprintf(whole, sizeof(whole), "/%s/", s->names[k]);
			shared = strstr(whole, needle) != NULL;
		}
		/* With one line, only the case's own components go. */
		if (lines == 1)
			shared = !strchr(comp, ':');
		if (!shared && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "/" : "", comp);
		c = *end ? end + 1 : end;
	}
	if (!buf[0])
		snprintf(buf, len, "%s", s->names[i]);
}

int zb_plot_history(struct zb_plot *p, struct zb_hdb *h, const char *what,
		    const char *machine, double threshold_pct, char *name, size_t len)
{
	double lo = INFINITY, hi = 0, div;
	int ret, i, k, lines, nreg = 0, nimp = 0, nx = 0;
	char buf[512], slug[200], mid[16], brief[64];
	const struct zb_hmachine *m;
	const struct zb_hrun *last;
	struct zb_fig f;
	struct hist s;

	ret = hist_load(h, what, machine, threshold_pct, &s);
	if (ret) {
		snprintf(p->err, sizeof(p->err), "%s", h->err);
		goto out;
	}
	lines = s.lines;
	for (i = 0; i < lines; i++) {
		for (k = 0; k < s.n[i]; k++) {
			lo = fmin(lo, s.v[i][k].median);
			hi = fmax(hi, s.v[i][k].hi);
			nreg += s.v[i][k].trend > 0;
			nimp += s.v[i][k].trend < 0;
		}
	}
	zb_plot_slug(slug, sizeof(slug), what);
	snprintf(name, len, "history-%s", slug);
	ret = zb_fig_open(&f, p, name);
	if (ret)
		goto out;
	m = &s.m[s.pick];
	zb_hmachine_short(m->id, mid, sizeof(mid));
	snprintf(buf, sizeof(buf), "History of %s%s on machine %s", what,
		 s.nr_names > HIST_MAX_LINES ? " (first 24 points)" : "", mid);
	if (s.others)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " only (%d other machine%s "
			 "not drawn: --machine)", s.others, s.others == 1 ? "" : "s");
	zb_fig_str(&f, "title", buf);
	snprintf(buf, sizeof(buf), "marked: > %g%% from the median of the machine's previous "
		 "%d runs, with the CI clear of it", threshold_pct, ZB_HIST_BASELINE);
	zb_fig_str(&f, "subtitle", buf);
	last = &s.runs[s.last];
	zb_hrun_brief(last, brief, sizeof(brief));
	/* The drawn runs' own platform: a TCG guest's times are an emulator's. */
	snprintf(buf, sizeof(buf), "newest run: kernel %.100s on %.100s: %s, %d CPUs%s",
		 last->kernel, last->host, brief, last->num_cpus,
		 strcmp(zb_hypervisor_name(last->hypervisor), "QEMU TCG") ? "" :
		 " (emulated: compare ratios, not times)");
	zb_fig_str(&f, "machine", buf);
	div = zb_fig_axis(&f, "y", lo, hi, 2, "latency per op, median and 95% CI");
	zb_fig_num(&f, "n", lines);
	zb_fig_num(&f, "nreg", nreg);
	zb_fig_num(&f, "nimp", nimp);
	zb_fig_array(&f, "label", lines);
	for (i = 0; i < lines; i++) {
		line_label(buf, sizeof(buf), &s, lines, i);
		zb_fig_astr(&f, "label", i + 1, buf);
	}
	for (i = 0; i < s.nr_runs; i++)
		nx += s.x[i] >= 0;
	zb_fig_num(&f, "nx", nx);
	zb_fig_array(&f, "xl", nx);
	for (i = 0; i < s.nr_runs; i++) {
		if (s.x[i] < 0)
			continue;
		tick(buf, sizeof(buf), &s.runs[i]);
		zb_fig_astr(&f, "xl", s.x[i] + 1, buf);
	}
	write_data(f.data, &s, lines, div);
	ret = zb_fig_render(&f, "history.gp");
out:
	hist_free(&s);
	return ret;
}
