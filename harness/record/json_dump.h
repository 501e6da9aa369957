/* SPDX-License-Identifier: GPL-2.0 */
/* A parsed value written back out: for storing parts of records elsewhere. */
#ifndef ZB_JSON_DUMP_H
#define ZB_JSON_DUMP_H

#include "record/json.h"

/*
 * Append @v under @key (NULL for array members and the top level).  The
 * output depends only on the value, not on the spacing it was read with,
 * so it also serves as a canonical form to hash.
 */
void zb_json_val(struct zb_json *j, const char *key, const struct zb_jval *v);

#endif
