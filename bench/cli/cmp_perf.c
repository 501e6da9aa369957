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

/* One side's rows that name a perf.data, sorted by point, then in the side's order. */
struct perf_entry {
	const char *name, *data;
	int rec;
	size_t seq;
};

struct perf_index {
	struct perf_entry *e;
	size_t n;
};

static int cmp_entry(const void *x, const void *y)
{
	const struct perf_entry *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	return c ? c : a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int index_side(const struct zb_jval *const *recs, int n, struct perf_index *ix)
{
	size_t k, cap = 0;
	int i;

	memset(ix, 0, sizeof(*ix));
	for (i = 0; i < n; i++) {
		const struct zb_jval *b = zb_jobj_get(recs[i], "benchmarks");

		for (k = 0; b && k < b->n; k++) {
			const char *pname = zb_jobj_str(&b->items[k], "name");
			const char *data = zb_jobj_str(zb_jobj_get(&b->items[k], "profile"),
						       "perf_data");
			struct perf_entry *e;

			if (!pname || !data)
				continue;
			if (ix->n == cap) {
				cap = cap ? 2 * cap : 64;
				e = realloc(ix->e, cap * sizeof(*e));
				if (!e)
					return -1;
				ix->e = e;
			}
			ix->e[ix->n] = (struct perf_entry){ pname, data, i, ix->n };
			ix->n++;
		}
	}
	if (ix->n)
		qsort(ix->e, ix->n, sizeof(*ix->e), cmp_entry);
	return 0;
}

/* The perf.data of point @name in one side, as a path from here: its first row that has one. */
static int find_perf_data(const struct perf_index *ix, char *const *paths, const char *name,
			  char *buf, size_t len)
{
	size_t lo = 0, hi = ix->n;
	const struct perf_entry *e;
	const char *slash;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->e[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ix->n || strcmp(ix->e[lo].name, name))
		return -1;
	e = &ix->e[lo];
	slash = strrchr(paths[e->rec], '/');
	if (e->data[0] == '/' || !slash)
		snprintf(buf, len, "%s", e->data);
	else
		snprintf(buf, len, "%.*s/%s", (int)(slash - paths[e->rec]), paths[e->rec],
			 e->data);
	return 0;
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
static char *row_profile(const struct cmp_args *a, const struct perf_index *ix, const char *name)
{
	char pb_path[4096], pn_path[4096], why[512];
	struct zb_profile pb = { 0 }, pn = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	if (find_perf_data(&ix[0], a->base_path, name, pb_path, sizeof(pb_path)) ||
	    find_perf_data(&ix[1], a->new_path, name, pn_path, sizeof(pn_path)))
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

/* Each side's rows indexed once: a row's lookup is then a search, not a scan of the records. */
void cmp_profiles(struct cmp_args *a)
{
	struct perf_index ix[2];
	int i, ok;

	ok = !index_side(a->bp, a->nb, &ix[0]);
	ok = !index_side(a->np, a->nn, &ix[1]) && ok;
	a->profile = ok ? calloc((size_t)a->cmp.n + 1, sizeof(*a->profile)) : NULL;
	for (i = 0; a->profile && i < a->cmp.n; i++)
		if (a->cmp.rows[i].verdict == ZB_REGRESSED)
			a->profile[i] = row_profile(a, ix, a->cmp.rows[i].name);
	free(ix[0].e);
	free(ix[1].e);
}

void cmp_profiles_free(struct cmp_args *a)
{
	int i;

	for (i = 0; a->profile && i < a->cmp.n; i++)
		free(a->profile[i]);
	free(a->profile);
	a->profile = NULL;
}
