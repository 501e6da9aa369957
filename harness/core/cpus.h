/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which CPUs workers run on.  Worker i gets the i-th CPU of an order that
 * fills distinct physical cores first and SMT siblings last, so "2 CPUs"
 * means two cores where the machine has them.  Sized from the machine:
 * no ceiling but the kernel's own.
 */
#ifndef ZB_CPUS_H
#define ZB_CPUS_H

#include <sched.h>
#include <stddef.h>

struct zb_cpu {
	int cpu, core, package, node;
	int smt_rank;			/* 0 for a core's first thread */
};

struct zb_cpus {
	int n;
	struct zb_cpu *cpu;		/* n of them, malloc()ed; zb_cpus_free() */
};

/* This machine's topology from sysfs: @p->cpu's core, package and node. */
void zb_topo_sysfs(struct zb_cpu *p, void *arg);
/*
 * The CPUs in @set (@setsize bytes, as CPU_ALLOC_SIZE() gives), in worker
 * order; @topo fills each one's core, package and node (-1: unknown).
 * zb_cpus_load() passes this process's affinity and zb_topo_sysfs();
 * tests pass a simulated machine.
 */
int zb_cpus_plan(struct zb_cpus *c, const cpu_set_t *set, size_t setsize,
		 void (*topo)(struct zb_cpu *p, void *arg), void *arg);
/* The CPUs this process may run on, in worker order. */
int zb_cpus_load(struct zb_cpus *c);
/* Restrict and reorder to an explicit list; -ENODEV names a bad CPU in @bad. */
int zb_cpus_select(struct zb_cpus *c, const int *list, int n, int *bad);
void zb_cpus_free(struct zb_cpus *c);
int zb_pin(int cpu);
/*
 * A cpulist as the kernel writes one (/sys/devices/system/cpu/online:
 * "0-3,8-11") into @list, in the order given: the count, or -EINVAL with
 * one line in @why (a bad or reversed range, a CPU twice, more than @max).
 */
int zb_cpulist_parse(const char *s, int *list, int max, char *why, size_t len);

#endif
