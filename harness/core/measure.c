// SPDX-License-Identifier: GPL-2.0
/*
 * One timed op: ->prepare untimed, then the counters enabled, rusage,
 * the clock, ->op, the clock, rusage, the counters disabled.  The
 * counters bracket only the op, and their ioctls stay outside the
 * clock's interval so they cost the latency nothing.
 */
#include <sys/resource.h>

#include "core/run_priv.h"

struct region {
	const struct zb_timer *t;
	struct rusage r0, r1;
	uint64_t a, b;
};

/* Everything the bracket holds except ->op: what calibration counts. */
static void empty_region(void *arg)
{
	struct region *g = arg;

	getrusage(RUSAGE_THREAD, &g->r0);
	g->a = zb_ticks_begin(g->t);
	g->b = zb_ticks_end(g->t);
	getrusage(RUSAGE_THREAD, &g->r1);
}

void zb_measure_open(struct zb_worker *w, struct zb_cset *cs)
{
	struct zb_run *run = w->run;
	struct region g = { .t = &run->o->timer };

	/* System-wide counts would add up every timed worker's. */
	zb_cset_open(cs, run->o->counters, w->cpu, run->nr_timed == 1);
	zb_cset_calibrate(cs, empty_region, &g);
}

int zb_measure_op(struct zb_worker *w, struct zb_cset *cs, struct zb_op_sample *m)
{
	struct zb_run *run = w->run;
	struct wstat *ws = &run->w[w->id];
	const struct zb_timer *t = &run->o->timer;
	unsigned int batch = run->c->batch ? run->c->batch : 1;
	struct rusage r0, r1;
	uint64_t a, b;
	int err;

	err = run->c->prepare ? run->c->prepare(w) : 0;
	if (err)
		return err;
	ws->self_timed = 0;
	zb_cset_start(cs);
	getrusage(RUSAGE_THREAD, &r0);
	a = zb_ticks_begin(t);
	err = run->c->op(w);
	b = zb_ticks_end(t);
	if (run->o->inject.frac > 0)
		b = zb_inject_wait(&run->o->inject, t, a, b, &ws->inject_carry);
	getrusage(RUSAGE_THREAD, &r1);
	zb_cset_stop(cs, &m->ctr);
	m->raw_ns = zb_ticks_to_ns(t, b - a) - t->overhead_ns;
	/* A batch case's op is ->batch operations: report one. */
	m->ns = m->raw_ns / batch;
	/* The op timed itself (zb_sample_ns()): that is the sample. */
	if (ws->self_timed) {
		m->ns = ws->self_ns;
		m->raw_ns = ws->self_ns * batch;
	}
	m->minflt = r1.ru_minflt - r0.ru_minflt;
	m->preempted = r1.ru_nivcsw != r0.ru_nivcsw;
	return err;
}
