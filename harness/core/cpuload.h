/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rest of the machine did while we measured: the CPU time of
 * every process that is neither this one nor its descendants (from
 * /proc/<pid>/stat, children's reaped time included, so a short command
 * run by a shell counts), kernel threads apart, and the time the
 * hypervisor stole (/proc/stat).  On a small VM a second vCPU that is
 * busy slows the one that measures (on the bhyve reference host a 5 ms
 * revoke takes 24 ms while an unrelated process spins on the other vCPU:
 * datasets/reference/README.md), so a round that shared the machine says
 * so.
 */
#ifndef ZB_CPULOAD_H
#define ZB_CPULOAD_H

/* One process as /proc/<pid>/stat shows it. */
struct zb_proc_time {
	int pid, ppid, kthread;
	unsigned long long start, ticks;	/* starttime; utime+stime+cutime+cstime */
};

struct zb_cpuload {
	struct zb_proc_time *p;
	int n;
	double steal_s;
	int ok;				/* /proc was readable */
};

int zb_cpuload_snap(struct zb_cpuload *c);
/*
 * From @a to @b: CPU seconds of other processes and of kernel threads
 * (which include work our own ops left to them), and stolen; all -1 when
 * a snapshot is unusable.
 */
void zb_cpuload_delta(const struct zb_cpuload *a, const struct zb_cpuload *b,
		      double *others_s, double *kthreads_s, double *steal_s);
void zb_cpuload_free(struct zb_cpuload *c);

#endif
