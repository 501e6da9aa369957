// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmp_args.h"
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

int cmp_prepare(struct cmp_args *a, int argc, char **argv, const char *usage)
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

void cmp_release(struct cmp_args *a)
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
