// SPDX-License-Identifier: GPL-2.0
/*
 * History plots: x is the run (oldest left), labelled with its date and
 * commit; y the median with its CI; regressions red, improvements green.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_history.h"
#include "record_points.h"

#define HIST_MAX_LINES	24

struct hist {
	char **names;
	int nr_names;
	struct zb_hval *v[HIST_MAX_LINES];
	int n[HIST_MAX_LINES];
	struct zb_hrun *runs;
	int nr_runs;
	int *x;				/* run index -> x position, -1 if no point */
};

static void hist_free(struct hist *s)
{
	int i;

	for (i = 0; i < HIST_MAX_LINES; i++)
		free(s->v[i]);
	zb_hdb_names_free(s->names, s->nr_names);
	free(s->runs);
	free(s->x);
}

static int run_index(const struct hist *s, long id)
{
	int i;

	for (i = 0; i < s->nr_runs; i++)
		if (s->runs[i].id == id)
			return i;
	return -1;
}

static int hist_load(struct zb_hdb *h, const char *what, double thr, struct hist *s)
{
	int ret, i, k;

	memset(s, 0, sizeof(*s));
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
	s->x = calloc((size_t)s->nr_runs + 1, sizeof(*s->x));
	if (!s->x)
		return -ENOMEM;
	for (i = 0; i < s->nr_names && i < HIST_MAX_LINES; i++) {
		ret = zb_hdb_series(h, s->names[i], &s->v[i], &s->n[i]);
		if (ret)
			return ret;
		zb_hist_trend(s->v[i], s->n[i], thr);
		for (k = 0; k < s->n[i]; k++) {
			int r = run_index(s, s->v[i][k].run_id);

			if (r >= 0)
				s->x[r] = 1;
		}
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
		    double threshold_pct, char *name, size_t len)
{
	double lo = INFINITY, hi = 0, div;
	int ret, i, k, lines, nreg = 0, nimp = 0, nx = 0;
	char buf[512], slug[200];
	const struct zb_hrun *last;
	struct zb_fig f;
	struct hist s;

	ret = hist_load(h, what, threshold_pct, &s);
	if (ret) {
		snprintf(p->err, sizeof(p->err), "%s", h->err);
		goto out;
	}
	lines = s.nr_names < HIST_MAX_LINES ? s.nr_names : HIST_MAX_LINES;
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
	snprintf(buf, sizeof(buf), "History of %s%s", what,
		 s.nr_names > lines ? " (first 24 points)" : "");
	zb_fig_str(&f, "title", buf);
	snprintf(buf, sizeof(buf), "marked: > %g%% from the median of the previous %d runs, "
		 "with the CI clear of it", threshold_pct, ZB_HIST_BASELINE);
	zb_fig_str(&f, "subtitle", buf);
	last = &s.runs[s.nr_runs - 1];
	snprintf(buf, sizeof(buf), "newest run: kernel %s on %s: %s, %d CPUs, %s", last->kernel,
		 last->host, last->cpu_model, last->num_cpus,
		 zb_hypervisor_name(last->hypervisor));
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
