/* SPDX-License-Identifier: GPL-2.0 */
/* Parameter lists ("1,10,100") and the sweep over a case's points. */
#ifndef ZB_PARAMS_H
#define ZB_PARAMS_H

#include "case.h"

#define ZB_MAX_VALUES	64

/* A --<name> v1,v2 given on the command line. */
struct zb_override {
	const char *name;
	const char *list;
};

struct zb_sweep {
	const struct zb_case *c;
	int nr_params;
	int nr_values[ZB_MAX_PARAMS];
	char values[ZB_MAX_PARAMS][ZB_MAX_VALUES][32];
};

/* Index of @val in a comma-separated @choices list, or -1. */
int zb_choice_index(const char *choices, const char *val);
/*
 * Check one value against its declaration; on error writes a one-line
 * reason to @why ("maps 0 out of range 1..10000000").
 */
int zb_param_check(const struct zb_param *p, const char *val, char *why, size_t len);
/*
 * Split and check a list; the values land in @out.  In a cpus list
 * "nproc" stands for @nproc, the number of usable CPUs.
 */
int zb_param_list(const struct zb_param *p, const char *list, int nproc,
		  char out[][32], int max, char *why, size_t len);
/* An enum's or mode's choices: its own, or for mode the harness's. */
const char *zb_param_choices(const struct zb_param *p);
/* The list swept without an override: quick_def (with @quick), def, all choices. */
const char *zb_param_default(const struct zb_param *p, int quick);
/* The help shown by zapbench list: the harness's for cpus and mode. */
const char *zb_param_help(const struct zb_case *c, const struct zb_param *p);
const struct zb_param *zb_case_param(const struct zb_case *c, const char *name);
/* How many workers a point runs (its cpus, else one) and whether as threads. */
void zb_point_workers(const struct zb_case *c, const struct zb_point *pt,
		      int *nr, enum zb_mode *mode);

/* Every point of @c; @nproc as for zb_param_list(). */
int zb_sweep_init(struct zb_sweep *s, const struct zb_case *c,
		  const struct zb_override *ov, int nr_ov, int quick, int nproc,
		  char *why, size_t len);
long zb_sweep_count(const struct zb_sweep *s);
/* The @idx-th point, last parameter varying fastest. */
void zb_sweep_point(const struct zb_sweep *s, long idx, struct zb_point *pt);
/* "revoke/ftruncate/maps:1000/populate:yes" */
void zb_point_name(const struct zb_case *c, const struct zb_point *pt,
		   char *buf, size_t len);
const char *zb_point_get(const struct zb_point *pt, const char *name);
/*
 * The inverse of zb_point_name(): find the case in @all (NULL-terminated)
 * and check every "/param:value".  -ENOENT (no such case), -EINVAL.
 */
int zb_point_parse(const struct zb_case *const *all, const char *name,
		   const struct zb_case **c, struct zb_point *pt, char *why, size_t len);

#endif
