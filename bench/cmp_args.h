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
 * Parse "BASE[,BASE2...] NEW[,NEW2...] [options]", load the records and
 * compare them.  Returns 0, or an exit code after printing one line.
 */
int cmp_prepare(struct cmp_args *a, int argc, char **argv, const char *usage);
void cmp_release(struct cmp_args *a);
/* Text through @text, or JSON with --format json; to stdout or --out. */
int cmp_emit(const struct cmp_args *a, void (*text)(FILE *, const struct cmp_args *));
/* "method: ..." line shared by both outputs. */
void cmp_method(const struct cmp_args *a, char *buf, size_t len);

#endif
