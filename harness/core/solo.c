// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/run_priv.h"
#include "core/solo.h"

struct zb_solo {
	struct zb_run *run;
	size_t len;
	struct zb_point pt;
	struct zb_worker w;
	struct zb_cset cs;
	int worker_up;
};

static int solo_hooks(struct zb_solo *s)
{
	const struct zb_case *c = s->run->c;
	struct zb_op_sample m;
	int err, i;

	err = zb_pin(s->w.cpu);
	if (err)
		return zb_fail(&s->w, err, "cannot pin to CPU %d: %s", s->w.cpu, strerror(-err));
	err = c->setup ? c->setup(&s->w) : 0;
	if (err)
		return err;
	s->worker_up = 1;
	err = c->worker_setup ? c->worker_setup(&s->w) : 0;
	if (!err && c->validate)
		err = c->validate(&s->w);
	zb_measure_open(&s->w, &s->cs);
	for (i = 0; !err && i < s->run->o->warmup; i++)
		err = zb_measure_op(&s->w, &s->cs, &m);
	return err;
}

struct zb_solo *zb_solo_start(const struct zb_case *c, const struct zb_point *pt,
			      const struct zb_options *o, char *why, size_t len, int *skipped)
{
	struct zb_solo *s = calloc(1, sizeof(*s));
	int err;

	*skipped = 0;
	if (!s) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	if (c->check && c->check(pt, why, len)) {
		*skipped = 1;
		free(s);
		return NULL;
	}
	s->pt = *pt;
	s->run = zb_run_map(c, &s->pt, o, 1, 1, &s->len);
	if (!s->run) {
		snprintf(why, len, "mmap: %s", strerror(errno));
		free(s);
		return NULL;
	}
	s->w.nr_workers = 1;
	s->w.cpu = o->cpus.cpu[0].cpu;
	s->w.point = &s->pt;
	s->w.shared = s->run->shared;
	s->w.run = s->run;
	s->w.priv = c->priv_size ? calloc(1, c->priv_size) : NULL;
	err = solo_hooks(s);
	if (!err)
		return s;
	snprintf(why, len, "%s", s->run->msg_taken ? s->run->msg : strerror(-err));
	*skipped = s->run->skipped;
	zb_solo_end(s);
	return NULL;
}

int zb_solo_op(struct zb_solo *s, double *ns, double ctr[ZB_MAX_EVENTS])
{
	struct zb_op_sample m;
	int err, k;

	memset(&m, 0, sizeof(m));
	err = zb_measure_op(&s->w, &s->cs, &m);
	*ns = m.raw_ns > 0 ? m.raw_ns : 0;
	for (k = 0; k < ZB_MAX_EVENTS; k++)
		ctr[k] = m.ctr.valid[k] ? m.ctr.v[k] : NAN;
	return err;
}

const char *zb_solo_msg(const struct zb_solo *s)
{
	return s->run->msg_taken ? s->run->msg : "failed";
}

void zb_solo_end(struct zb_solo *s)
{
	const struct zb_case *c = s->run->c;

	zb_cset_close(&s->cs);
	if (s->worker_up && c->worker_teardown)
		c->worker_teardown(&s->w);
	if (s->worker_up && c->teardown)
		c->teardown(&s->w);
	free(s->w.priv);
	munmap(s->run, s->len);
	free(s);
}
