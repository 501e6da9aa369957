/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a result record back.  compare, plot and history all start
 * here, so a file that is not a record of this schema version is refused
 * once, with one line saying why, instead of surfacing later as a
 * missing field.
 */
#ifndef ZB_RECORD_LOAD_H
#define ZB_RECORD_LOAD_H

#include <stddef.h>

#include "record/json.h"

/*
 * Parse @path into @out.  Checks: readable, valid JSON, an object with
 * "schema" == "zapbench-result", "schema_version" == ZB_SCHEMA_VERSION
 * and a "benchmarks" array whose rows have fields of the right types and
 * values that can be what the row says they are (record/row_kind.h): all
 * finite, and in a latency row a median above zero and nothing below zero
 * by more than context.timer.floor_ns.  Returns 0, or a negative errno with the
 * reason in @err ("r.json: schema_version 2, this zapbench reads 1"),
 * the path included.  -ENOENT/-EACCES/... for I/O, -EINVAL for content.
 * On error @out is left empty (safe to zb_jval_free).
 */
int zb_record_load(const char *path, struct zb_jval *out, char *err, size_t errlen);

/* The same checks on a document already parsed; @what names it in @err. */
int zb_record_check(const struct zb_jval *v, const char *what, char *err, size_t errlen);

#endif
