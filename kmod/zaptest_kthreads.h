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
	int cpu[ZAPTEST_MAX_CPUS];
	int rc[ZAPTEST_MAX_CPUS];
	struct task_struct *task[ZAPTEST_MAX_CPUS];
};

int zt_team_run(struct zt_team *team, int nr);
int zt_team_sync(struct zt_team *team);

#endif /* _ZAPTEST_KTHREADS_H */
