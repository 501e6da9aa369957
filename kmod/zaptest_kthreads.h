/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A team of kthreads, one per CPU, released together: what the barrier
 * microbenchmark and the message-passing stress both need.
 */
#ifndef _ZAPTEST_KTHREADS_H
#define _ZAPTEST_KTHREADS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/sched.h>

struct zt_team {
	int nr;
	atomic_t arrived;	/* start barrier */
	atomic_t running;	/* members not done yet */
	struct completion done;
	int (*fn)(struct zt_team *team, int idx);
	void *data;
	/* nr of each, sized by zt_team_run(): as many as the CPUs asked for */
	int *cpu;
	int *rc;
	struct task_struct **task;
};

int zt_team_run(struct zt_team *team, int nr);
int zt_team_sync(struct zt_team *team);

#endif /* _ZAPTEST_KTHREADS_H */
