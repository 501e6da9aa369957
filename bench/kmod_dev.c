// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/zaptest for the kernel-side cases.  On a host without the module
 * they skip with the way to run them, rather than reporting nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kmod_dev.h"
#include "util.h"

/* Each name after a comma: the lists start one character in. */
const char zb_kmod_variant_list[] =
#define ZAPTEST_VARIANT(e, name)	"," #name
#define ZAPTEST_BROKEN_VARIANT(e, name)	"," #name
#include "zaptest_variants.h"
	;
const char zb_kmod_sound_list[] =
#define ZAPTEST_VARIANT(e, name)	"," #name
#define ZAPTEST_BROKEN_VARIANT(e, name)
#include "zaptest_variants.h"
	;

int zb_kmod_open(struct zb_worker *w, struct zaptest_info *info)
{
	int fd = open(ZAPTEST_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return zb_skip(w, "%s missing: zaptest.ko is not loaded (zapbench run --vm "
			       "boots a guest with it)", ZAPTEST_DEV);
	if (fd < 0)
		return zb_skip(w, "open %s: %s (root and CAP_SYS_RAWIO only, as /dev/mem)",
			       ZAPTEST_DEV, strerror(errno));
	if (ioctl(fd, ZAPTEST_IOC_INFO, info)) {
		close(fd);
		return zb_fail(w, -errno, "ZAPTEST_IOC_INFO: %s", strerror(errno));
	}
	if (info->abi_version != ZAPTEST_ABI_VERSION) {
		close(fd);
		return zb_fail(w, -EPROTO, "zaptest.ko speaks ABI %u, zapbench %u: rebuild both",
			       info->abi_version, ZAPTEST_ABI_VERSION);
	}
	return fd;
}

int zb_kmod_range(int fd, unsigned long cmd, uint64_t off, uint64_t len,
		  struct zaptest_range *out)
{
	struct zaptest_range r = { .offset = off, .len = len };

	if (ioctl(fd, cmd, &r))
		return -errno;
	if (out)
		*out = r;
	return 0;
}

int zb_kmod_stats(int fd, struct zaptest_stats *st)
{
	return ioctl(fd, ZAPTEST_IOC_STATS, st) ? -errno : 0;
}

static void param_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/sys/module/zaptest/parameters/%s", name);
}

int zb_kmod_set_param(const char *name, const char *value)
{
	char path[128];

	param_path(path, sizeof(path), name);
	return zb_write_file(path, value);
}

int zb_kmod_get_param(const char *name, char *buf, size_t len)
{
	char path[128];

	param_path(path, sizeof(path), name);
	return zb_read_line(path, buf, len);
}

int zb_kmod_swap_param(struct zb_worker *w, const char *name, const char *value,
		       char *old, size_t len)
{
	int err = zb_kmod_get_param(name, old, len);

	err = err ?: zb_kmod_set_param(name, value);
	if (err)
		return zb_fail(w, err, "zaptest.ko parameter %s=%s: %s", name, value,
			       strerror(-err));
	return 0;
}

int zb_kmod_set_map(int fd, uint32_t map)
{
	return ioctl(fd, ZAPTEST_IOC_SET_MAP, &map) ? -errno : 0;
}

long zb_pat_count(char *list, uint64_t start, uint64_t end)
{
	char *line, *save;
	long n = 0;

	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;

		/* "PAT: [mem 0x0000000010400000-0x0000000010401000] write-back" */
		if (sscanf(line, "PAT: [mem %llx-%llx]", &a, &b) == 2 && a == start && b == end)
			n++;
	}
	return n;
}

long zb_pat_memtypes(uint64_t start, uint64_t end)
{
	char *buf;
	long n;
	int err = zb_read_file(ZB_PAT_MEMTYPE_LIST, &buf, NULL);

	if (err)
		return err;
	n = zb_pat_count(buf, start, end);
	free(buf);
	return n;
}
