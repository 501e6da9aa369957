// SPDX-License-Identifier: GPL-2.0
/* The dashboard page: a table, inlined SVG plots, the machine, the runs. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record/fmt.h"
#include "record/record_points.h"
#include "report/dashboard.h"
#include "util.h"
#include "version.h"

static const char style[] =
	"body{font-family:'DejaVu Sans',sans-serif;margin:1.5em auto;max-width:1100px;"
	"color:#222;padding:0 1em}\n"
	"h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:2px solid #888;margin-top:2em}\n"
	"h3{font-size:1.05em;margin-top:1.5em}section.machine{margin-bottom:3em}\n"
	".facts{font-weight:bold}nav ul{padding-left:1.2em}\n"
	"table{border-collapse:collapse;font-size:.9em}\n"
	"td,th{padding:.2em .6em;border-bottom:1px solid #eee;text-align:left}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"tr.slower td{background:#fde0e0}tr.faster td{background:#e0f5e0}\n"
	"tr.missing td,tr.new td{color:#888}\n"
	"figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.3em}\n"
	"figure svg{max-width:100%;height:auto;border:1px solid #eee}\n"
	".note{color:#666;font-size:.85em}code{font-size:.95em}\n";

static void esc(FILE *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		default: fputc(*s, o);
		}
	}
}

static void cell_ns(FILE *o, double ns)
{
	char b[32];

	zb_fmt_ns(b, sizeof(b), ns);
	fprintf(o, "<td class=\"num\">%s</td>", b);
}

static void row(FILE *o, const struct zb_dash_row *r)
{
	fprintf(o, "<tr class=\"%s\"><td><code>", r->verdict);
	esc(o, r->name);
	fputs("</code></td>", o);
	cell_ns(o, r->base);
	cell_ns(o, r->new_);
	if (isfinite(r->change_pct))
		fprintf(o, "<td class=\"num\">%+.1f%%</td>", r->change_pct);
	else
		fputs("<td class=\"num\">-</td>", o);
	fprintf(o, "<td>%s</td></tr>\n", r->verdict);
}

static int one_sided(const struct zb_dash_row *r)
{
	return !isfinite(r->base) || !isfinite(r->new_);
}

/* The rows that lack one side (@sided) or have both. */
static void rows(FILE *o, const struct zb_dash_table *t, int sided)
{
	int i;

	fputs("<table class=\"cmp\">\n<thead><tr><th>point</th><th class=\"num\">base</th>"
	      "<th class=\"num\">new</th><th class=\"num\">change</th><th></th></tr>"
	      "</thead>\n<tbody>\n", o);
	for (i = 0; i < t->n; i++)
		if (one_sided(&t->rows[i]) == sided)
			row(o, &t->rows[i]);
	fputs("</tbody>\n</table>\n", o);
}

static void table(FILE *o, const struct zb_dash_machine *m)
{
	const struct zb_dash_table *t = m->table;
	int i, sided = 0;

	fprintf(o, "<section class=\"compare\" id=\"compare-%s\">\n"
		"<h3>Latest comparison</h3>\n", m->anchor);
	if (!t || !t->n) {
		fputs("<p>Nothing to compare yet: import two runs.</p>\n</section>\n", o);
		return;
	}
	/* Never another machine's run, nor another suite's, as the base. */
	if (!t->base_label[0]) {
		fputs("<p>nothing to compare: ", o);
		if (t->why[0]) {
			esc(o, t->why);
		} else {
			fputs("only one run of ", o);
			esc(o, t->machine[0] ? t->machine : "this machine");
		}
		fputs("<br>its newest run: ", o);
	} else {
		fputs("<p>base: ", o);
		esc(o, t->base_label);
		fputs("<br>new: ", o);
	}
	esc(o, t->new_label);
	fputs("</p>\n", o);
	for (i = 0; i < t->n; i++)
		sided += one_sided(&t->rows[i]);
	if (sided < t->n)
		rows(o, t, 0);
	/* No base: the run's medians are the table. */
	if (!t->base_label[0]) {
		rows(o, t, 1);
	} else if (sided) {
		/* Points only one run has (another filter or sweep): out of the way. */
		fprintf(o, "<details><summary>%d point%s in only one of the two runs</summary>\n",
			sided, sided == 1 ? "" : "s");
		rows(o, t, 1);
		fputs("</details>\n", o);
	}
	fputs("<p class=\"note\">", o);
	esc(o, t->source);
	fputs("</p>\n</section>\n", o);
}

/* The <svg> element of a gnuplot file, without its XML prolog and doctype. */
static int inline_svg(FILE *o, const char *path)
{
	char *text, *svg;
	int ret = zb_read_file(path, &text, NULL);

	if (ret)
		return ret;
	svg = strstr(text, "<svg");
	if (svg)
		fputs(svg, o);
	free(text);
	return svg ? 0 : -EINVAL;
}

static int plots(FILE *o, const struct zb_dash_machine *d, char *err, size_t errlen)
{
	int i, ret;

	fprintf(o, "<section class=\"history\" id=\"history-%s\">\n<h3>History</h3>\n",
		d->anchor);
	if (d->plots_note) {
		fputs("<p class=\"note\">", o);
		esc(o, d->plots_note);
		fputs("</p>\n", o);
	}
	if (!d->nr_plots)
		fputs("<p>No history plots.</p>\n", o);
	for (i = 0; i < d->nr_plots; i++) {
		fputs("<figure>\n<figcaption>", o);
		esc(o, d->plots[i].title);
		fputs("</figcaption>\n", o);
		ret = inline_svg(o, d->plots[i].svg);
		if (ret) {
			snprintf(err, errlen, "%s: %s", d->plots[i].svg,
				 ret == -EINVAL ? "not an SVG file" : strerror(-ret));
			return ret;
		}
		fputs("</figure>\n", o);
	}
	fputs("</section>\n", o);
	return 0;
}

static void value(FILE *o, const struct zb_jval *v)
{
	char b[64];
	size_t i;

	switch (v->type) {
	case ZB_JSTR:
		esc(o, v->str);
		break;
	case ZB_JNUM:
		snprintf(b, sizeof(b), "%.10g", v->num);
		fputs(b, o);
		break;
	case ZB_JBOOL:
		fputs(v->num ? "true" : "false", o);
		break;
	case ZB_JNULL:
		fputs("-", o);
		break;
	case ZB_JARR:
		for (i = 0; i < v->n; i++) {
			fputs(i ? ", " : "", o);
			if (v->items[i].type == ZB_JOBJ)
				fputs("{...}", o);
			else
				value(o, &v->items[i]);
		}
		break;
	case ZB_JOBJ:
		for (i = 0; i < v->n; i++) {
			fprintf(o, "%s", i ? "; " : "");
			esc(o, v->keys[i]);
			fputs(": ", o);
			value(o, &v->items[i]);
		}
		break;
	}
}

/* The newest run's context, folded: the heading has what tells machines apart. */
static void context(FILE *o, const struct zb_jval *ctx)
{
	char line[600];
	size_t i;

	if (!ctx || ctx->type != ZB_JOBJ) {
		fputs("<p>No context stored.</p>\n", o);
		return;
	}
	zb_rmachine_ctx(ctx, line, sizeof(line));
	fputs("<details class=\"ctx\"><summary>Context of its newest run: ", o);
	esc(o, line);
	fputs("</summary>\n<table class=\"ctx\">\n", o);
	for (i = 0; i < ctx->n; i++) {
		fputs("<tr><th>", o);
		esc(o, ctx->keys[i]);
		fputs("</th><td>", o);
		value(o, &ctx->items[i]);
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n</details>\n", o);
}

static int machine(FILE *o, const struct zb_dash_machine *m, char *err, size_t errlen)
{
	fprintf(o, "<section class=\"machine\" id=\"machine-%s\">\n<h2>Machine ", m->anchor);
	esc(o, m->heading);
	fputs("</h2>\n<p class=\"facts\">", o);
	esc(o, m->facts);
	fputs("</p>\n", o);
	context(o, m->context);
	table(o, m);
	if (plots(o, m, err, errlen))
		return -EINVAL;
	fputs("</section>\n", o);
	return 0;
}

static void runs(FILE *o, const struct zb_dash *d)
{
	char mid[16];
	int i;

	fputs("<section id=\"runs\">\n<h2>Runs</h2>\n<table class=\"runs\">\n<thead><tr>"
	      "<th class=\"num\">id</th><th>date (UTC)</th><th>machine</th><th>CPU</th>"
	      "<th class=\"num\">CPUs</th><th>hypervisor</th><th>host</th><th>kernel</th>"
	      "<th>commit</th><th class=\"num\">points</th><th>command</th></tr></thead>\n"
	      "<tbody>\n", o);
	for (i = d->nr_runs - 1; i >= 0; i--) {
		const struct zb_hrun *r = &d->runs[i];

		zb_hmachine_short(r->machine_id, mid, sizeof(mid));
		fprintf(o, "<tr><td class=\"num\">%ld</td><td>", r->id);
		esc(o, r->date);
		fputs("</td><td><code title=\"", o);
		esc(o, r->machine_id);
		fputs("\">", o);
		esc(o, mid);
		fputs("</code></td><td title=\"", o);
		esc(o, r->machine_name);
		fputs("\">", o);
		esc(o, r->cpu_model[0] ? r->cpu_model : "unknown");
		fprintf(o, "</td><td class=\"num\">%d</td><td>", r->num_cpus);
		esc(o, zb_hypervisor_name(r->hypervisor));
		fputs("</td><td>", o);
		esc(o, r->host);
		fputs("</td><td>", o);
		esc(o, r->kernel);
		fputs("</td><td><code>", o);
		esc(o, r->commit);
		fprintf(o, "</code></td><td class=\"num\">%d</td><td><code>", r->nr_points);
		esc(o, r->command);
		fputs("</code></td></tr>\n", o);
	}
	fputs("</tbody>\n</table>\n</section>\n", o);
}

static int page(FILE *o, const struct zb_dash *d, char *err, size_t errlen)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int i;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", &tm);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", o);
	esc(o, d->title);
	fprintf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
	esc(o, d->title);
	fprintf(o, "</h1>\n<p class=\"note\">Generated %s by zapbench %s from %d run%s of %d "
		"machine%s, each machine apart: its runs are compared and drawn only with its "
		"own.</p>\n<nav><ul>\n", now, ZB_VERSION, d->nr_runs, d->nr_runs == 1 ? "" : "s",
		d->nr_machines, d->nr_machines == 1 ? "" : "s");
	for (i = 0; i < d->nr_machines; i++) {
		fprintf(o, "<li><a href=\"#machine-%s\">", d->machines[i].anchor);
		esc(o, d->machines[i].heading);
		fputs("</a></li>\n", o);
	}
	fputs("<li><a href=\"#runs\">runs</a></li>\n</ul></nav>\n", o);
	for (i = 0; i < d->nr_machines; i++)
		if (machine(o, &d->machines[i], err, errlen))
			return -EINVAL;
	runs(o, d);
	fputs("</body>\n</html>\n", o);
	return 0;
}

int zb_dash_write(const char *dir, const struct zb_dash *d, char *err, size_t errlen)
{
	struct zb_atomic a;
	char path[4096 + 16];
	char *buf = NULL;
	size_t len = 0;
	FILE *o;
	int ret;

	ret = zb_mkdirs(dir);
	if (ret) {
		snprintf(err, errlen, "%s: %s", dir, strerror(-ret));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	o = open_memstream(&buf, &len);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = page(o, d, err, errlen);
	if (fclose(o) && !ret) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
	}
	if (!ret) {
		ret = zb_atomic_open(&a, path);
		if (!ret) {
			ret = zb_atomic_commit(&a, buf, len);
			if (ret)
				zb_atomic_abort(&a);
		}
		if (ret)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	}
	free(buf);
	return ret;
}
