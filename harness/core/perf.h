/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --perf-record: perf record attached to a point's workers, sampling only
 * the latency timed region.  perf starts with its events disabled (-D -1)
 * and listens on a control pipe (--control fd:CTL,ACK): the last worker
 * through the start barrier says "enable", the last timed worker to end
 * its samples says "disable", and each waits for perf's "ack" (bounded),
 * so neither setup, teardown nor the throughput phase is sampled.
 */
#ifndef ZB_PERF_H
#define ZB_PERF_H

#include <stddef.h>
#include <sys/types.h>

#define ZB_PERF_START_S		30	/* perf up and acking "enable" */
#define ZB_PERF_ACK_S		10	/* any later "ack" */
#define ZB_PERF_STOP_S		60	/* SIGINT to perf.data written */

struct zb_perf {
	int ctl[2], ack[2];		/* pipes: we write ctl[1], perf acks on ack[1] */
	pid_t pid;			/* perf record, 0: none */
	char data[4096];		/* where its perf.data goes */
	char event[32];
};

/*
 * Can perf sample here, and with which event: "cycles" where the CPU has
 * a PMU, else "cpu-clock".  0, or -errno with one line in @why (no perf
 * binary, perf_event_paranoid, ...).
 */
int zb_perf_probe(char *event, size_t evlen, char *why, size_t len);
/* The control pipes, before the workers start (they inherit them). */
int zb_perf_open(struct zb_perf *p);
/* perf record -p @pids (their threads and children) into p->data, disabled. */
int zb_perf_start(struct zb_perf *p, const pid_t *pids, int n, char *why, size_t len);
/* "enable" or "disable", and wait for the ack at most @timeout_s. */
int zb_perf_send(struct zb_perf *p, const char *cmd, double timeout_s, char *why, size_t len);
/* SIGINT, wait at most ZB_PERF_STOP_S for perf.data; closes the pipes. */
int zb_perf_stop(struct zb_perf *p, char *why, size_t len);

#endif
