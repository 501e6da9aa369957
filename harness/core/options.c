// SPDX-License-Identifier: GPL-2.0
/* The run defaults: one place for every front-end. */
#include "core/runner.h"

double zb_default_min_time(int quick)
{
	return quick ? 0.1 : 0.5;
}

int zb_default_tput_intervals(int quick)
{
	return quick ? 3 : 5;
}

void zb_options_init(struct zb_options *o, int quick)
{
	o->quick = quick;
	o->min_time = zb_default_min_time(quick);
	o->repetitions = 1;
	o->warmup = 3;
	o->min_samples = 10;
	o->max_samples = 1000000;
	o->keep_samples = 2000;
	o->inject_pct = 0;
	o->tag = NULL;
	o->counters = NULL;
	o->tput_intervals = zb_default_tput_intervals(quick);
	o->tput_interval_s = 0.1;
}
