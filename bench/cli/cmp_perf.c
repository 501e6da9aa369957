// SPDX-License-Identifier: GPL-2.0
/*
 * compare and report: under each regressed row, what its profile says
 * changed, from the perf.data files zapbench run --perf-record left next
 * to the two records (the first round of each side that has one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmp_args.h"
#include "compare/profile.h"

/* The perf.data of point @name in one of @recs, as a path from here. */
static int find_perf_data(const struct zb_jval *const *recs, char *const *paths, int n,
			  const char *name, char *buf, size_t len)
{
	int i;
	size_t k;

	for (i = 0; i < n; i++) {
		const struct zb_jval *b = zb_jobj_get(recs[i], "benchmarks");
		const char *slash = strrchr(paths[i], '/');

		for (k = 0; b && k < b->n; k++) {
			const char *pname = zb_jobj_str(&b->items[k], "name");
			const char *data = zb_jobj_str(zb_jobj_get(&b->items[k], "profile"),
						       "perf_data");

			if (!pname || !data || strcmp(pname, name))
				continue;
			if (data[0] == '/' || !slash)
				snprintf(buf, len, "%s", data);
			else
				snprintf(buf, len, "%.*s/%s", (int)(slash - paths[i]), paths[i],
					 data);
			return 0;
		}
	}
	return -1;
}

static void diff_lines(FILE *m, const struct zb_profile *pb, const struct zb_profile *pn)
{
	struct zb_prof_change ch[ZB_PROFILE_TOP];
	int i, n = zb_profile_diff(pb, pn, ch, ZB_PROFILE_TOP);

	if (!n)
		fprintf(m, "    profile: no symbol's share changed\n");
	for (i = 0; i < n; i++)
		fprintf(m, "    %+6.1f pp  %-30.30s (a %.1f %% -> b %.1f %%)\n",
			ch[i].new_ - ch[i].base, ch[i].name, ch[i].base, ch[i].new_);
}

/* The lines under one regressed row, malloc'ed. */
static char *row_profile(const struct cmp_args *a, const char *name)
{
	char pb_path[4096], pn_path[4096], why[512];
	struct zb_profile pb = { 0 }, pn = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	if (find_perf_data(a->bp, a->base_path, a->nb, name, pb_path, sizeof(pb_path)) ||
	    find_perf_data(a->np, a->new_path, a->nn, name, pn_path, sizeof(pn_path)))
		fprintf(m, "    no profile (run with --perf-record)\n");
	else if (zb_profile_load(pb_path, &pb, why, sizeof(why)) ||
		 zb_profile_load(pn_path, &pn, why, sizeof(why)))
		fprintf(m, "    no profile: %s\n", why);
	else
		diff_lines(m, &pb, &pn);
	zb_profile_free(&pb);
	zb_profile_free(&pn);
	fclose(m);
	return buf;
}

void cmp_profiles(struct cmp_args *a)
{
	int i;

	a->profile = calloc((size_t)a->cmp.n + 1, sizeof(*a->profile));
	for (i = 0; a->profile && i < a->cmp.n; i++)
		if (a->cmp.rows[i].verdict == ZB_REGRESSED)
			a->profile[i] = row_profile(a, a->cmp.rows[i].name);
}

void cmp_profiles_free(struct cmp_args *a)
{
	int i;

	for (i = 0; a->profile && i < a->cmp.n; i++)
		free(a->profile[i]);
	free(a->profile);
	a->profile = NULL;
}
