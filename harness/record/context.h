/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine a result came from.  Every record carries it: a number
 * without its kernel, CPU, clocksource and hypervisor is not a result.
 */
#ifndef ZB_CONTEXT_H
#define ZB_CONTEXT_H

#include "core/runner.h"
#include "record/json.h"

struct zb_context {
	char host[256];
	char kernel[256];		/* uname -r */
	char kernel_version[256];	/* uname -v */
	char arch[65];			/* utsname field size */
	char cpu_model[256];
	char clocksource[64];
	char hypervisor[16];		/* CPUID 0x40000000 vendor, "" on bare metal */
	char vm_accel[8];		/* in a scripts/vm guest: "tcg" or "kvm" */
	/* zaptest.ko's parameters when it is loaded ("" if not) */
	char zt_mode[16], zt_variant[16], zt_pool_pages[16];
	char date[64];			/* ISO 8601, UTC */
	int nproc_online;
	long max_map_count;
	double mhz;
	double load_avg[3];
	char perf_hw[128];		/* "cycles,instructions" or "none (reason)" */
	char perf_sw[128];
};

void zb_context_read(struct zb_context *ctx);
/* `git describe` of the build, "unknown" outside a checkout. */
const char *zb_git_commit(void);
/* The Google Benchmark "context" object plus our fields. */
void zb_context_json(struct zb_json *j, const struct zb_context *ctx,
		     const struct zb_options *o, int argc, char **argv);
/* "host kernel, CPU model, N CPUs, clocksource tsc, hypervisor KVM" */
void zb_context_line(const struct zb_context *ctx, char *buf, size_t len);

#endif
