/* SPDX-License-Identifier: GPL-2.0 */
/* What `compare` and `report` share: arguments, loading, the comparison. */
#ifndef ZB_CMP_ARGS_H
#define ZB_CMP_ARGS_H

#include <stdio.h>

#include "compare.h"
#include "json.h"

struct cmp_args {
	struct zb_cmp_opts o;
	const char *base_arg, *new_arg;
	const char *format;		/* compare: text | json */
	const char *out;
	int all;			/* report: every row, not only changes */
	struct zb_jval base[ZB_CMP_MAX_RECORDS], new_[ZB_CMP_MAX_RECORDS];
	const struct zb_jval *bp[ZB_CMP_MAX_RECORDS], *np[ZB_CMP_MAX_RECORDS];
	int nb, nn;
	struct zb_cmp cmp;
};

/*
 * The whole of a comparing command: parse "BASE[,BASE2...] NEW[,NEW2...]
 * [options]", load and compare, print through @text (or JSON with
 * --format json when @json_ok) to stdout or --out.  Returns the exit
 * code: 0, 1 on a regression, 2 on bad usage or input (one line said).
 */
int cmp_main(int argc, char **argv, const char *usage,
	     void (*text)(FILE *, const struct cmp_args *), int json_ok);
/* A string of a record's context, "unknown" when it has none. */
const char *cmp_ctx(const struct zb_jval *rec, const char *key);
/* "method: ..." line shared by both outputs. */
void cmp_method(const struct cmp_args *a, char *buf, size_t len);

#endif
