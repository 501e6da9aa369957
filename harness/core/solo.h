/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One timed worker in the calling process: the case's hooks driven the
 * way the runner drives them, for a caller that owns the loop (the
 * Google Benchmark shim).  No conductor, so no crash isolation and no
 * peers: zapbench run does those.
 */
#ifndef ZB_SOLO_H
#define ZB_SOLO_H

#include "core/runner.h"

struct zb_solo;

/*
 * ->check, ->setup, ->worker_setup and ->validate on the first CPU of
 * @o->cpus (pinned), then @o->warmup untimed ops.  NULL on failure,
 * with the reason in @why and *@skipped set if the case cannot run here.
 */
struct zb_solo *zb_solo_start(const struct zb_case *c, const struct zb_point *pt,
			      const struct zb_options *o, char *why, size_t len, int *skipped);
/*
 * ->prepare, then the timed ->op: @ns is the whole call (->batch
 * operations), @ctr the counts (NAN where not counted).
 */
int zb_solo_op(struct zb_solo *s, double *ns, double ctr[ZB_MAX_EVENTS]);
const char *zb_solo_msg(const struct zb_solo *s);
/* ->worker_teardown and ->teardown. */
void zb_solo_end(struct zb_solo *s);

#endif
