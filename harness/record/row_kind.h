/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a record row's values are: latencies (never below zero but for
 * timer noise) or differences (a cost over a baseline, of either sign),
 * and how they were timed.  Rows say so themselves ("value_kind",
 * "self_timed", "ops_per_sample"); rows written before those fields
 * (2026-12-02, same schema_version: they were added compatibly) are
 * judged by their case's name, the one rule below (datasets/README.md).
 */
#ifndef ZB_ROW_KIND_H
#define ZB_ROW_KIND_H

#include "record/json.h"

enum zb_row_kind {
	ZB_ROW_LATENCY,
	ZB_ROW_DIFFERENCE,
	ZB_ROW_KIND_BAD,	/* "value_kind" is something else */
};

/* "value_kind"; absent: a difference for kmod_barrier/cost, else a latency. */
enum zb_row_kind zb_row_kind(const struct zb_jval *row);
/*
 * "self_timed" (the case timed itself, in the kernel: zb_sample_ns());
 * absent: kmod_revoke/, kmod_barrier/ and devmem_revoke/, the cases that do.
 */
int zb_row_self_timed(const struct zb_jval *row);
/*
 * Timed by the harness one operation per sample, so that the timer's
 * floor bounds the values: not self-timed and "ops_per_sample" 1
 * (absent: batched for barrier/, one for the rest).
 */
int zb_row_timer_floored(const struct zb_jval *row);

#endif
