// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "record/context.h"
#include "record/machine.h"
#include "record/record_points.h"
#include "util.h"
#include "version.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static void cpuinfo(struct zb_context *ctx)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		colon[strcspn(colon, "\n")] = '\0';
		if (!ctx->cpu_model[0] && !strncmp(line, "model name", 10))
			snprintf(ctx->cpu_model, sizeof(ctx->cpu_model), "%s", colon + 2);
		else if (!ctx->mhz && !strncmp(line, "cpu MHz", 7))
			ctx->mhz = atof(colon + 2);
	}
	fclose(f);
}

static void hypervisor(struct zb_context *ctx)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(ctx->hypervisor, &b, 4);
	memcpy(ctx->hypervisor + 4, &c, 4);
	memcpy(ctx->hypervisor + 8, &d, 4);
	ctx->hypervisor[12] = '\0';
#else
	(void)ctx;
#endif
}

/* Can this process count @config of @type?  The reason if not. */
static int perf_probe(__u32 type, __u64 config)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = config;
	attr.disabled = 1;
	attr.exclude_kernel = 0;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void perf_list(char *buf, size_t len, const char *const *names,
		      const __u32 *types, const __u64 *configs, int n)
{
	size_t off = 0;
	int i, err = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int e = perf_probe(types[i], configs[i]);

		if (e) {
			err = e;
			continue;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", names[i]);
	}
	if (!off)
		snprintf(buf, len, "none (%s)", strerror(-err));
}

static void perf_avail(struct zb_context *ctx)
{
	static const char *const hw[] = { "cycles", "instructions" };
	static const __u32 hwt[] = { PERF_TYPE_HARDWARE, PERF_TYPE_HARDWARE };
	static const __u64 hwc[] = { PERF_COUNT_HW_CPU_CYCLES, PERF_COUNT_HW_INSTRUCTIONS };
	static const char *const sw[] = { "task-clock", "page-faults", "context-switches" };
	static const __u32 swt[] = { PERF_TYPE_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_TYPE_SOFTWARE };
	static const __u64 swc[] = { PERF_COUNT_SW_TASK_CLOCK, PERF_COUNT_SW_PAGE_FAULTS,
				     PERF_COUNT_SW_CONTEXT_SWITCHES };

	perf_list(ctx->perf_hw, sizeof(ctx->perf_hw), hw, hwt, hwc, 2);
	perf_list(ctx->perf_sw, sizeof(ctx->perf_sw), sw, swt, swc, 3);
}

/* Only this file is built with the generated commit header. */
const char *zb_git_commit(void)
{
	return ZB_GIT_COMMIT;
}

void zb_context_read(struct zb_context *ctx)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	memset(ctx, 0, sizeof(*ctx));
	if (!uname(&u)) {
		snprintf(ctx->host, sizeof(ctx->host), "%s", u.nodename);
		snprintf(ctx->kernel, sizeof(ctx->kernel), "%s", u.release);
		snprintf(ctx->kernel_version, sizeof(ctx->kernel_version), "%s", u.version);
		snprintf(ctx->arch, sizeof(ctx->arch), "%s", u.machine);
	}
	cpuinfo(ctx);
	hypervisor(ctx);
	zb_read_line("/sys/module/zaptest/parameters/mode", ctx->zt_mode, sizeof(ctx->zt_mode));
	zb_read_line("/sys/module/zaptest/parameters/variant", ctx->zt_variant,
		     sizeof(ctx->zt_variant));
	zb_read_line("/sys/module/zaptest/parameters/pool_pages", ctx->zt_pool_pages,
		     sizeof(ctx->zt_pool_pages));
	/* set by scripts/guest/init from the kernel command line */
	if (getenv("ZB_VM_ACCEL"))
		snprintf(ctx->vm_accel, sizeof(ctx->vm_accel), "%s", getenv("ZB_VM_ACCEL"));
	zb_read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		     ctx->clocksource, sizeof(ctx->clocksource));
	if (zb_read_long("/proc/sys/vm/max_map_count", &ctx->max_map_count))
		ctx->max_map_count = -1;
	ctx->nproc_online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(ctx->load_avg, 3) < 0)
		memset(ctx->load_avg, 0, sizeof(ctx->load_avg));
	gmtime_r(&now, &tm);
	strftime(ctx->date, sizeof(ctx->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	perf_avail(ctx);
}

static void timer_json(struct zb_json *j, const struct zb_timer *t)
{
	zb_json_obj_begin(j, "timer");
	zb_json_str(j, "clock", zb_clock_name(t->clock));
	zb_json_bool(j, "tsc_invariant", t->tsc_invariant);
	zb_json_num(j, "tsc_ghz", t->tsc_ghz);
	zb_json_num(j, "overhead_ns", t->overhead_ns);
	zb_json_num(j, "resolution_ns", t->resolution_ns);
	zb_json_num(j, "floor_ns", t->floor_ns);
	zb_json_obj_end(j);
}

static void cpus_json(struct zb_json *j, const struct zb_cpus *c)
{
	int i;

	zb_json_arr_begin(j, "cpus");
	for (i = 0; i < c->n; i++) {
		zb_json_obj_begin(j, NULL);
		zb_json_int(j, "cpu", c->cpu[i].cpu);
		zb_json_int(j, "core", c->cpu[i].core);
		zb_json_int(j, "package", c->cpu[i].package);
		zb_json_int(j, "node", c->cpu[i].node);
		zb_json_int(j, "smt_rank", c->cpu[i].smt_rank);
		zb_json_obj_end(j);
	}
	zb_json_arr_end(j);
}

static void options_json(struct zb_json *j, const struct zb_options *o)
{
	zb_json_obj_begin(j, "options");
	zb_json_num(j, "min_time_s", o->min_time);
	zb_json_int(j, "repetitions", o->repetitions);
	zb_json_int(j, "warmup", o->warmup);
	zb_json_int(j, "min_samples", o->min_samples);
	zb_json_int(j, "max_samples", o->max_samples);
	zb_json_int(j, "keep_samples", o->keep_samples);
	zb_json_bool(j, "quick", o->quick);
	/* A record with an injected slowdown must never pass for a real one. */
	zb_json_num(j, "inject_slowdown_pct", o->inject_pct);
	/* the watchdog's limit: a point that took longer failed, not ran */
	zb_json_num(j, "point_timeout_s", o->point_timeout > 0 ? o->point_timeout :
		    ZB_POINT_TIMEOUT_S);
	/* will-it-scale's throughput phase (0 intervals: none) */
	zb_json_int(j, "throughput_intervals", o->tput_intervals);
	zb_json_num(j, "throughput_interval_s", o->tput_interval_s);
	zb_json_obj_end(j);
}

/* What was counted, how, and what could not be: the record says which. */
static void counters_json(struct zb_json *j, const struct zb_counters *cs)
{
	int i;

	zb_json_obj_begin(j, "counters");
	zb_json_str(j, "unit", "mean count per op, empty bracket subtracted");
	zb_json_int(j, "perf_event_paranoid", cs->paranoid);
	zb_json_bool(j, "exclude_kernel", cs->exclude_kernel);
	zb_json_str(j, "perf_scope", "per-task (the timed worker's thread)");
	zb_json_str(j, "trace_scope", cs->trace_system_wide ?
		    "system-wide (every CPU) with one timed worker, else per-task" :
		    cs->trace_scope_why);
	zb_json_arr_begin(j, "requested");
	for (i = 0; i < cs->nr; i++)
		zb_json_str(j, NULL, cs->ev[i].name);
	zb_json_arr_end(j);
	zb_json_arr_begin(j, "opened");
	for (i = 0; i < cs->nr; i++)
		if (cs->ev[i].ok)
			zb_json_str(j, NULL, cs->ev[i].name);
	zb_json_arr_end(j);
	zb_json_obj_begin(j, "unavailable");
	for (i = 0; i < cs->nr; i++)
		if (!cs->ev[i].ok)
			zb_json_str(j, cs->ev[i].name, cs->ev[i].why);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
}

void zb_context_json(struct zb_json *j, const struct zb_context *ctx,
		     const struct zb_options *o, int argc, char **argv)
{
	char cmd[2048], governor[64];
	size_t off = 0;
	int i;

	for (i = 0; i < argc && off < sizeof(cmd); i++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, "%s%s",
					i ? " " : "", argv[i]);
	zb_json_obj_begin(j, "context");
	/* Google Benchmark's own fields, so its tools read us. */
	zb_json_str(j, "date", ctx->date);
	zb_json_str(j, "host_name", ctx->host);
	zb_json_str(j, "executable", argc ? argv[0] : "zapbench");
	zb_json_int(j, "num_cpus", ctx->nproc_online);
	zb_json_int(j, "mhz_per_cpu", (long long)ctx->mhz);
	/* Google Benchmark's meaning: the frequency may move under the run. */
	if (!zb_cpufreq_governor(governor, sizeof(governor)))
		zb_json_bool(j, "cpu_scaling_enabled", strcmp(governor, "performance") != 0);
	zb_json_arr_begin(j, "load_avg");
	for (i = 0; i < 3; i++)
		zb_json_num(j, NULL, ctx->load_avg[i]);
	zb_json_arr_end(j);
#ifdef __OPTIMIZE__
	zb_json_str(j, "library_build_type", "release");
#else
	zb_json_str(j, "library_build_type", "debug");
#endif
	/* Ours. */
	zb_json_str(j, "zapbench_version", ZB_VERSION);
	zb_json_str(j, "git_commit", zb_git_commit());
	zb_json_str(j, "command", cmd);
	zb_json_str(j, "kernel", ctx->kernel);
	zb_json_str(j, "kernel_version", ctx->kernel_version);
	zb_json_str(j, "arch", ctx->arch);
	zb_json_str(j, "cpu_model", ctx->cpu_model);
	zb_json_str(j, "clocksource", ctx->clocksource);
	zb_json_str(j, "hypervisor", ctx->hypervisor[0] ? ctx->hypervisor : "none");
	if (ctx->vm_accel[0])
		zb_json_str(j, "vm_guest_accel", ctx->vm_accel);
	/* the module as loaded; cases that sweep "variant" record theirs as a param */
	if (ctx->zt_mode[0]) {
		zb_json_obj_begin(j, "zaptest_module");
		zb_json_str(j, "mode", ctx->zt_mode);
		zb_json_str(j, "variant", ctx->zt_variant);
		zb_json_str(j, "pool_pages", ctx->zt_pool_pages);
		zb_json_obj_end(j);
	}
	zb_json_int(j, "vm_max_map_count", ctx->max_map_count);
	zb_json_obj_begin(j, "counters_available");
	zb_json_str(j, "perf_hardware", ctx->perf_hw);
	zb_json_str(j, "perf_software", ctx->perf_sw);
	zb_json_str(j, "rusage", "minflt,nivcsw (per timed region)");
	zb_json_obj_end(j);
	if (o->counters)
		counters_json(j, o->counters);
	timer_json(j, &o->timer);
	cpus_json(j, &o->cpus);
	options_json(j, o);
	zb_machine_json(j, ctx->host, o->tag);
	zb_json_obj_end(j);
}

void zb_context_line(const struct zb_context *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s, %s, %d CPUs, clocksource %s, %s%s",
		 ctx->host, ctx->kernel, ctx->cpu_model, ctx->nproc_online,
		 ctx->clocksource,
		 zb_hypervisor_name(ctx->hypervisor),
		 !strcmp(ctx->vm_accel, "tcg") ?
		 ", scripts/vm guest under TCG: compare ratios, not absolute times" :
		 ctx->vm_accel[0] ? ", scripts/vm guest under KVM" : "");
}
