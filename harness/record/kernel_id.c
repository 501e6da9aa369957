// SPDX-License-Identifier: GPL-2.0
/* Which kernel this is: its build id, /proc/version, the image scripts/vm booted. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/kernel_id.h"
#include "util.h"

/* Note names and descriptors are padded to 4 bytes, in 32- and 64-bit notes alike. */
static size_t note_pad(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int zb_build_id_parse(const void *notes, size_t len, char *hex, size_t hexlen)
{
	const unsigned char *p = notes;
	size_t off = 0, name, desc, next, k;
	Elf64_Nhdr h;

	while (off < len) {
		if (len - off < sizeof(h))
			return -EINVAL;
		memcpy(&h, p + off, sizeof(h));
		name = off + sizeof(h);
		if (h.n_namesz > len - name)
			return -EINVAL;
		desc = name + note_pad(h.n_namesz);
		if (desc > len || h.n_descsz > len - desc)
			return -EINVAL;
		next = desc + note_pad(h.n_descsz);
		if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == 4 && !memcmp(p + name, "GNU", 4) &&
		    h.n_descsz) {
			if (2 * (size_t)h.n_descsz + 1 > hexlen)
				return -E2BIG;
			for (k = 0; k < h.n_descsz; k++)
				snprintf(hex + 2 * k, 3, "%02x", p[desc + k]);
			return 0;
		}
		/* the last note's padding may be cut at the end of the section */
		off = next < len ? next : len;
	}
	return -ENOENT;
}

int zb_kernel_build_id(const char *path, char *hex, size_t hexlen)
{
	char *buf;
	size_t n;
	int err = zb_read_file(path, &buf, &n);

	if (err)
		return err;
	err = zb_build_id_parse(buf, n, hex, hexlen);
	free(buf);
	return err;
}

/* A whole number from the environment, else -1. */
static long env_long(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < 0 ? -1 : v;
}

static void env_str(struct zb_json *j, const char *key, const char *name)
{
	const char *s = getenv(name);

	zb_json_str(j, key, s && *s ? s : NULL);
}

static void env_int(struct zb_json *j, const char *key, const char *name)
{
	long v = env_long(name);

	if (v >= 0)
		zb_json_int(j, key, v);
	else
		zb_json_null(j, key);
}

/* What scripts/vm says of the image it booted; null on a host. */
static void kernel_image_json(struct zb_json *j)
{
	const char *path = getenv("ZB_KERNEL_IMAGE");

	if (!path || !*path) {
		zb_json_null(j, "kernel_image");
		return;
	}
	zb_json_obj_begin(j, "kernel_image");
	zb_json_str(j, "path", path);
	env_str(j, "sha256", "ZB_KERNEL_SHA256");
	env_str(j, "kdir", "ZB_KDIR");
	zb_json_obj_end(j);
}

static void vm_json(struct zb_json *j)
{
	if (!getenv("ZB_GUEST")) {
		zb_json_null(j, "vm");
		return;
	}
	zb_json_obj_begin(j, "vm");
	env_str(j, "accel", "ZB_VM_ACCEL");
	env_int(j, "smp", "ZB_VM_SMP");
	env_int(j, "host_cpus", "ZB_VM_HOST_CPUS");
	zb_json_bool(j, "overcommit", env_long("ZB_VM_OVERCOMMIT") == 1);
	zb_json_obj_end(j);
}

void zb_kernel_id_json(struct zb_json *j)
{
	char hex[ZB_BUILD_ID_HEX_MAX], *ver = NULL;
	size_t n = 0;

	if (!zb_read_file("/proc/version", &ver, &n))
		while (n && ver[n - 1] == '\n')
			ver[--n] = '\0';
	zb_json_str(j, "proc_version", ver);
	free(ver);
	zb_json_str(j, "kernel_build_id",
		    zb_kernel_build_id(ZB_KERNEL_NOTES, hex, sizeof(hex)) ? NULL : hex);
	kernel_image_json(j);
	vm_json(j);
}
