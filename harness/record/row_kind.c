// SPDX-License-Identifier: GPL-2.0
/* What a record row's values are: its own fields, or the rule for older rows. */
#include <string.h>

#include "record/row_kind.h"
#include "util.h"

static int case_has_prefix(const struct zb_jval *row, const char *const *pfx, size_t n)
{
	const char *c = zb_jobj_str(row, "case");
	size_t i;

	for (i = 0; c && i < n; i++)
		if (!strncmp(c, pfx[i], strlen(pfx[i])))
			return 1;
	return 0;
}

enum zb_row_kind zb_row_kind(const struct zb_jval *row)
{
	static const char *const diff[] = { "kmod_barrier/cost" };
	const struct zb_jval *v = zb_jobj_get(row, "value_kind");

	if (!v)
		return case_has_prefix(row, diff, ZB_ARRAY_SIZE(diff)) ? ZB_ROW_DIFFERENCE
								       : ZB_ROW_LATENCY;
	if (v->type == ZB_JSTR && !strcmp(v->str, "latency"))
		return ZB_ROW_LATENCY;
	if (v->type == ZB_JSTR && !strcmp(v->str, "difference"))
		return ZB_ROW_DIFFERENCE;
	return ZB_ROW_KIND_BAD;
}

int zb_row_self_timed(const struct zb_jval *row)
{
	static const char *const self[] = { "kmod_revoke/", "kmod_barrier/", "devmem_revoke/" };
	const struct zb_jval *v = zb_jobj_get(row, "self_timed");

	if (v && v->type == ZB_JBOOL)
		return v->num != 0;
	return case_has_prefix(row, self, ZB_ARRAY_SIZE(self));
}

int zb_row_timer_floored(const struct zb_jval *row)
{
	static const char *const batched[] = { "barrier/" };
	const struct zb_jval *v = zb_jobj_get(row, "ops_per_sample");

	if (zb_row_self_timed(row))
		return 0;
	if (v && v->type == ZB_JNUM)
		return v->num == 1;
	return !case_has_prefix(row, batched, ZB_ARRAY_SIZE(batched));
}
