/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a regression spent its time on: two perf.data files of one point
 * (zapbench run --perf-record), each read as its symbols' shares of the
 * samples (perf report --stdio --sort sym), and the symbols whose share
 * moved most, as LKP's perf-profile section lists them.
 */
#ifndef ZB_PROFILE_H
#define ZB_PROFILE_H

#include <stddef.h>

#define ZB_PROFILE_TOP		5	/* symbols listed per regressed point */
#define ZB_PROFILE_REPORT_S	60	/* one perf report at most */

struct zb_prof_sym {
	char name[128];
	double pct;			/* share of the samples, % */
};

struct zb_profile {
	struct zb_prof_sym *sym;
	int n;
};

struct zb_prof_change {
	char name[128];
	double base, new_;		/* shares, %; 0: no sample there */
};

/* perf report of @perf_data; 0, or -errno with one line in @why. */
int zb_profile_load(const char *perf_data, struct zb_profile *p, char *why, size_t len);
/* The symbols of perf report's --stdio lines "  12.34%  [.] name" (for tests too). */
int zb_profile_parse(const char *text, struct zb_profile *p);
void zb_profile_free(struct zb_profile *p);
/* @name's share, %; 0 where it has no sample. */
double zb_profile_share(const struct zb_profile *p, const char *name);
/* The up to @max symbols whose share changed most, largest |change| first; how many. */
int zb_profile_diff(const struct zb_profile *base, const struct zb_profile *new_,
		    struct zb_prof_change *out, int max);

#endif
