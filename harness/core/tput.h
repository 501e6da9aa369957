/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Throughput as will-it-scale defines it: every task loops ->prepare and
 * ->op with nothing else in the loop but a counter increment, and the
 * conductor reads the counters every interval of wall time.  Per task:
 * the iterations of all tasks in an interval / interval / tasks.
 */
#ifndef ZB_TPUT_H
#define ZB_TPUT_H

#define ZB_TPUT_MAX_INTERVALS	64

struct zb_run;
struct zb_worker;
struct zb_result;

/* Does this point get a throughput phase after its latency samples? */
int zb_tput_wanted(const struct zb_run *run);
/* A timed worker is done sampling (or failed): the last one wakes the conductor. */
void zb_tput_arrive(struct zb_run *run);
/* A timed worker's loop: wait for the start, count iterations until the stop. */
int zb_tput_loop(struct zb_worker *w);
/*
 * The conductor: wait for every timed worker (or for one of @pidfds,
 * @n of them, to die), run the warm-up and the intervals, stop them.
 */
void zb_tput_conduct(struct zb_run *run, const int *pidfds, int n);
/* No phase after all (or no more): every worker waiting or looping leaves it. */
void zb_tput_release(struct zb_run *run);
/* The parent: the intervals' rates into @r. */
void zb_tput_collect(const struct zb_run *run, struct zb_result *r);

#endif
