/* SPDX-License-Identifier: GPL-2.0 */
/* The JSON reader's fast path (json_fast.c), for json_read.c. */
#ifndef ZB_JSON_FAST_H
#define ZB_JSON_FAST_H

#include <stddef.h>

#include "record/json.h"

/*
 * Parse a document that is an object or an array into @out, all of it in
 * an arena its root owns.  0, -ENOMEM, or -EAGAIN for anything else
 * (invalid, or valid but left to jansson): @out is then empty.  @mapped:
 * @text is a read-only file mapping, whose pages behind the parser may
 * be given back as it goes (they can be read again).
 */
int zb_json_parse_fast(const char *text, size_t len, int mapped, struct zb_jval *out);
/* Free the arena of the root whose items array is @items: 1, or 0 if it has none. */
int zb_json_arena_release(const void *items);
/* zb_json_parse, of a text that is a read-only mapping when @mapped (record_load.c). */
int zb_json_parse_text(const char *text, size_t len, int mapped, struct zb_jval *out,
		       char *err, size_t errlen);

#endif
