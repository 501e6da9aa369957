// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU kthreads for the microbenchmarks, in the lib/test_vmalloc.c
 * manner: bound to the first @nr online CPUs, started through a spin
 * barrier so they overlap, and stopped with kthread_stop() so none can
 * still be running module code when the ioctl returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "zaptest_core.h"
#include "zaptest_kthreads.h"

/*
 * Wait, spinning, until every member has arrived.  Bounded: a member
 * that never gets its CPU must cost an error, not a locked-up machine.
 */
int zt_team_sync(struct zt_team *team)
{
	u64 deadline = ktime_get_ns() + 10 * NSEC_PER_SEC;

	atomic_inc(&team->arrived);
	while (atomic_read(&team->arrived) < team->nr) {
		cpu_relax();
		if (ktime_get_ns() > deadline) {
			pr_warn("%d of %d kthreads started in 10 s\n",
				atomic_read(&team->arrived), team->nr);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Park until kthread_stop(): the thread must not exit on its own. */
static void zt_team_park(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

struct zt_member {
	struct zt_team *team;
	int idx;
};

static int zt_team_thread(void *arg)
{
	struct zt_member *m = arg;
	struct zt_team *team = m->team;

	team->rc[m->idx] = team->fn(team, m->idx);
	if (atomic_dec_and_test(&team->running))
		complete(&team->done);
	zt_team_park();
	return 0;
}

static int zt_team_spawn(struct zt_team *team, struct zt_member *m)
{
	int i, cpu;

	i = 0;
	for_each_online_cpu(cpu) {
		if (i == team->nr)
			break;
		m[i].team = team;
		m[i].idx = i;
		team->cpu[i] = cpu;
		team->task[i] = kthread_create(zt_team_thread, &m[i],
					       "zaptest/%d", cpu);
		if (IS_ERR(team->task[i]))
			return PTR_ERR(team->task[i]);
		kthread_bind(team->task[i], cpu);
		i++;
	}
	return 0;
}

/*
 * One team at a time: members spin in the kernel without yielding, so
 * two teams sharing CPUs would each hold a CPU the other needs (found
 * the hard way: soft lockups with two concurrent ioctls).
 */
static DEFINE_MUTEX(zt_team_lock);

/* Run team->fn on @nr CPUs; returns the first member's error, if any. */
int zt_team_run(struct zt_team *team, int nr)
{
	struct zt_member *m;
	int i, rc;

	if (nr < 1 || nr > nr_cpu_ids)
		return -EINVAL;
	m = kcalloc(nr, sizeof(*m), GFP_KERNEL);
	team->cpu = kcalloc(nr, sizeof(*team->cpu), GFP_KERNEL);
	team->rc = kcalloc(nr, sizeof(*team->rc), GFP_KERNEL);
	team->task = kcalloc(nr, sizeof(*team->task), GFP_KERNEL);
	if (!m || !team->cpu || !team->rc || !team->task) {
		rc = -ENOMEM;
		goto free;
	}
	if (mutex_lock_interruptible(&zt_team_lock)) {
		rc = -EINTR;
		goto free;
	}
	cpus_read_lock();
	if (nr > num_online_cpus()) {
		rc = -EINVAL;
		goto out;
	}
	team->nr = nr;
	atomic_set(&team->arrived, 0);
	atomic_set(&team->running, nr);
	init_completion(&team->done);
	rc = zt_team_spawn(team, m);
	if (rc)
		goto stop;
	for (i = 0; i < nr; i++)
		wake_up_process(team->task[i]);
	wait_for_completion(&team->done);
	for (i = 0; i < nr && !rc; i++)
		rc = team->rc[i];
stop:
	/* Unwoken threads exit without running fn: kthread() checks stop first. */
	for (i = 0; i < nr && !IS_ERR_OR_NULL(team->task[i]); i++)
		kthread_stop(team->task[i]);
out:
	cpus_read_unlock();
	mutex_unlock(&zt_team_lock);
free:
	kfree(team->task);
	kfree(team->rc);
	kfree(team->cpu);
	team->task = NULL;
	team->rc = NULL;
	team->cpu = NULL;
	kfree(m);
	return rc;
}
