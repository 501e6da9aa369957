// SPDX-License-Identifier: GPL-2.0
/*
 * Regressions in a point's history.  Within-run CIs are narrow while
 * run-to-run medians move 4-17 % here, so a change must clear both: a
 * threshold on the size of the change, and a CI that excludes the
 * baseline.  The baseline is the median of the last few runs, not the
 * previous one, so one noisy run neither raises nor hides an alarm.  It
 * is made of the same machine's runs only: moving from an Intel to an
 * AMD VM changes every number and says nothing about the kernel.
 */
#include <math.h>
#include <string.h>

#include "history/history_db.h"
#include "stats/stats.h"

void zb_hist_trend(struct zb_hval *v, int n, double threshold_pct)
{
	double prev[ZB_HIST_BASELINE], base;
	int i, k, m;

	for (i = 0; i < n; i++) {
		v[i].trend = 0;
		v[i].change_pct = NAN;
		for (k = i - 1, m = 0; k >= 0 && m < ZB_HIST_BASELINE; k--)
			if (isfinite(v[k].median) && !strcmp(v[k].machine_id, v[i].machine_id))
				prev[m++] = v[k].median;
		if (!m || !isfinite(v[i].median))
			continue;
		zb_sort(prev, (size_t)m);
		base = zb_percentile_sorted(prev, (size_t)m, 50);
		if (base <= 0)
			continue;
		v[i].change_pct = 100 * (v[i].median - base) / base;
		if (v[i].change_pct > threshold_pct && v[i].lo > base)
			v[i].trend = 1;
		else if (v[i].change_pct < -threshold_pct && v[i].hi < base)
			v[i].trend = -1;
	}
}
