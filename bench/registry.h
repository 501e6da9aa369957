/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZB_REGISTRY_H
#define ZB_REGISTRY_H

#include "case.h"

/* A family file defines zb_family_<name>[], ended by { .name = NULL }. */
#define ZB_FAMILY(fam)	extern const struct zb_case zb_family_##fam[];
#include "families.h"
#undef ZB_FAMILY

/*
 * Every case of every family, NULL-terminated; the ZB_CASE_HIDDEN ones only
 * with ZAPBENCH_TEST_CASES set in the environment.
 */
extern const struct zb_case *const *zb_all_cases(void);

#endif
