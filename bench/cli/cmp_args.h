/* SPDX-License-Identifier: GPL-2.0 */
/* What `compare` and `report` share: arguments, loading, the comparison. */
#ifndef ZB_CMP_ARGS_H
#define ZB_CMP_ARGS_H

#include <stdio.h>

#include "cli/opts.h"
#include "compare/compare.h"
#include "record/json.h"

struct cmp_args {
	struct zb_cmp_opts o;
	const char *base_arg, *new_arg;
	const char *format;		/* compare: text | json */
	const char *out;
	int out_lock;			/* --out's lock (outpath.h), -1: none */
	int all;			/* report: every row, not only changes */
	const char *reproduce;		/* report: the command that made it (ab), or NULL */
	struct zb_jval base[ZB_CMP_MAX_RECORDS], new_[ZB_CMP_MAX_RECORDS];
	const struct zb_jval *bp[ZB_CMP_MAX_RECORDS], *np[ZB_CMP_MAX_RECORDS];
	char *base_path[ZB_CMP_MAX_RECORDS], *new_path[ZB_CMP_MAX_RECORDS];
	int nb, nn;
	struct zb_cmp cmp;
	/* per row of cmp, the profile diff of a regressed one (cmp_perf.c), else NULL */
	char **profile;
};

/*
 * The whole of a comparing command: parse "BASE[,BASE2...] NEW[,NEW2...]
 * [options]", load and compare, print through @text (or JSON with
 * --format json when @json_ok) to stdout or --out.  Returns the exit
 * code: 0, 1 on a regression, 2 on bad usage or input (one line said).
 */
int cmp_main(int argc, char **argv, const char *usage, const char *tail,
	     void (*text)(FILE *, const struct cmp_args *), int json_ok);
/* The verdict options' defaults: +-5 %, alpha 0.05, Holm. */
void cmp_opts_default(struct zb_cmp_opts *o);
/* --correction's CLI_T_FN: *(enum zb_correction *)ctx. */
int cmp_correction_opt(void *ctx, const struct cli_opt *o, const char *val);
/* The verdict options of @o (a struct zb_cmp_opts *), as cli/opts.h entries. */
#define CMP_THRESHOLD_OPTS(o)								\
	CLI_DOUBLE("--threshold", 't', "PCT", &(o)->threshold_pct, 0.1, 1000,		\
		   "the change that matters, T (default 5)"),				\
	CLI_DOUBLE("--alpha", 0, "A", &(o)->alpha, 1e-9, 0.5, "family-wise error (holm) "	\
		   "or false coverage (bh)\n(default 0.05)")
#define CMP_VERDICT_OPTS(o)								\
	CMP_THRESHOLD_OPTS(o),								\
	CLI_FN("--correction", 0, "holm|bh|none", cmp_correction_opt, &(o)->corr,	\
	       "adjustment over the gated points (default holm)")
/* The comparison of the loaded sides into a->cmp; an exit code (errors said). */
int cmp_run(struct cmp_args *a);
/* Text (through @text) or JSON ("json") to @out atomically, or stdout. */
int cmp_output(const struct cmp_args *a, void (*text)(FILE *, const struct cmp_args *),
	       const char *format, const char *out);
/* compare's text output, which ab prints too. */
void compare_text(FILE *f, const struct cmp_args *a);
/* A string of a record's context, "unknown" when it has none. */
const char *cmp_ctx(const struct zb_jval *rec, const char *key);
/* Each regressed row's profile diff (or why there is none) into a->profile. */
void cmp_profiles(struct cmp_args *a);
void cmp_profiles_free(struct cmp_args *a);
/* report's text: a mail of <= 80 ASCII columns (cmd_report.c). */
void report_text(FILE *f, const struct cmp_args *a);
/* "method: ..." line shared by both outputs. */
void cmp_method(const struct cmp_args *a, char *buf, size_t len);

#endif
