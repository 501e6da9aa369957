// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/plot_group.h"

const char *zb_pgroup_val(const struct zb_rpoint *pt, const char *axis, char *buf, size_t len)
{
	return zb_rparam(pt->first, axis, buf, len);
}

double zb_pgroup_x(const struct zb_rpoint *pt, const char *axis)
{
	const struct zb_jval *v = zb_jobj_get(zb_jobj_get(pt->first, "params"), axis);

	return v && v->type == ZB_JNUM ? v->num : NAN;
}

static int selected(const struct zb_rpoint *pt, const char *prefix, const char *skip,
		    const char *axis)
{
	return !strncmp(pt->case_name, prefix, strlen(prefix)) &&
	       (!skip || strncmp(pt->case_name, skip, strlen(skip))) &&
	       zb_jobj_get(zb_jobj_get(pt->first, "params"), axis);
}

/* Same case and the same value of every parameter but @axis? */
static int same_group(const struct zb_rpoint *a, const struct zb_rpoint *b, const char *axis)
{
	const struct zb_jval *pa = zb_jobj_get(a->first, "params");
	const struct zb_jval *pb = zb_jobj_get(b->first, "params");
	char ba[64], bb[64];
	const char *va, *vb;
	size_t i;

	if (strcmp(a->case_name, b->case_name) || !pa || !pb || pa->n != pb->n)
		return 0;
	for (i = 0; i < pa->n; i++) {
		if (!strcmp(pa->keys[i], axis))
			continue;
		va = zb_rparam(a->first, pa->keys[i], ba, sizeof(ba));
		vb = zb_rparam(b->first, pa->keys[i], bb, sizeof(bb));
		if (!va || !vb || strcmp(va, vb))
			return 0;
	}
	return 1;
}

/* Does @key (or the case, for NULL) take more than one value over the groups? */
static int varies(const struct zb_pgroups *gs, const char *key)
{
	char b0[64], b1[64];
	const char *v0, *v1;
	int i;

	for (i = 1; i < gs->n; i++) {
		if (!key) {
			if (strcmp(gs->g[i].first->case_name, gs->g[0].first->case_name))
				return 1;
			continue;
		}
		v0 = zb_rparam(gs->g[0].first->first, key, b0, sizeof(b0));
		v1 = zb_rparam(gs->g[i].first->first, key, b1, sizeof(b1));
		if (!v0 || !v1 || strcmp(v0, v1))
			return 1;
	}
	return 0;
}

static void append(char *buf, size_t len, const char *a, const char *b, const char *c)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s%s%s", n ? " " : "", a, b, c);
}

static void label_groups(struct zb_pgroups *gs, const char *prefix, const char *axis)
{
	const struct zb_jval *params;
	const char *v;
	char b[64];
	size_t k;
	int i;

	for (i = 0; i < gs->n; i++) {
		struct zb_pgroup *g = &gs->g[i];

		if (varies(gs, NULL))
			append(g->label, sizeof(g->label), g->first->case_name + strlen(prefix),
			       "", "");
		params = zb_jobj_get(g->first->first, "params");
		for (k = 0; k < params->n; k++) {
			if (!strcmp(params->keys[k], axis))
				continue;
			v = zb_rparam(g->first->first, params->keys[k], b, sizeof(b));
			if (varies(gs, params->keys[k]))
				append(g->label, sizeof(g->label), params->keys[k], ":", v);
			else if (!i)
				append(gs->common, sizeof(gs->common), params->keys[k], ":", v);
		}
		if (!g->label[0])
			snprintf(g->label, sizeof(g->label), "%s", g->first->case_name);
	}
	/* One case: the subtitle names it first. */
	if (!varies(gs, NULL) && gs->n) {
		char c[sizeof(gs->common)];

		memcpy(c, gs->common, sizeof(c));
		gs->common[0] = '\0';
		append(gs->common, sizeof(gs->common), gs->g[0].first->case_name, "", "");
		if (c[0])
			append(gs->common, sizeof(gs->common), c, "", "");
	}
}

static const char *sort_axis;

static int by_axis(const void *a, const void *b)
{
	const struct zb_rpoint *pa = *(const struct zb_rpoint *const *)a;
	const struct zb_rpoint *pb = *(const struct zb_rpoint *const *)b;
	double xa = zb_pgroup_x(pa, sort_axis), xb = zb_pgroup_x(pb, sort_axis);

	if (isnan(xa) || isnan(xb))
		return 0;		/* text values keep the record's order */
	return (xa > xb) - (xa < xb);
}

int zb_pgroups_make(const struct zb_rpoints *pts, const char *prefix, const char *skip,
		    const char *axis, struct zb_pgroups *out)
{
	int i, k;

	memset(out, 0, sizeof(*out));
	out->g = calloc((size_t)pts->n + 1, sizeof(*out->g));
	if (!out->g)
		return -ENOMEM;
	for (i = 0; i < pts->n; i++) {
		const struct zb_rpoint *pt = &pts->p[i];

		if (!selected(pt, prefix, skip, axis))
			continue;
		for (k = 0; k < out->n; k++)
			if (same_group(out->g[k].first, pt, axis))
				break;
		if (k == out->n) {
			out->g[k].first = pt;
			out->g[k].pt = calloc((size_t)pts->n, sizeof(*out->g[k].pt));
			if (!out->g[k].pt) {
				zb_pgroups_free(out);
				return -ENOMEM;
			}
			out->n++;
		}
		out->g[k].pt[out->g[k].n++] = pt;
	}
	sort_axis = axis;
	for (k = 0; k < out->n; k++)
		qsort(out->g[k].pt, (size_t)out->g[k].n, sizeof(*out->g[k].pt), by_axis);
	label_groups(out, prefix, axis);
	return 0;
}

void zb_pgroups_free(struct zb_pgroups *gs)
{
	int i;

	for (i = 0; gs->g && i < gs->n; i++)
		free(gs->g[i].pt);
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}
