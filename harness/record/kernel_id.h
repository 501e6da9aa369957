/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which kernel a record was made on, beyond uname: the build id the
 * running kernel carries (the NT_GNU_BUILD_ID note in /sys/kernel/notes),
 * /proc/version, and in a scripts/vm guest the host's view of it: the
 * image booted (path, sha256), the KDIR the module was built against,
 * and the VM's shape (accel, vCPUs, host CPUs, overcommit), which
 * scripts/vm writes into the guest's environment (ZB_KERNEL_*, ZB_VM_*).
 * Two kernels with one version string differ here.
 */
#ifndef ZB_KERNEL_ID_H
#define ZB_KERNEL_ID_H

#include <stddef.h>

#include "record/json.h"

#define ZB_KERNEL_NOTES		"/sys/kernel/notes"
#define ZB_BUILD_ID_HEX_MAX	129	/* a 64-byte id as hex and the NUL */

/*
 * The GNU build id in @len bytes of ELF notes, as lowercase hex: 0,
 * -ENOENT when the notes hold none, -EINVAL when they are cut or
 * malformed, -E2BIG when @hexlen cannot hold it.
 */
int zb_build_id_parse(const void *notes, size_t len, char *hex, size_t hexlen);
/* The same from the file @path (ZB_KERNEL_NOTES), or -errno. */
int zb_kernel_build_id(const char *path, char *hex, size_t hexlen);
/*
 * "proc_version", "kernel_build_id", "kernel_image" and "vm" into an open
 * object (context.system); each null where it does not apply or cannot
 * be read: "kernel_image" and "vm" outside a scripts/vm guest.
 */
void zb_kernel_id_json(struct zb_json *j);

#endif
