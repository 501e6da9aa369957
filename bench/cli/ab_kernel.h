/* SPDX-License-Identifier: GPL-2.0 */
/* zapbench ab --kernel: sides that are kernels, and --resolve's plan. */
#ifndef ZB_AB_KERNEL_H
#define ZB_AB_KERNEL_H

#include "cli/ab_run.h"
#include "compare/compare.h"

/* Rounds of the pilot --resolve plans from. */
#define AB_PILOT_ROUNDS		4
#define AB_MAX_ROUNDS		30

/* "IMAGE[:KDIR]" as side @s: 0, or -EINVAL (said). */
int ab_kernel_spec(struct ab_plan *p, int s, const char *spec);
/*
 * After parsing @nk --kernel options: both sides set (one kernel twice for
 * --aa), the images readable and, unless @aa, not the same content, and
 * scripts/vm found.  0, or -EINVAL (said).
 */
int ab_kernel_check(struct ab_plan *p, int nk, int aa);
/*
 * From the pilot's comparison @c (at threshold +-PCT): the rounds that
 * resolve +-PCT at 90 % of the gated points, at least the pilot's and
 * the fewest that can reach the correction's level, at most @max.  One
 * line on how it was chosen goes to @why.
 */
int ab_resolve_rounds(const struct zb_cmp *c, int pilot, int max, const struct zb_cmp_opts *o,
		      char *why, size_t len);

#endif
