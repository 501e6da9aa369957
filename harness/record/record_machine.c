// SPDX-License-Identifier: GPL-2.0
/* The machine of a loaded record, for records of any age. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "record/machine.h"
#include "record/record_points.h"

static const char *ctx_str(const struct zb_jval *ctx, const char *key)
{
	const char *s = zb_jobj_str(ctx, key);

	return s ? s : "";
}

int zb_record_machine_id(const struct zb_jval *rec, char *buf, size_t len)
{
	const struct zb_jval *ctx = zb_jobj_get(rec, "context");
	const char *id = zb_jobj_str(zb_jobj_get(ctx, "machine"), "id");
	char key[1024], hex[ZB_MACHINE_ID_LEN];
	double ncpu;
	int n;

	if (!ctx || ctx->type != ZB_JOBJ)
		return -ENOENT;
	if (id && *id) {
		snprintf(buf, len, "%s", id);
		return 0;
	}
	/*
	 * What an old record says of its machine.  The prefix keeps such an
	 * id from ever equalling a new one: the fields hashed are not the same.
	 */
	ncpu = zb_jobj_num(ctx, "num_cpus");
	n = snprintf(key, sizeof(key), "%s|%s|%.0f|%s|%s", ctx_str(ctx, "host_name"),
		     ctx_str(ctx, "cpu_model"), isfinite(ncpu) ? ncpu : 0,
		     ctx_str(ctx, "hypervisor"), ctx_str(ctx, "clocksource"));
	if (n < 0)
		n = 0;
	zb_fnv1a_hex(key, (size_t)n < sizeof(key) ? (size_t)n : sizeof(key) - 1, hex);
	snprintf(buf, len, "legacy-%s", hex);
	return 0;
}

void zb_record_machine_name(const struct zb_jval *rec, char *buf, size_t len)
{
	const struct zb_jval *ctx = zb_jobj_get(rec, "context");
	const char *name = zb_jobj_str(zb_jobj_get(ctx, "machine"), "name");
	const char *host = zb_jobj_str(ctx, "host_name");
	const char *cpu = zb_jobj_str(ctx, "cpu_model");
	const char *cs = zb_jobj_str(ctx, "clocksource");
	double ncpu = zb_jobj_num(ctx, "num_cpus");

	if (name && *name) {
		snprintf(buf, len, "%s", name);
		return;
	}
	snprintf(buf, len, "%s: %s, %.0f CPUs, %s, clocksource %s",
		 host && *host ? host : "?", cpu && *cpu ? cpu : "unknown CPU",
		 isfinite(ncpu) ? ncpu : 0, zb_hypervisor_name(zb_jobj_str(ctx, "hypervisor")),
		 cs && *cs ? cs : "unknown");
}
