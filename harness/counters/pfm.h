/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event names to perf_event_attr, through libpfm4: "cycles",
 * "dTLB-load-misses", "page-faults" or any PMU event libpfm4 knows
 * ("perf::PERF_COUNT_SW_CPU_MIGRATIONS", "INST_RETIRED:ANY_P", ...).
 */
#ifndef ZB_PFM_H
#define ZB_PFM_H

#include <linux/perf_event.h>
#include <stddef.h>

/*
 * Encode @name; @kernel also counts the kernel's work on behalf of the
 * task (exclude_kernel = 0).  On error, one line in @why and -EINVAL.
 */
int zb_pfm_encode(const char *name, int kernel, struct perf_event_attr *attr,
		  char *why, size_t len);

#endif
