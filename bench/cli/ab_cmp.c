// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ab_cmp.h"
#include "cli/cli.h"
#include "record/record_load.h"
#include "util.h"

static int load(const struct ab_plan *p, int done, int s, struct zb_jval *recs,
		const struct zb_jval **ptrs, int *n)
{
	char path[1024], err[512];
	int k;

	for (k = 0; k < done; k++) {
		ab_round_path(p, k, s, path, sizeof(path));
		if (zb_record_load(path, &recs[k], err, sizeof(err))) {
			zb_err("%s", err);
			return -1;
		}
		ptrs[k] = &recs[k];
		*n = k + 1;
	}
	return 0;
}

struct cmp_args *ab_compare(const struct ab_plan *p, int done, int sa, int sb,
			    const struct zb_cmp_opts *o)
{
	struct cmp_args *a = calloc(1, sizeof(*a));
	static char names[AB_MAX_SIDES][1100];

	if (!a)
		return NULL;
	if (done > ZB_CMP_MAX_RECORDS || done < 1) {
		zb_err("ab: %d rounds to compare (1..%d)", done, ZB_CMP_MAX_RECORDS);
		free(a);
		return NULL;
	}
	a->o = *o;
	a->o.paired = 1;
	a->format = "text";
	snprintf(names[sa], sizeof(names[sa]), "%s/round-*-%s.json", p->dir, p->side[sa].label);
	snprintf(names[sb], sizeof(names[sb]), "%s/round-*-%s.json", p->dir, p->side[sb].label);
	a->base_arg = names[sa];
	a->new_arg = names[sb];
	if (load(p, done, sa, a->base, a->bp, &a->nb) || load(p, done, sb, a->new_, a->np, &a->nn) ||
	    cmp_run(a)) {
		ab_compare_free(a);
		return NULL;
	}
	return a;
}

void ab_compare_free(struct cmp_args *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->nb; i++)
		zb_jval_free(&a->base[i]);
	for (i = 0; i < a->nn; i++)
		zb_jval_free(&a->new_[i]);
	zb_cmp_free(&a->cmp);
	free(a);
}

int ab_completed(const struct ab_plan *p)
{
	char pa[1024], pb[1024];
	int k;

	for (k = 0; k < ZB_CMP_MAX_RECORDS; k++) {
		ab_round_path(p, k, 0, pa, sizeof(pa));
		ab_round_path(p, k, 1, pb, sizeof(pb));
		if (access(pa, R_OK) || access(pb, R_OK))
			break;
	}
	return k;
}

int ab_plan_dir(struct ab_plan *p, const char *dir)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->nr_sides = 2;
	snprintf(p->side[0].label, sizeof(p->side[0].label), "a");
	snprintf(p->side[1].label, sizeof(p->side[1].label), "b");
	return ab_completed(p);
}
