// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench report: a comparison that can be pasted into an LKML mail:
 * plain ASCII, at most 80 columns, laid out like kernel test robot
 * reports (base, %stddev, %change, new, %stddev, metric), then the
 * commands that reproduce it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmp_args.h"
#include "record.h"
#include "record_points.h"
#include "util.h"

#define WIDTH		80
#define NAME_COL	52		/* where the metric name starts */

/* value and spread: "  677.04us  +-  2%   " */
#define ROW_FMT		"%10s %7s   "

static const char usage[] =
	"usage: zapbench report BASE.json[,...] NEW.json[,...] [--all] [--threshold PCT]\n"
	"                       [--alpha A] [--correction holm|bh|none] [--out FILE]\n\n"
	"Plain text for a mail: <= 80 columns, ASCII only.  Points with no change are\n"
	"left out unless --all.  Exit codes as for compare.\n";

static void print_name(FILE *f, const char *name, int col);

/* Text wrapped at spaces (and its own newlines) to 80 columns, indented @col. */
static void print_words(FILE *f, const char *s, int col)
{
	int at = col;

	while (*s) {
		size_t w = strcspn(s, " \n");

		if (at > col && at + (int)w + 1 > WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", (int)w, s);
		at += (int)w;
		s += w;
		while (*s == ' ' || *s == '\n')
			s++;
	}
	fputc('\n', f);
}

static const char *platform(const struct zb_jval *rec)
{
	const char *h = cmp_ctx(rec, "hypervisor");

	if (!strcmp(h, "none"))
		return "bare metal";
	if (strstr(h, "KVM"))
		return "KVM guest";
	if (strstr(h, "TCG"))
		return "QEMU TCG guest";
	return zb_hypervisor_name(h);
}

static void header(FILE *f, const struct cmp_args *a)
{
	const struct zb_jval *b = a->bp[0], *n = a->np[0];
	const struct zb_cmp *c = &a->cmp;
	char method[256];
	int i;

	fprintf(f, "zapbench: %d regressed, %d improved, %d no change, %d inconclusive\n"
		"of %d gated points (%d %s rounds)\n\n", c->counts[ZB_REGRESSED],
		c->counts[ZB_IMPROVED], c->counts[ZB_NO_CHANGE], c->counts[ZB_INCONCLUSIVE],
		c->nr_tested, c->rounds_new, c->paired ? "paired" : "unpaired");
	fprintf(f, "base: commit %s, kernel %s\n", cmp_ctx(b, "git_commit"), cmp_ctx(b, "kernel"));
	fprintf(f, "new:  commit %s, kernel %s\n", cmp_ctx(n, "git_commit"), cmp_ctx(n, "kernel"));
	fprintf(f, "cpu:  %.60s, %g CPUs\n", cmp_ctx(n, "cpu_model"),
		zb_jobj_num(zb_jobj_get(n, "context"), "num_cpus"));
	fprintf(f, "on:   %s, clocksource %s, host %s\n", platform(n), cmp_ctx(n, "clocksource"),
		cmp_ctx(n, "host_name"));
	cmp_method(a, method, sizeof(method));
	fprintf(f, "test: ");
	print_words(f, method, 6);
	for (i = 0; i < c->nr_warnings; i++) {
		fprintf(f, "NOTE: ");
		print_words(f, c->warnings[i], 6);
	}
	if (c->counts[ZB_INCONCLUSIVE] && isfinite(c->median_mde_pct))
		fprintf(f, "NOTE: inconclusive points resolve a median of +-%.1f%%\n",
			c->median_mde_pct);
}

/* "677.0us": fixed width, ASCII. */
static void fmt(char *buf, size_t len, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, len, "%.2fus", ns / 1e3);
	else
		snprintf(buf, len, "%.1fns", ns);
}

/* The metric name after the numbers, wrapped at '/' to stay in 80 columns. */
static void print_name(FILE *f, const char *name, int col)
{
	int room = WIDTH - col;

	while ((int)strlen(name) > room) {
		int cut = room;

		while (cut > 0 && name[cut - 1] != '/')
			cut--;
		if (!cut)
			cut = room;
		fprintf(f, "%.*s\n%*s", cut, name, col, "");
		name += cut;
	}
	fprintf(f, "%s\n", name);
}

static void row(FILE *f, const struct zb_cmp_row *r)
{
	char b[16], n[16], sb[16], sn[16], line[NAME_COL + 8];

	if (r->verdict == ZB_MISSING || r->verdict == ZB_ADDED) {
		snprintf(line, sizeof(line), "%*s", NAME_COL - 2,
			 r->verdict == ZB_MISSING ? "(missing in new)" : "(added in new)");
		fprintf(f, "%s  ", line);
		print_name(f, r->name, NAME_COL);
		return;
	}
	fmt(b, sizeof(b), r->base);
	fmt(n, sizeof(n), r->new_);
	snprintf(sb, sizeof(sb), "+-%.0f%%", r->base_sd_pct);
	snprintf(sn, sizeof(sn), "+-%.0f%%", r->new_sd_pct);
	/* the verdict as one letter after the change, as the legend says */
	fprintf(f, ROW_FMT "%+7.1f%%%c " ROW_FMT, b, sb, r->change_pct,
		" RI?S"[r->verdict <= ZB_INCONCLUSIVE ? r->verdict : ZB_INCONCLUSIVE + 1], n, sn);
	print_name(f, r->name, NAME_COL);
}

static void reproduce(FILE *f, const struct cmp_args *a)
{
	fprintf(f, "\nTo reproduce, in a zapbench checkout (make; then on each kernel):\n");
	fprintf(f, "  # base, at commit %s\n  ", cmp_ctx(a->bp[0], "git_commit"));
	print_name(f, cmp_ctx(a->bp[0], "command"), 2);
	fprintf(f, "  # new, at commit %s\n  ", cmp_ctx(a->np[0], "git_commit"));
	print_name(f, cmp_ctx(a->np[0], "command"), 2);
	fprintf(f, "  build/zapbench report BASE.json NEW.json\n");
}

static void print_report(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	int i, shown = 0;

	header(f, a);
	fprintf(f, "\nafter %%change: R regressed, I improved, ? inconclusive (zapbench compare\n"
		"gives what each resolves), S stress case, not gated; blank: no change\n");
	fprintf(f, "\n" ROW_FMT "%8s  " ROW_FMT "%s\n", "base", "%stddev", "%change", "new",
		"%stddev", "metric (median)");
	fprintf(f, ROW_FMT "%8s  " ROW_FMT "%s\n", "--------", "-------", "-------", "--------",
		"-------", "---------------");
	for (i = 0; i < c->n; i++) {
		const struct zb_cmp_row *r = &c->rows[i];

		if (!a->all && (r->verdict == ZB_NO_CHANGE || r->verdict == ZB_STRESS))
			continue;
		row(f, r);
		shown++;
	}
	if (!shown)
		fprintf(f, "  (every point: no change; --all lists them)\n");
	reproduce(f, a);
}

int cmd_report(int argc, char **argv)
{
	return cmp_main(argc, argv, usage, print_report, 0);
}
