// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Before libpfm4's copy of the perf ABI, which then steps aside. */
#include "counters/pfm.h"
#include <perfmon/pfmlib_perf_event.h>

static int pfm_ready(char *why, size_t len)
{
	static int ret = 1;

	if (ret == 1)
		ret = pfm_initialize();
	if (ret != PFM_SUCCESS)
		snprintf(why, len, "libpfm4 cannot start: %s", pfm_strerror(ret));
	return ret == PFM_SUCCESS ? 0 : -ENODEV;
}

int zb_pfm_encode(const char *name, int kernel, struct perf_event_attr *attr,
		  char *why, size_t len)
{
	pfm_perf_encode_arg_t arg;
	int ret;

	ret = pfm_ready(why, len);
	if (ret)
		return ret;
	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, kernel ? PFM_PLM0 | PFM_PLM3 : PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(why, len, "'%s': %s (libpfm4; `perf list` shows the names)",
			 name, pfm_strerror(ret));
		return -EINVAL;
	}
	attr->size = sizeof(*attr);
	return 0;
}
