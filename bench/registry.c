// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"

static const struct zb_case *const families[] = {
#define ZB_FAMILY(fam)	zb_family_##fam,
#include "families.h"
#undef ZB_FAMILY
};

#define NR_FAMILIES	(sizeof(families) / sizeof(families[0]))

/*
 * Built once, as many cases as the families have: no silent cap.  The
 * test-only cases (ZB_CASE_HIDDEN) only when ZAPBENCH_TEST_CASES is set.
 */
const struct zb_case *const *zb_all_cases(void)
{
	static const struct zb_case **all;
	int hidden = !getenv("ZAPBENCH_TEST_CASES");
	const struct zb_case *c;
	size_t i, n = 0;

	if (all)
		return all;
	for (i = 0; i < NR_FAMILIES; i++)
		for (c = families[i]; c->name; c++)
			n++;
	all = calloc(n + 1, sizeof(*all));
	if (!all) {
		fprintf(stderr, "zapbench: out of memory listing %zu cases\n", n);
		exit(1);
	}
	n = 0;
	for (i = 0; i < NR_FAMILIES; i++)
		for (c = families[i]; c->name; c++)
			if (!(hidden && (c->flags & ZB_CASE_HIDDEN)))
				all[n++] = c;
	return all;
}
