/* SPDX-License-Identifier: GPL-2.0 */
/* The comparison as text: the table and the four-way summary. */
#ifndef ZB_CMP_TABLE_H
#define ZB_CMP_TABLE_H

#include <stdio.h>

#include "compare/compare.h"

/*
 * Every point with a verdict other than "no change" (all: every point);
 * @below (NULL, or per row NULL) is printed under its row as it is.
 */
void zb_cmp_table(FILE *f, const struct zb_cmp *c, const struct zb_cmp_opts *o, int all,
		  char *const *below);
/* "who: 1 regressed, 0 improved, 60 no change, 13 inconclusive of 74 ...", and the MDE line. */
void zb_cmp_summary(FILE *f, const char *who, const struct zb_cmp *c,
		    const struct zb_cmp_opts *o);

#endif
