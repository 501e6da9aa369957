// SPDX-License-Identifier: GPL-2.0
/* The counters plan: names resolved, each event probed once. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "counters/counters.h"
#include "counters/pfm.h"
#include "counters/tracefs.h"
#include "util.h"

static int perf_open(struct perf_event_attr *attr, int pid, int cpu)
{
	int fd = (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static void unavailable(struct zb_event *e, const struct zb_counters *cs, int err)
{
	if (err == -EACCES || err == -EPERM)
		snprintf(e->why, sizeof(e->why),
			 "not permitted: perf_event_paranoid is %d (run as root or lower it)",
			 cs->paranoid);
	else if (e->attr.type != PERF_TYPE_SOFTWARE && e->kind == ZB_EV_PERF &&
		 (err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV || err == -EINVAL))
		snprintf(e->why, sizeof(e->why),
			 "not supported here: this CPU or hypervisor exposes no PMU for it (%s)",
			 strerror(-err));
	else
		snprintf(e->why, sizeof(e->why), "perf_event_open: %s", strerror(-err));
}

/* Can this event count here?  Tracepoints: system-wide if we may. */
static void probe(struct zb_counters *cs, struct zb_event *e)
{
	int cpu = sched_getcpu(), fd;

	e->attr.disabled = 1;
	if (e->kind == ZB_EV_TRACE && cs->trace_system_wide) {
		fd = perf_open(&e->attr, -1, cpu < 0 ? 0 : cpu);
		if (fd == -EACCES || fd == -EPERM) {
			cs->trace_system_wide = 0;
			snprintf(cs->trace_scope_why, sizeof(cs->trace_scope_why),
				 "per task: system-wide counting needs root or "
				 "perf_event_paranoid <= -1 (it is %d)", cs->paranoid);
		}
		if (fd >= 0) {
			close(fd);
			e->ok = 1;
			return;
		}
	}
	fd = perf_open(&e->attr, 0, -1);
	if (fd >= 0) {
		close(fd);
		e->ok = 1;
		return;
	}
	unavailable(e, cs, fd);
}

static int add_event(struct zb_counters *cs, const char *name, size_t n, enum zb_ev_kind kind,
		     int strict, char *why, size_t len)
{
	struct zb_event *e = &cs->ev[cs->nr];
	uint64_t id;
	int i, err;

	if (!n || n >= sizeof(e->name)) {
		snprintf(why, len, "%s: empty or too long event name", kind ? "--trace" : "--events");
		return -EINVAL;
	}
	if (cs->nr == ZB_MAX_EVENTS) {
		snprintf(why, len, "at most %d events and tracepoints", ZB_MAX_EVENTS);
		return -E2BIG;
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, n);
	for (i = 0; i < cs->nr; i++)
		if (!strcmp(cs->ev[i].name, e->name))
			return 0;
	e->kind = kind;
	if (kind == ZB_EV_PERF) {
		err = zb_pfm_encode(e->name, !cs->exclude_kernel, &e->attr, e->why,
				    sizeof(e->why));
		if (err) {
			snprintf(why, len, "--events: %s", e->why);
			return err;
		}
	} else {
		err = zb_tracepoint_id(e->name, &id, e->why, sizeof(e->why));
		if (err == -EINVAL || (err == -ENOENT && strict)) {
			snprintf(why, len, "--trace: %s", e->why);
			return -EINVAL;
		}
		e->attr.size = sizeof(e->attr);
		e->attr.type = PERF_TYPE_TRACEPOINT;
		e->attr.config = id;
	}
	cs->nr++;
	if (!err)
		probe(cs, e);
	cs->nr_ok += e->ok;
	return 0;
}

/* Its tracepoints exist only with the module; elsewhere they are not "unavailable". */
static int zaptest_loaded(void)
{
	uint64_t id;
	char why[64];

	return !access("/sys/module/zaptest", F_OK) &&
	       !zb_tracepoint_id("zaptest:zaptest_fault", &id, why, sizeof(why));
}

static int add_list(struct zb_counters *cs, const char *list, enum zb_ev_kind kind,
		    int strict, char *why, size_t len)
{
	const char *s = list;
	int err = 0;

	if (!list || !strcmp(list, "none"))
		return 0;
	while (!err) {
		size_t n = strcspn(s, ",");

		/* "default" stands for the default set, e.g. --trace default,filemap:... */
		if (n == 7 && !strncmp(s, "default", 7)) {
			err = add_list(cs, kind == ZB_EV_PERF ? ZB_DEFAULT_EVENTS : ZB_DEFAULT_TRACE,
				       kind, 0, why, len);
			if (!err && kind == ZB_EV_TRACE && zaptest_loaded())
				err = add_list(cs, ZB_ZAPTEST_TRACE, kind, 0, why, len);
		} else
			err = add_event(cs, s, n, kind, strict, why, len);
		if (!s[n])
			break;
		s += n + 1;
	}
	return err;
}

int zb_counters_plan(struct zb_counters *cs, const char *events, const char *trace,
		     int strict_trace, char *why, size_t len)
{
	long paranoid = 2;
	int root = geteuid() == 0, err;

	memset(cs, 0, sizeof(*cs));
	zb_read_long("/proc/sys/kernel/perf_event_paranoid", &paranoid);
	cs->paranoid = (int)paranoid;
	/* The kernel's work for the op (the revoke itself) needs paranoid <= 1. */
	cs->exclude_kernel = !root && paranoid > 1;
	cs->trace_system_wide = 1;
	if (cs->exclude_kernel)
		zb_warn("perf_event_paranoid is %ld: counting user space only (exclude_kernel=1); "
			"as root or with paranoid <= 1 the kernel's work is counted too", paranoid);
	err = add_list(cs, events, ZB_EV_PERF, 1, why, len);
	if (!err)
		err = add_list(cs, trace, ZB_EV_TRACE, strict_trace, why, len);
	return err;
}

void zb_counters_footer(const struct zb_counters *cs, char *buf, size_t len)
{
	size_t off;
	int i, any = 0;

	off = (size_t)snprintf(buf, len, "counters: mean per op, empty bracket subtracted, "
			       "exclude_kernel=%d, tracepoints %s", cs->exclude_kernel,
			       cs->trace_system_wide ? "system-wide (one timed worker) or per-task"
						     : "per-task");
	for (i = 0; i < cs->nr && off < len; i++) {
		if (cs->ev[i].ok)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s\n  %s: %s",
					any++ ? "" : "\nunavailable (not counted, not zero):",
					cs->ev[i].name, cs->ev[i].why);
	}
}
