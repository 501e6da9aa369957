// SPDX-License-Identifier: GPL-2.0
/*
 * The throughput phase, after a point's latency samples: will-it-scale's
 * loop and its reading of it.  Each timed task runs ->prepare and ->op
 * back to back and bumps its own counter (a cache line of its own); no
 * clock, rusage or counter is read inside the loop.  The conductor, on
 * no worker's CPU budget but its own, sleeps one warm-up interval, then
 * reads every counter at the end of each interval of wall time.  So the
 * figure includes everything the loop does (prepare's rearms, the
 * counter bump) and nothing the latency phase adds (two clock reads, two
 * getrusage() calls per sample).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core/run_priv.h"
#include "core/tput.h"
#include "stats/stats.h"

int zb_tput_wanted(const struct zb_run *run)
{
	return (run->c->flags & ZB_CASE_TPUT) && run->o->tput_intervals > 0;
}

void zb_tput_arrive(struct zb_run *run)
{
	uint64_t one = 1;

	if (__sync_add_and_fetch(&run->tput_arrived, 1) == run->nr_timed &&
	    write(run->tput_efd, &one, sizeof(one)) != sizeof(one))
		run->tput_stop = 1;
}

int zb_tput_loop(struct zb_worker *w)
{
	struct zb_run *run = w->run;
	const struct zb_case *c = run->c;
	volatile uint64_t *it = &run->w[w->id].tput_iters;
	int err = 0;

	while (!run->tput_go && !run->abort && !run->stop)
		cpu_relax();
	while (!run->tput_stop && !err) {
		if (c->prepare)
			err = c->prepare(w);
		if (!err)
			err = c->op(w);
		if (!err)
			(*it)++;
	}
	return err;
}

/* Every timed worker arrived (1), or one died or the wait failed (0). */
static int wait_arrivals(struct zb_run *run, const int *pidfds, int n)
{
	struct pollfd *pfd = calloc((size_t)n + 1, sizeof(*pfd));
	int i, ret = 0;

	if (!pfd)
		return 0;
	pfd[0].fd = run->tput_efd;
	pfd[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		pfd[i + 1].fd = pidfds[i];
		pfd[i + 1].events = POLLIN;
	}
	for (;;) {
		if (poll(pfd, (nfds_t)n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		ret = pfd[0].revents & POLLIN;
		break;
	}
	free(pfd);
	return ret;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* The iterations each task did since @prev: the total, the least of them. */
static void take(struct zb_run *run, uint64_t *prev, double *total, double *least)
{
	int i;

	*total = 0;
	*least = -1;
	for (i = 0; i < run->nr_timed; i++) {
		uint64_t now = run->w[i].tput_iters;
		double d = (double)(now - prev[i]);

		prev[i] = now;
		*total += d;
		if (*least < 0 || d < *least)
			*least = d;
	}
}

void zb_tput_release(struct zb_run *run)
{
	run->tput_stop = 1;
	run->tput_go = 1;
}

void zb_tput_conduct(struct zb_run *run, const int *pidfds, int n)
{
	uint64_t dt = (uint64_t)(run->o->tput_interval_s * 1e9), next, t0, t1;
	uint64_t *prev = calloc((size_t)run->nr_timed, sizeof(*prev));
	double total, least;
	int k;

	/* a worker that failed to start never arrives: do not wait for it */
	if (!prev || run->abort || !wait_arrivals(run, pidfds, n) || run->abort || run->stop)
		goto out;
	run->tput_go = 1;
	next = zb_mono_ns() + dt;
	sleep_until(next);
	take(run, prev, &total, &least);
	t0 = zb_mono_ns();
	for (k = 0; k < run->o->tput_intervals && k < ZB_TPUT_MAX_INTERVALS; k++) {
		if (run->abort || run->stop)
			break;
		next += dt;
		sleep_until(next);
		take(run, prev, &total, &least);
		t1 = zb_mono_ns();
		run->tput_s[k] = (double)(t1 - t0) / 1e9;
		run->tput_ops[k] = total;
		run->tput_least[k] = least;
		t0 = t1;
		run->tput_n = k + 1;
	}
out:
	zb_tput_release(run);
	free(prev);
}

void zb_tput_collect(const struct zb_run *run, struct zb_result *r)
{
	unsigned int batch = run->c->batch ? run->c->batch : 1;
	double task[ZB_TPUT_MAX_INTERVALS], tot[ZB_TPUT_MAX_INTERVALS], fair = 1;
	struct zb_summary s;
	int k, n = run->tput_n;

	if (n <= 0 || run->abort)
		return;
	for (k = 0; k < n; k++) {
		double mean = run->tput_ops[k] / run->nr_timed;

		tot[k] = run->tput_ops[k] * batch / run->tput_s[k];
		task[k] = tot[k] / run->nr_timed;
		if (mean > 0 && run->tput_least[k] / mean < fair)
			fair = run->tput_least[k] / mean;
	}
	zb_summarize(task, (size_t)n, &s);
	r->tput.n = n;
	r->tput.interval_s = run->o->tput_interval_s;
	r->tput.tasks = run->nr_timed;
	r->tput.per_task = s.median;
	r->tput.per_task_min = s.min;
	r->tput.per_task_max = s.max;
	zb_summarize(tot, (size_t)n, &s);
	r->tput.total = s.median;
	r->tput.least_share = fair;
}
