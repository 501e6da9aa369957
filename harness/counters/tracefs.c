// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "counters/tracefs.h"
#include "util.h"

static const char *const roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

/* A tracefs root with events/, mounting it once if we are allowed to. */
static const char *tracefs_root(char *why, size_t len)
{
	static int tried;
	char p[128];
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(roots); i++) {
		snprintf(p, sizeof(p), "%s/events", roots[i]);
		if (!access(p, R_OK | X_OK))
			return roots[i];
	}
	if (!tried++ && !mount("nodev", roots[0], "tracefs", 0, NULL))
		return roots[0];
	snprintf(why, len, "tracefs is not mounted and cannot be (%s): "
		 "mount -t tracefs nodev %s as root", strerror(errno), roots[0]);
	return NULL;
}

int zb_tracepoint_id(const char *name, uint64_t *id, char *why, size_t len)
{
	const char *colon = strchr(name, ':'), *root;
	char path[512];
	long v;

	if (!colon || colon == name || !colon[1] || strchr(colon + 1, ':') ||
	    strchr(name, '/') || strlen(name) > 200) {
		snprintf(why, len, "'%s' is not a tracepoint name (SYSTEM:EVENT, e.g. tlb:tlb_flush)",
			 name);
		return -EINVAL;
	}
	root = tracefs_root(why, len);
	if (!root)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/id", root, (int)(colon - name),
		 name, colon + 1);
	if (zb_read_long(path, &v) || v < 0) {
		snprintf(why, len, "no tracepoint %s on this kernel (%s/events/)", name, root);
		return -ENOENT;
	}
	*id = (uint64_t)v;
	return 0;
}
