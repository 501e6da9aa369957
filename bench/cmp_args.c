// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmp_args.h"
#include "json.h"
#include "record_load.h"
#include "util.h"

static int load_side(const char *list, struct zb_jval *recs, const struct zb_jval **ptrs,
		     int *n)
{
	char *copy = strdup(list), *save, *path;
	char err[256];
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	*n = 0;
	for (path = strtok_r(copy, ",", &save); path; path = strtok_r(NULL, ",", &save)) {
		if (*n == ZB_CMP_MAX_RECORDS) {
			zb_err("more than %d records on one side", ZB_CMP_MAX_RECORDS);
			ret = -E2BIG;
			break;
		}
		ret = zb_record_load(path, &recs[*n], err, sizeof(err));
		if (ret) {
			zb_err("%s", err);
			break;
		}
		ptrs[*n] = &recs[*n];
		(*n)++;
	}
	free(copy);
	if (!ret && !*n) {
		zb_err("no record given in '%s'", list);
		ret = -EINVAL;
	}
	return ret;
}

static int parse_option(struct cmp_args *a, int argc, char **argv, int *i)
{
	const char *v;
	int m;

	if ((m = cli_value(argc, argv, i, "--threshold", &v)))
		return m < 0 ? m : cli_double("--threshold", v, 0, 1000, &a->o.threshold_pct);
	if ((m = cli_value(argc, argv, i, "--alpha", &v)))
		return m < 0 ? m : cli_double("--alpha", v, 1e-9, 0.5, &a->o.alpha);
	if ((m = cli_value(argc, argv, i, "--correction", &v))) {
		if (m < 0)
			return m;
		if (zb_correction_parse(v, &a->o.corr)) {
			zb_err("--correction: '%s' is not holm, bh or none", v);
			return -EINVAL;
		}
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--format", &a->format))) {
		if (m < 0)
			return m;
		if (strcmp(a->format, "text") && strcmp(a->format, "json")) {
			zb_err("--format: '%s' is not text or json", a->format);
			return -EINVAL;
		}
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--out", &a->out)))
		return m < 0 ? m : 0;
	if (!strcmp(argv[*i], "--all")) {
		a->all = 1;
		return 0;
	}
	zb_err("unknown option '%s' (see --help)", argv[*i]);
	return -EINVAL;
}

static int cmp_prepare(struct cmp_args *a, int argc, char **argv, const char *usage)
{
	int i, err;

	a->o.threshold_pct = 5;
	a->o.alpha = 0.05;
	a->o.corr = ZB_CORR_HOLM;
	a->o.boot_iters = 1000;
	a->format = "text";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			exit(ZB_EXIT_OK);
		}
		if (!strncmp(argv[i], "--", 2)) {
			if (parse_option(a, argc, argv, &i))
				return ZB_EXIT_USAGE;
		} else if (!a->base_arg) {
			a->base_arg = argv[i];
		} else if (!a->new_arg) {
			a->new_arg = argv[i];
		} else {
			zb_err("unexpected argument '%s': give BASE and NEW only", argv[i]);
			return ZB_EXIT_USAGE;
		}
	}
	if (!a->new_arg) {
		zb_err("needs two records: BASE.json NEW.json (see --help)");
		return ZB_EXIT_USAGE;
	}
	if (load_side(a->base_arg, a->base, a->bp, &a->nb) ||
	    load_side(a->new_arg, a->new_, a->np, &a->nn))
		return ZB_EXIT_USAGE;
	err = zb_compare(a->bp, a->nb, a->np, a->nn, &a->o, &a->cmp);
	if (err) {
		zb_err("comparison failed: %s", strerror(-err));
		return ZB_EXIT_USAGE;
	}
	return 0;
}

static void cmp_release(struct cmp_args *a)
{
	int i;

	for (i = 0; i < a->nb; i++)
		zb_jval_free(&a->base[i]);
	for (i = 0; i < a->nn; i++)
		zb_jval_free(&a->new_[i]);
	zb_cmp_free(&a->cmp);
}

void cmp_method(const struct cmp_args *a, char *buf, size_t len)
{
	snprintf(buf, len, "Mann-Whitney U, %s-adjusted over %d cases, alpha %g, "
		 "threshold %g%%", zb_correction_name(a->o.corr), a->cmp.nr_tested,
		 a->o.alpha, a->o.threshold_pct);
}

static void row_json(struct zb_json *j, const struct zb_cmp_row *r)
{
	static const char *const words[] = {
		"no significant change", "regressed", "improved", "missing", "added", "stress",
	};

	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "name", r->name);
	zb_json_str(j, "verdict", words[r->verdict]);
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
	zb_json_int(j, "stress_not_gated", c->counts[ZB_STRESS]);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
}

/* Render into memory, then stdout or an atomic file. */
static int cmp_emit(const struct cmp_args *a, void (*text)(FILE *, const struct cmp_args *))
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

const char *cmp_ctx(const struct zb_jval *rec, const char *key)
{
	const char *s = zb_jobj_str(zb_jobj_get(rec, "context"), key);

	return s ? s : "unknown";
}

int cmp_main(int argc, char **argv, const char *usage,
	     void (*text)(FILE *, const struct cmp_args *), int json_ok)
{
	struct cmp_args *a = calloc(1, sizeof(*a));
	int ret;

	if (!a)
		return ZB_EXIT_FAIL;
	ret = cmp_prepare(a, argc, argv, usage);
	if (!ret && !json_ok && !strcmp(a->format, "json")) {
		zb_err("%s is text only; use compare --format json", argv[0]);
		ret = ZB_EXIT_USAGE;
	}
	if (!ret)
		ret = cmp_emit(a, text);
	if (!ret && a->cmp.counts[ZB_REGRESSED])
		ret = ZB_EXIT_FAIL;
	cmp_release(a);
	free(a);
	return ret;
}
