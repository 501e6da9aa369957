/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which CPUs workers run on.  Worker i gets the i-th CPU of an order that
 * fills distinct physical cores first and SMT siblings last, so "2 CPUs"
 * means two cores where the machine has them.
 */
#ifndef ZB_CPUS_H
#define ZB_CPUS_H

struct zb_cpu {
	int cpu, core, package, node;
	int smt_rank;			/* 0 for a core's first thread */
};

struct zb_cpus {
	int n;
	struct zb_cpu cpu[1024];
};

/* The CPUs this process may run on, in worker order. */
int zb_cpus_load(struct zb_cpus *c);
/* Restrict and reorder to an explicit list; -ENODEV names a bad CPU in @bad. */
int zb_cpus_select(struct zb_cpus *c, const int *list, int n, int *bad);
int zb_pin(int cpu);

#endif
