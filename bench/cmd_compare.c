// SPDX-License-Identifier: GPL-2.0
/* zapbench compare: did anything change between two sets of records? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmp_args.h"
#include "record.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench compare BASE.json[,BASE2.json...] NEW.json[,NEW2.json...] [options]\n\n"
	"  --threshold PCT     smallest |%change| called a change (default 5)\n"
	"  --alpha A           significance level after correction (default 0.05)\n"
	"  --correction holm|bh|none   multiple-comparison control (default holm)\n"
	"  --format text|json  output (default text)\n"
	"  --out FILE          write the output there (atomically) instead of stdout\n\n"
	"Cases are matched by name (case and parameters).  A case is REGRESSED or\n"
	"improved only if the Mann-Whitney U test is significant after correction AND\n"
	"the median moved by at least the threshold.  With >= 3 repetitions a side\n"
	"(--repetitions, several records per side, or run --interleave) the test runs\n"
	"on repetition medians; otherwise on raw samples, which ignores run-to-run\n"
	"drift and is said so.  Exit 0: no regression, 1: regression, 2: bad input.\n";

static const char *ctx_str(const struct zb_jval *rec, const char *key)
{
	const char *s = zb_jobj_str(zb_jobj_get(rec, "context"), key);

	return s ? s : "?";
}

static void print_side(FILE *f, const char *label, const char *arg, const struct zb_jval *rec,
		       int n)
{
	fprintf(f, "%s %s (%d record%s; %s, kernel %s, commit %s)\n", label, arg, n,
		n == 1 ? "" : "s", ctx_str(rec, "host_name"), ctx_str(rec, "kernel"),
		ctx_str(rec, "git_commit"));
}

static void print_row(FILE *f, const struct zb_cmp_row *r, int w)
{
	char b[16], n[16], ci[40], p[16];

	if (r->verdict == ZB_MISSING || r->verdict == ZB_ADDED) {
		fprintf(f, "%-*s %s\n", w, r->name, zb_verdict_name(r->verdict));
		return;
	}
	zb_fmt_ns(b, sizeof(b), r->base);
	zb_fmt_ns(n, sizeof(n), r->new_);
	snprintf(ci, sizeof(ci), "[%+.1f%%, %+.1f%%]", r->ci_lo_pct, r->ci_hi_pct);
	if (isnan(r->p_adj))
		snprintf(p, sizeof(p), "-");
	else if (r->p_adj < 0.001)
		snprintf(p, sizeof(p), "<0.001");
	else
		snprintf(p, sizeof(p), "%.3f", r->p_adj);
	fprintf(f, "%-*s %9s %5.1f%% %9s %5.1f%% %+7.1f%% %-20s %6s %4s %s\n", w, r->name, b,
		r->base_sd_pct, n, r->new_sd_pct, r->change_pct, ci, p,
		r->by_reps ? "reps" : "smpl", zb_verdict_name(r->verdict));
}

static void print_text(FILE *f, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	char method[256];
	int i, w = 20;

	print_side(f, "base:", a->base_arg, a->bp[0], a->nb);
	print_side(f, "new: ", a->new_arg, a->np[0], a->nn);
	cmp_method(a, method, sizeof(method));
	fprintf(f, "method: %s\n", method);
	for (i = 0; i < c->nr_warnings; i++)
		fprintf(f, "WARNING: %s\n", c->warnings[i]);
	if (c->single_run)
		fprintf(f, "WARNING: some cases have < %d repetitions a side: their p-values "
			"see only within-run noise (unit 'smpl'); use --repetitions 5\n",
			ZB_CMP_MIN_REPS);
	for (i = 0; i < c->n; i++)
		if ((int)strlen(c->rows[i].name) > w)
			w = (int)strlen(c->rows[i].name);
	fprintf(f, "\n%-*s %9s %6s %9s %6s %8s %-20s %6s %4s %s\n", w, "case", "base", "+-",
		"new", "+-", "change", "95% CI of change", "p adj", "unit", "verdict");
	for (i = 0; i < c->n; i++)
		print_row(f, &c->rows[i], w);
	fprintf(f, "\nsummary: %d regressed, %d improved, %d no significant change, "
		"%d missing in new, %d added in new\n", c->counts[ZB_REGRESSED],
		c->counts[ZB_IMPROVED], c->counts[ZB_SAME], c->counts[ZB_MISSING],
		c->counts[ZB_ADDED]);
}

static void row_json(struct zb_json *j, const struct zb_cmp_row *r)
{
	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "name", r->name);
	zb_json_str(j, "verdict", r->verdict == ZB_REGRESSED ? "regressed" :
		    r->verdict == ZB_IMPROVED ? "improved" : r->verdict == ZB_SAME ?
		    "no significant change" : r->verdict == ZB_MISSING ? "missing" : "added");
	if (r->verdict != ZB_MISSING && r->verdict != ZB_ADDED) {
		zb_json_str(j, "unit", r->by_reps ? "repetition medians" : "samples");
		zb_json_int(j, "n_base", (long long)r->n_base);
		zb_json_int(j, "n_new", (long long)r->n_new);
		zb_json_num(j, "base_median_ns", r->base);
		zb_json_num(j, "new_median_ns", r->new_);
		zb_json_num(j, "base_spread_pct", r->base_sd_pct);
		zb_json_num(j, "new_spread_pct", r->new_sd_pct);
		zb_json_num(j, "change_pct", r->change_pct);
		zb_json_num(j, "ci95_lo_pct", r->ci_lo_pct);
		zb_json_num(j, "ci95_hi_pct", r->ci_hi_pct);
		zb_json_num(j, "p", r->p);
		zb_json_num(j, "p_adj", r->p_adj);
	}
	zb_json_obj_end(j);
}

static void print_json(struct zb_json *j, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	int i;

	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "schema", "zapbench-compare");
	zb_json_int(j, "schema_version", 1);
	zb_json_str(j, "base", a->base_arg);
	zb_json_str(j, "new", a->new_arg);
	zb_json_obj_begin(j, "method");
	zb_json_str(j, "test", "mann-whitney-u");
	zb_json_str(j, "correction", zb_correction_name(a->o.corr));
	zb_json_num(j, "alpha", a->o.alpha);
	zb_json_num(j, "threshold_pct", a->o.threshold_pct);
	zb_json_obj_end(j);
	zb_json_arr_begin(j, "warnings");
	for (i = 0; i < c->nr_warnings; i++)
		zb_json_str(j, NULL, c->warnings[i]);
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "cases");
	for (i = 0; i < c->n; i++)
		row_json(j, &c->rows[i]);
	zb_json_arr_end(j);
	zb_json_obj_begin(j, "summary");
	zb_json_int(j, "regressed", c->counts[ZB_REGRESSED]);
	zb_json_int(j, "improved", c->counts[ZB_IMPROVED]);
	zb_json_int(j, "unchanged", c->counts[ZB_SAME]);
	zb_json_int(j, "missing", c->counts[ZB_MISSING]);
	zb_json_int(j, "added", c->counts[ZB_ADDED]);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
}

/* Render into memory, then stdout or an atomic file. */
int cmp_emit(const struct cmp_args *a, void (*text)(FILE *, const struct cmp_args *))
{
	struct zb_atomic at;
	struct zb_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int err;

	if (!strcmp(a->format, "json")) {
		zb_json_init(&j);
		print_json(&j, a);
		buf = j.buf;
		len = j.len;
	} else {
		m = open_memstream(&buf, &len);
		if (!m)
			return ZB_EXIT_FAIL;
		text(m, a);
		fclose(m);
	}
	if (!a->out) {
		fwrite(buf, 1, len, stdout);
		free(buf);
		return 0;
	}
	err = zb_atomic_open(&at, a->out);
	if (!err)
		err = zb_atomic_commit(&at, buf, len);
	free(buf);
	if (err) {
		zb_err("cannot write --out %s: %s", a->out, strerror(-err));
		return ZB_EXIT_USAGE;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct cmp_args a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = cmp_prepare(&a, argc, argv, usage);
	if (!ret)
		ret = cmp_emit(&a, print_text);
	if (!ret && a.cmp.counts[ZB_REGRESSED])
		ret = ZB_EXIT_FAIL;
	cmp_release(&a);
	return ret;
}
