// SPDX-License-Identifier: GPL-2.0
/*
 * Suites: the point set of a run.  Two runs are of one suite when they
 * have the same point names; only such runs of one machine are a pair to
 * compare, else the table is mostly points one side lacks.  The key is a
 * hash of the sorted names, folded in C over one plain query.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "history/history_sql.h"

int zb_hrun_index(const struct zb_hrun *runs, int n, long id)
{
	int i;

	for (i = 0; i < n; i++)
		if (runs[i].id == id)
			return i;
	return -1;
}

int zb_hdb_suites(struct zb_hdb *h, const struct zb_hrun *runs, int n, uint64_t *keys)
{
	struct zb_hst *st;
	int ret, rc, i;

	for (i = 0; i < n; i++)
		keys[i] = 0xcbf29ce484222325ULL;	/* FNV-1a 64, as the run's hash */
	ret = zb_hdb_prepare(h, "SELECT run_id, name FROM points ORDER BY run_id, name", &st);
	if (ret)
		return ret;
	i = -1;
	while ((rc = zb_hst_step(st)) == ZB_HST_ROW) {
		long id = (long)zb_hst_int(st, 0);
		const unsigned char *s = (const unsigned char *)zb_hst_text(st, 1);

		if (i < 0 || runs[i].id != id)
			i = zb_hrun_index(runs, n, id);
		/* A '\n' after each name: "a" "bc" is not "ab" "c". */
		for (; i >= 0 && s; s++) {
			keys[i] ^= *s ? *s : '\n';
			keys[i] *= 0x100000001b3ULL;
			if (!*s)
				break;
		}
	}
	zb_hst_finalize(st);
	if (rc != ZB_HST_DONE)
		return zb_hdb_fail(h, -EIO, "reading the runs' points");
	return 0;
}

int zb_hrun_base(const struct zb_hrun *runs, const uint64_t *keys, int i)
{
	int k;

	for (k = i - 1; k >= 0; k--)
		if (keys[k] == keys[i] && runs[k].nr_points == runs[i].nr_points &&
		    !strcmp(runs[k].machine_id, runs[i].machine_id))
			return k;
	return -1;
}
