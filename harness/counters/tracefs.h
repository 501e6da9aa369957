/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoint ids from tracefs, for perf_event_open(PERF_TYPE_TRACEPOINT). */
#ifndef ZB_TRACEFS_H
#define ZB_TRACEFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The id of "sys:name" (e.g. "tlb:tlb_flush").  Mounts tracefs if it is
 * missing and we may.  Errors, with one line in @why: -EINVAL a malformed
 * name, -ENOENT no such tracepoint on this kernel, -ENODEV no tracefs.
 */
int zb_tracepoint_id(const char *name, uint64_t *id, char *why, size_t len);

#endif
