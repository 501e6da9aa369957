// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmp_args.h"
#include "outpath.h"
#include "record/json.h"
#include "record/record_load.h"
#include "util.h"

static int load_side(const char *list, struct zb_jval *recs, const struct zb_jval **ptrs,
		     char **paths, int *n)
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
		paths[*n] = strdup(path);
		if (!paths[*n]) {
			zb_jval_free(&recs[*n]);
			ret = -ENOMEM;
			break;
		}
		(*n)++;
	}
	free(copy);
	if (!ret && !*n) {
		zb_err("no record given in '%s'", list);
		ret = -EINVAL;
	}
	return ret;
}

void cmp_opts_default(struct zb_cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold_pct = 5;
	o->alpha = 0.05;
	o->corr = ZB_CORR_HOLM;
}

int cmp_correction_opt(void *ctx, const struct cli_opt *o, const char *val)
{
	if (zb_correction_parse(val, ctx)) {
		zb_err("%s: '%s' is not holm, bh or none", o->name, val);
		return -EINVAL;
	}
	return 0;
}

static int set_format(void *ctx, const struct cli_opt *o, const char *val)
{
	if (strcmp(val, "text") && strcmp(val, "json")) {
		zb_err("%s: '%s' is not text or json", o->name, val);
		return -EINVAL;
	}
	*(const char **)ctx = val;
	return 0;
}

/* BASE, then NEW. */
static int add_side(void *ctx, const char *word)
{
	struct cmp_args *a = ctx;

	if (a->new_arg) {
		zb_err("unexpected argument '%s': give BASE and NEW only", word);
		return -EINVAL;
	}
	*(a->base_arg ? &a->new_arg : &a->base_arg) = word;
	return 0;
}

int cmp_run(struct cmp_args *a)
{
	char why[512];
	int err = zb_compare(a->bp, a->nb, a->np, a->nn, &a->o, &a->cmp, why, sizeof(why));

	if (err == -EXDEV) {
		char b[80], n[80];

		zb_record_machine_name(a->bp[0], b, sizeof(b));
		zb_record_machine_name(a->np[0], n, sizeof(n));
		fprintf(stderr, "base: machine %s\nnew:  machine %s\n", b, n);
	}
	if (err) {
		zb_err("%s", why);
		return ZB_EXIT_USAGE;
	}
	return 0;
}

static int cmp_prepare(struct cmp_args *a, int argc, char **argv, const char *usage,
		       const char *tail)
{
	const struct cli_opt opts[] = {
		CMP_VERDICT_OPTS(&a->o),
		CLI_FLAG("--paired", 'p', &a->o.paired, "round k of BASE pairs with round k of "
			 "NEW (zapbench ab)"),
		CLI_FLAG("--cross-machine", 0, &a->o.cross_machine, "compare records of two "
			 "machines anyway"),
		CLI_FLAG("--all", 0, &a->all, "every point, also those with no change"),
		CLI_FN("--format", 0, "text|json", set_format, &a->format, "output (default "
		       "text)"),
		CLI_STR("--out", 'o', "FILE", &a->out, "write the output there (atomically) "
			"instead of stdout"),
		CLI_END
	};
	char prog[64];
	struct cli_cmd cmd = { .prog = prog, .usage = usage, .opts = opts, .tail = tail,
			       .arg = add_side, .ctx = a };
	int ret;

	snprintf(prog, sizeof(prog), "zapbench %s", argv[0]);
	cmp_opts_default(&a->o);
	a->format = "text";
	ret = cli_parse(&cmd, argc, argv);
	if (ret)
		return ret == CLI_HELP ? -1 : cli_exit(ret);
	if (!a->new_arg) {
		zb_err("needs two records: BASE.json NEW.json (see --help)");
		return ZB_EXIT_USAGE;
	}
	if (a->out && cli_out("--out", a->out, CLI_OUT_LOCK, &a->out_lock))
		return ZB_EXIT_USAGE;
	if (load_side(a->base_arg, a->base, a->bp, a->base_path, &a->nb) ||
	    load_side(a->new_arg, a->new_, a->np, a->new_path, &a->nn))
		return ZB_EXIT_USAGE;
	return cmp_run(a);
}

static void cmp_release(struct cmp_args *a)
{
	int i;

	cmp_profiles_free(a);
	for (i = 0; i < a->nb; i++) {
		zb_jval_free(&a->base[i]);
		free(a->base_path[i]);
	}
	for (i = 0; i < a->nn; i++) {
		zb_jval_free(&a->new_[i]);
		free(a->new_path[i]);
	}
	zb_cmp_free(&a->cmp);
}

void cmp_method(const struct cmp_args *a, char *buf, size_t len)
{
	zb_cmp_design(&a->cmp, &a->o, buf, len);
}

static void num_or_null(struct zb_json *j, const char *key, double v)
{
	if (isfinite(v))
		zb_json_num(j, key, v);
	else
		zb_json_null(j, key);
}

static void row_json(struct zb_json *j, const struct zb_cmp_row *r)
{
	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "name", r->name);
	zb_json_str(j, "verdict", zb_verdict_word(r->verdict));
	if (r->verdict != ZB_MISSING && r->verdict != ZB_ADDED) {
		zb_json_int(j, "rounds_base", r->n_base);
		zb_json_int(j, "rounds_new", r->n_new);
		num_or_null(j, "base_median_ns", r->base);
		num_or_null(j, "new_median_ns", r->new_);
		num_or_null(j, "base_between_round_sd_pct", r->base_sd_pct);
		num_or_null(j, "new_between_round_sd_pct", r->new_sd_pct);
		num_or_null(j, "base_round_min_ns", r->base_min);
		num_or_null(j, "base_round_max_ns", r->base_max);
		num_or_null(j, "new_round_min_ns", r->new_min);
		num_or_null(j, "new_round_max_ns", r->new_max);
		num_or_null(j, "change_pct", r->change_pct);
		num_or_null(j, "ci_lo_pct", r->ci_lo_pct);
		num_or_null(j, "ci_hi_pct", r->ci_hi_pct);
		num_or_null(j, "ci_level", r->level);
		num_or_null(j, "p", r->p);
		num_or_null(j, "p_adj", r->p_adj);
		num_or_null(j, "mde_pct", r->mde_pct);
		if (r->rounds_needed > 0)
			zb_json_int(j, "rounds_for_threshold", r->rounds_needed);
		else
			zb_json_null(j, "rounds_for_threshold");
		zb_json_obj_begin(j, "variance_components");
		zb_json_str(j, "scale", "log of the round median, as %");
		num_or_null(j, "between_rounds_sd_pct", r->sd_between_pct);
		num_or_null(j, "within_round_sd_pct", r->sd_within_pct);
		zb_json_obj_end(j);
	}
	zb_json_obj_end(j);
}

static void side_json(struct zb_json *j, const char *key, const char *arg, const char *id,
		      const char *machine, int rounds)
{
	zb_json_obj_begin(j, key);
	zb_json_str(j, "records", arg);
	zb_json_str(j, "machine_id", id);
	zb_json_str(j, "machine", machine);
	zb_json_int(j, "rounds", rounds);
	zb_json_obj_end(j);
}

static void print_json(struct zb_json *j, const struct cmp_args *a)
{
	const struct zb_cmp *c = &a->cmp;
	int i;

	zb_json_obj_begin(j, NULL);
	zb_json_str(j, "schema", "zapbench-compare");
	zb_json_int(j, "schema_version", 2);
	side_json(j, "base", a->base_arg, c->base_id, c->base_machine, c->rounds_base);
	side_json(j, "new", a->new_arg, c->new_id, c->new_machine, c->rounds_new);
	zb_json_obj_begin(j, "method");
	zb_json_str(j, "unit", "round (one run of the suite), its median per point");
	zb_json_str(j, "design", c->paired ? "paired" : "unpaired");
	zb_json_str(j, "estimate", "Hodges-Lehmann ratio new/base");
	zb_json_str(j, "interval", c->paired ? "exact Wilcoxon signed-rank" : "exact Mann-Whitney");
	zb_json_str(j, "correction", zb_correction_name(a->o.corr));
	zb_json_num(j, "alpha", a->o.alpha);
	zb_json_int(j, "gated_points", c->nr_tested);
	zb_json_num(j, "threshold_pct", a->o.threshold_pct);
	zb_json_num(j, "mde_power", ZB_CMP_POWER);
	zb_json_bool(j, "cross_machine", c->cross_machine);
	zb_json_obj_end(j);
	zb_json_arr_begin(j, "warnings");
	for (i = 0; i < c->nr_warnings; i++)
		zb_json_str(j, NULL, c->warnings[i]);
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "points");
	for (i = 0; i < c->n; i++)
		row_json(j, &c->rows[i]);
	zb_json_arr_end(j);
	zb_json_obj_begin(j, "summary");
	for (i = 0; i < ZB_NR_VERDICTS; i++)
		zb_json_int(j, zb_verdict_word((enum zb_verdict)i), c->counts[i]);
	num_or_null(j, "inconclusive_median_mde_pct", c->median_mde_pct);
	num_or_null(j, "session_shift_pct", c->session_shift_pct);
	zb_json_bool(j, "session_moved_no_verdicts", c->session_moved);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
}

/* Render into memory, then stdout or an atomic file. */
int cmp_output(const struct cmp_args *a, void (*text)(FILE *, const struct cmp_args *),
	       const char *format, const char *out)
{
	struct zb_atomic at;
	struct zb_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int err;

	if (!strcmp(format, "json")) {
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
	if (!out) {
		fwrite(buf, 1, len, stdout);
		free(buf);
		return 0;
	}
	err = zb_atomic_open(&at, out);
	if (!err)
		err = zb_atomic_commit(&at, buf, len);
	free(buf);
	if (err) {
		zb_err("cannot write %s: %s", out, strerror(-err));
		return ZB_EXIT_USAGE;
	}
	return 0;
}

const char *cmp_ctx(const struct zb_jval *rec, const char *key)
{
	const char *s = zb_jobj_str(zb_jobj_get(rec, "context"), key);

	return s ? s : "unknown";
}

int cmp_main(int argc, char **argv, const char *usage, const char *tail,
	     void (*text)(FILE *, const struct cmp_args *), int json_ok)
{
	struct cmp_args *a = calloc(1, sizeof(*a));
	int ret;

	if (!a)
		return ZB_EXIT_FAIL;
	a->out_lock = -1;
	ret = cmp_prepare(a, argc, argv, usage, tail);
	/* after --help: nothing more to do */
	if (ret < 0) {
		free(a);
		return ZB_EXIT_OK;
	}
	if (!ret && !json_ok && !strcmp(a->format, "json")) {
		zb_err("%s is text only; use compare --format json", argv[0]);
		ret = ZB_EXIT_USAGE;
	}
	if (!ret && !strcmp(a->format, "text"))
		cmp_profiles(a);
	if (!ret)
		ret = cmp_output(a, text, a->format, a->out);
	if (!ret && a->cmp.counts[ZB_REGRESSED])
		ret = ZB_EXIT_FAIL;
	zb_out_unlock(a->out, a->out_lock);
	cmp_release(a);
	free(a);
	return ret;
}
