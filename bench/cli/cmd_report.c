// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench report: a comparison that can be pasted into an LKML mail,
 * laid out like kernel test robot reports: plain ASCII, at most 80
 * columns; a header naming both kernels (release, build id, tag), the
 * machine and the design; one row per regressed or improved point
 * (base, %stddev, %change, new, %stddev, metric), grouped by case so no
 * name is ever wrapped; the rest counted; then commands that reproduce
 * it, quoted so that they can be pasted into a shell.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmp_args.h"
#include "record/pointname.h"
#include "record/record.h"
#include "record/record_points.h"
#include "util.h"

#define WIDTH		80

/* value and spread: "  677.04us  +-  2%   " */
#define ROW_FMT		"%10s %7s   "

static const char usage[] =
	"usage: zapbench report BASE.json[,...] NEW.json[,...] [--all] [--paired]\n"
	"                       [--threshold PCT] [--alpha A] [--correction holm|bh|none]\n"
	"                       [--out FILE]\n\n";

static const char tail[] =
	"Plain text for a mail: <= 80 columns, ASCII only.  Rows for the regressed and\n"
	"improved points (--all: every gated point); the others are counted.  Exit\n"
	"codes as for compare.  `zapbench ab` writes one as DIR/report.txt.  Under a\n"
	"regressed row, its profile diff when both sides ran with --perf-record (see\n"
	"compare --help).\n";

/* Text wrapped at spaces to 80 columns, later lines indented @col. */
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
		/* ASCII only: anything else becomes '?'; a word wider than a line breaks */
		for (size_t k = 0; k < w; k++) {
			if (at >= WIDTH) {
				fprintf(f, "\n%*s", col, "");
				at = col;
			}
			fputc(isprint((unsigned char)s[k]) ? s[k] : '?', f);
			at++;
		}
		s += w;
		while (*s == ' ' || *s == '\n')
			s++;
	}
	fputc('\n', f);
}

static const struct zb_jval *ctx_obj(const struct zb_jval *rec, const char *a, const char *b)
{
	const struct zb_jval *o = zb_jobj_get(zb_jobj_get(rec, "context"), a);

	return b ? zb_jobj_get(o, b) : o;
}

static const char *str_or(const struct zb_jval *o, const char *key, const char *dflt)
{
	const char *s = zb_jobj_str(o, key);

	return s && *s ? s : dflt;
}

static const char *platform(const struct zb_jval *rec)
{
	const char *h = cmp_ctx(rec, "hypervisor"), *accel = cmp_ctx(rec, "vm_guest_accel");

	if (strcmp(accel, "unknown"))
		return !strcmp(accel, "kvm") ? "QEMU/KVM guest" : "QEMU TCG guest";
	if (!strcmp(h, "none"))
		return "bare metal";
	if (strstr(h, "KVM"))
		return "KVM guest";
	if (strstr(h, "TCG"))
		return "QEMU TCG guest";
	return zb_hypervisor_name(h);
}

/* What the machine's name does not already say. */
static int qemu_or_metal(const struct zb_jval *rec)
{
	const char *p = platform(rec);

	return !strncmp(p, "QEMU", 4) || !strcmp(p, "bare metal");
}

/* "base: 6.1.0-57-amd64 #1 SMP PREEMPT_DYNAMIC ..." and its identity. */
static void kernel_lines(FILE *f, const char *who, const struct zb_jval *rec)
{
	const struct zb_jval *sys = ctx_obj(rec, "system", NULL);
	const struct zb_jval *img = zb_jobj_get(sys, "kernel_image");
	const char *tag = cmp_ctx(rec, "tag"), *sha = zb_jobj_str(img, "sha256");
	char line[1024];

	snprintf(line, sizeof(line), "%s %s", str_or(sys, "kernel_release", cmp_ctx(rec, "kernel")),
		 str_or(sys, "kernel_version", cmp_ctx(rec, "kernel_version")));
	fprintf(f, "%-6s", who);
	print_words(f, line, 6);
	snprintf(line, sizeof(line), "build-id %s%s%.16s%s, zapbench %s%s%s%s",
		 str_or(sys, "kernel_build_id", "unknown"), sha ? ", image sha256 " : "",
		 sha ? sha : "", sha ? "..." : "", cmp_ctx(rec, "git_commit"),
		 strcmp(tag, "unknown") ? ", tag \"" : "", strcmp(tag, "unknown") ? tag : "",
		 strcmp(tag, "unknown") ? "\"" : "");
	fprintf(f, "%6s", "");
	print_words(f, line, 6);
}

static void header(FILE *f, const struct cmp_args *a)
{
	const struct zb_jval *b = a->bp[0], *n = a->np[0];
	const struct zb_cmp *c = &a->cmp;
	const struct zb_jval *m = ctx_obj(n, "machine", NULL);
	char line[1024], method[256];
	int i;

	snprintf(line, sizeof(line), "zapbench: %d regressed, %d improved, %d no change, %d "
		 "inconclusive of %d gated points, %d %s rounds", c->counts[ZB_REGRESSED],
		 c->counts[ZB_IMPROVED], c->counts[ZB_NO_CHANGE], c->counts[ZB_INCONCLUSIVE],
		 c->nr_tested, c->rounds_new, c->paired ? "paired" : "unpaired");
	print_words(f, line, 0);
	fputc('\n', f);
	kernel_lines(f, "base:", b);
	kernel_lines(f, "new:", n);
	/* the machine's name carries CPU, count, memory, hypervisor and clock */
	snprintf(line, sizeof(line), "%s%s%s; cpufreq governor %s",
		 str_or(m, "name", cmp_ctx(n, "cpu_model")), qemu_or_metal(n) ? "; " : "",
		 qemu_or_metal(n) ? platform(n) : "",
		 str_or(ctx_obj(n, "system", NULL), "cpufreq_governor", "none"));
	fprintf(f, "on:   ");
	print_words(f, line, 6);
	cmp_method(a, method, sizeof(method));
	fprintf(f, "test: ");
	print_words(f, method, 6);
	for (i = 0; i < c->nr_warnings; i++) {
		fprintf(f, "NOTE: ");
		print_words(f, c->warnings[i], 6);
	}
	if (strcmp(platform(n), "QEMU TCG guest") == 0)
		print_words(f, "NOTE: QEMU TCG emulates the CPU: these are ratios between two "
			    "kernels booted alike, not native timings.", 6);
}

/* "677.0us": fixed width, ASCII. */
static void fmt(char *buf, size_t len, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, len, "%.2fus", ns / 1e3);
	else
		snprintf(buf, len, ns < 10 ? "%.3fns" : ns < 100 ? "%.2fns" : "%.1fns", ns);
}

static void row(FILE *f, const struct zb_cmp_row *r, const char *name)
{
	char b[16], n[16], sb[16], sn[16];

	if (r->verdict == ZB_MISSING || r->verdict == ZB_ADDED) {
		fprintf(f, "%38s  %s\n", r->verdict == ZB_MISSING ? "(missing in new)" :
			"(added in new)", name);
		return;
	}
	fmt(b, sizeof(b), r->base);
	fmt(n, sizeof(n), r->new_);
	snprintf(sb, sizeof(sb), "+-%.0f%%", r->base_sd_pct);
	snprintf(sn, sizeof(sn), "+-%.0f%%", r->new_sd_pct);
	/* the verdict as one letter after the change, as the legend says */
	fprintf(f, ROW_FMT "%+7.1f%%%c " ROW_FMT "%.*s\n", b, sb, r->change_pct,
		" RI?S"[r->verdict <= ZB_INCONCLUSIVE ? r->verdict : ZB_INCONCLUSIVE + 1], n, sn,
		WIDTH - 52, name);
}

static int shown(const struct cmp_args *a, const struct zb_cmp_row *r)
{
	if (r->verdict == ZB_REGRESSED || r->verdict == ZB_IMPROVED)
		return 1;
	return a->all && r->verdict != ZB_STRESS;
}

/* --perf-record: what the regressed row's profile says changed (cmp_perf.c). */
static void profile(FILE *f, const struct cmp_args *a, const struct zb_cmp_row *r)
{
	const char *p = a->profile ? a->profile[r - a->cmp.rows] : NULL;

	if (p)
		fputs(p, f);
}

/* "case/name/k:v/k2:v2" as a heading: "case/name k:v k2:v2", wrapped at spaces. */
static void print_heading(FILE *f, const char *name)
{
	char buf[512];
	int slashes = 0;
	size_t k;

	snprintf(buf, sizeof(buf), "%s", name);
	for (k = 0; buf[k]; k++)
		if (buf[k] == '/' && ++slashes >= 2)
			buf[k] = ' ';
	print_words(f, buf, 2);
}

/* Rows grouped by case: a heading per group, then the varying values. */
static void rows(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	const char **names = calloc((size_t)c->n + 1, sizeof(*names));
	const struct zb_cmp_row **sel = calloc((size_t)c->n + 1, sizeof(*sel));
	struct zb_pnames pn;
	int i, n = 0, last = -1;

	for (i = 0; names && sel && i < c->n; i++)
		if (shown(a, &c->rows[i])) {
			sel[n] = &c->rows[i];
			names[n++] = c->rows[i].name;
		}
	if (!names || !sel || (n && zb_pnames_build(names, n, &pn))) {
		fprintf(f, "(out of memory)\n");
		goto out;
	}
	fprintf(f, "\n" ROW_FMT "%8s  " ROW_FMT "%s\n", "base", "%stddev", "%change", "new",
		"%stddev", "metric (median of rounds)");
	fprintf(f, ROW_FMT "%8s  " ROW_FMT "%s\n", "--------", "-------", "-------", "--------",
		"-------", "-------------------------");
	for (i = 0; i < n; i++) {
		/* a name too long for the column gets a heading of its own */
		if ((int)strlen(pn.shortn[i]) > WIDTH - 52) {
			fprintf(f, "%s", i ? "\n" : "");
			print_heading(f, sel[i]->name);
			row(f, sel[i], "-");
			profile(f, a, sel[i]);
			last = -1;
			continue;
		}
		if (pn.group[i] != last) {
			fprintf(f, "%s", i ? "\n" : "");
			print_words(f, pn.head[pn.group[i]], 2);
		}
		last = pn.group[i];
		row(f, sel[i], pn.shortn[i][0] ? pn.shortn[i] : "-");
		profile(f, a, sel[i]);
	}
	if (!n)
		fprintf(f, "  (no point regressed or improved)\n");
	else
		zb_pnames_free(&pn);
out:
	free(names);
	free(sel);
}

static void counted(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	char line[512];

	if (a->all)
		snprintf(line, sizeof(line), "Not listed: %d stress points (not gated).",
			 c->counts[ZB_STRESS]);
	else {
		char res[64];

		if (isfinite(c->median_mde_pct))
			snprintf(res, sizeof(res), "resolving a median of +-%.1f%%",
				 c->median_mde_pct);
		else
			snprintf(res, sizeof(res), "too few rounds to resolve any change");
		snprintf(line, sizeof(line), "Not listed: %d no change (within +-%g%%), %d "
			 "inconclusive (%s; zapbench compare gives each point's), %d stress "
			 "points (not gated).", c->counts[ZB_NO_CHANGE], a->o.threshold_pct,
			 c->counts[ZB_INCONCLUSIVE], res, c->counts[ZB_STRESS]);
	}
	fputc('\n', f);
	print_words(f, line, 0);
}

/*
 * One token longer than a line: broken with a backslash-newline that
 * continues at column 0 (the shell joins the word back; an indent would
 * become part of it), closing and reopening a single quote around each
 * break.  Never between a backslash and the character it escapes.
 */
static int print_long_token(FILE *f, const char *t, size_t w, int at)
{
	int quoted = 0;
	size_t k;

	for (k = 0; k < w; k++) {
		if (at >= WIDTH - 2 && (k == 0 || t[k - 1] != '\\' || quoted)) {
			fputs(quoted ? "'\\\n'" : "\\\n", f);
			at = quoted ? 1 : 0;
		}
		if (t[k] == '\'' && (quoted || k == 0 || t[k - 1] != '\\'))
			quoted = !quoted;
		fputc(t[k], f);
		at++;
	}
	return at;
}

/*
 * Tokens (already quoted) separated by @sep, printed as one shell command
 * of <= 80 columns: a backslash-newline between tokens where it must wrap.
 */
static void print_cmd(FILE *f, const char *toks, char sep)
{
	int at = 2;

	fprintf(f, "  ");
	while (*toks) {
		size_t w = strcspn(toks, (char[]){ sep, '\0' });

		if (at > 2 && at + (int)w + 3 > WIDTH) {
			fprintf(f, " \\\n     ");
			at = 5;
		} else if (at > 2) {
			fputc(' ', f);
			at++;
		}
		if (at + (int)w + 2 > WIDTH)
			at = print_long_token(f, toks, w, at);
		else
			at += fprintf(f, "%.*s", (int)w, toks);
		toks += w;
		if (*toks == sep)
			toks++;
	}
	fputc('\n', f);
}

/*
 * How a side's record was made, as a command for this checkout: a run in
 * the scripts/vm guest becomes `KERNEL=... build/zapbench run --vm ...`.
 */
static void side_command(FILE *f, const char *who, const struct zb_jval *rec)
{
	const struct zb_jval *img = ctx_obj(rec, "system", "kernel_image");
	const char *cmd = cmp_ctx(rec, "command"), *path = zb_jobj_str(img, "path");
	const char *kdir = zb_jobj_str(img, "kdir");
	int guest = strcmp(cmp_ctx(rec, "vm_guest_accel"), "unknown") != 0;
	char toks[4096] = "", q[1024], *copy = strdup(cmd), *save = NULL, *t;
	size_t at = 0;

	fprintf(f, "  # %s: zapbench %s%s\n", who, cmp_ctx(rec, "git_commit"),
		guest && !path ? "; the record does not name the image: set KERNEL=" : "");
	if (guest) {
		/* an image the record does not name: the user's, from the environment */
		if (path)
			cli_shell_quote(q, sizeof(q), path);
		else
			snprintf(q, sizeof(q), "\"$KERNEL\"");
		at += (size_t)snprintf(toks + at, sizeof(toks) - at, "KERNEL=%s\x1f", q);
		if (kdir) {
			cli_shell_quote(q, sizeof(q), kdir);
			at += (size_t)snprintf(toks + at, sizeof(toks) - at, "KDIR=%s\x1f", q);
		}
	}
	at += (size_t)snprintf(toks + at, sizeof(toks) - at, "build/zapbench");
	t = copy ? strtok_r(copy, " ", &save) : NULL;
	/* a command that names its binary: ours replaces it */
	if (t && strstr(t, "zapbench"))
		t = strtok_r(NULL, " ", &save);
	for (; t && at < sizeof(toks); t = strtok_r(NULL, " ", &save)) {
		cli_shell_quote(q, sizeof(q), t);
		at += (size_t)snprintf(toks + at, sizeof(toks) - at, "\x1f%s", q);
		if (guest && !strcmp(t, "run"))
			at += (size_t)snprintf(toks + at, sizeof(toks) - at, "\x1f--vm");
	}
	free(copy);
	print_cmd(f, toks, '\x1f');
}

static void reproduce(FILE *f, const struct cmp_args *a)
{
	fprintf(f, "\nTo reproduce, in a zapbench checkout (make first):\n");
	if (a->reproduce) {
		print_cmd(f, a->reproduce, '\x1f');
		return;
	}
	side_command(f, "base", a->bp[0]);
	side_command(f, "new", a->np[0]);
	fprintf(f, "  # then: build/zapbench report BASE.json[,...] NEW.json[,...]%s\n",
		a->o.paired ? " --paired" : "");
}

void report_text(FILE *f, const struct cmp_args *a)
{
	header(f, a);
	fprintf(f, "\nAfter %%change: R regressed, I improved, ? inconclusive (with --all),\n"
		"blank: no change.\n");
	rows(f, a);
	counted(f, a);
	reproduce(f, a);
}

int cmd_report(int argc, char **argv)
{
	return cmp_main(argc, argv, usage, tail, report_text, 0);
}
