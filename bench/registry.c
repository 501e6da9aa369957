// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <stdlib.h>

#include "registry.h"

static const struct zb_case *const families[] = {
#define ZB_FAMILY(fam)	zb_family_##fam,
#include "families.h"
#undef ZB_FAMILY
};

const struct zb_case *const *zb_all_cases(void)
{
	static const struct zb_case *all[256];
	int hidden = !getenv("ZAPBENCH_TEST_CASES");
	size_t i, n = 0;
	const struct zb_case *c;

	if (all[0])
		return all;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		for (c = families[i]; c->name && n < 255; c++)
			if (!(hidden && (c->flags & ZB_CASE_HIDDEN)))
				all[n++] = c;
	return all;
}
