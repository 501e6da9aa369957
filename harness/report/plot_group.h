/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Points grouped into a figure's lines (or bar clusters): the points of
 * one group differ only in the parameter on the axis.  Labels name only
 * what varies between groups; what all share goes to the subtitle.
 */
#ifndef ZB_PLOT_GROUP_H
#define ZB_PLOT_GROUP_H

#include "record/record_points.h"

struct zb_pgroup {
	char label[256];		/* "ftruncate populate:yes" */
	const struct zb_rpoint *first;
	const struct zb_rpoint **pt;	/* members, sorted by the axis parameter */
	int n;
};

struct zb_pgroups {
	struct zb_pgroup *g;
	int n;
	char common[256];		/* "mode:process cpus:2": shared by every point */
};

/*
 * Points of cases named @prefix... (but not @skip...) that have parameter
 * @axis, grouped by
 * their case and every other parameter.  Members are sorted by @axis
 * (numerically when it is a number).
 */
int zb_pgroups_make(const struct zb_rpoints *pts, const char *prefix, const char *skip,
		    const char *axis, struct zb_pgroups *out);
void zb_pgroups_free(struct zb_pgroups *gs);
/* @axis of a point as a number (NaN if not one) or text. */
double zb_pgroup_x(const struct zb_rpoint *pt, const char *axis);
const char *zb_pgroup_val(const struct zb_rpoint *pt, const char *axis, char *buf, size_t len);

#endif
