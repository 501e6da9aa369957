/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which CPUs workers run on.  Worker i gets the i-th CPU of an order that
 * fills distinct physical cores first and SMT siblings last, so "2 CPUs"
 * means two cores where the machine has them.
 */
#ifndef ZB_CPUS_H
#define ZB_CPUS_H

#include <stddef.h>

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
/*
 * A cpulist as the kernel writes one (/sys/devices/system/cpu/online:
 * "0-3,8-11") into @list, in the order given: the count, or -EINVAL with
 * one line in @why (a bad or reversed range, a CPU twice, more than @max).
 */
int zb_cpulist_parse(const char *s, int *list, int max, char *why, size_t len);

#endif
