/* SPDX-License-Identifier: GPL-2.0 */
/* The paired comparison of two sides' completed rounds (ab and selftest). */
#ifndef ZB_AB_CMP_H
#define ZB_AB_CMP_H

#include "cli/ab_run.h"
#include "cli/cmp_args.h"

/*
 * Load rounds 1..@done of sides @sa (base) and @sb (new) of @p into a
 * new cmp_args with options @o and compare them paired.  NULL on error
 * (one line said).
 */
struct cmp_args *ab_compare(const struct ab_plan *p, int done, int sa, int sb,
			    const struct zb_cmp_opts *o);
void ab_compare_free(struct cmp_args *a);
/* The rounds an earlier ab left in p->dir: pairs round-NN-a.json, -b.json from 1 on. */
int ab_completed(const struct ab_plan *p);
/* @p set to read the two sides of ab's directory @dir; its completed rounds. */
int ab_plan_dir(struct ab_plan *p, const char *dir);

#endif
