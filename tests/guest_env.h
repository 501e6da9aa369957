/* SPDX-License-Identifier: GPL-2.0 */
/* The environment scripts/vm gives a guest's zapbench (scripts/vm-lib.sh vm_pack). */
#ifndef ZB_TEST_GUEST_ENV_H
#define ZB_TEST_GUEST_ENV_H

#include <stdlib.h>

#define GUEST_IMAGE	"/boot/vmlinuz-6.1.0-57-amd64"
#define GUEST_SHA256	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define GUEST_KDIR	"/usr/src/linux-headers-6.1.0-57-amd64"

static inline void guest_env(const char *host_id, const char *host_name)
{
	setenv("ZB_GUEST", "1", 1);
	setenv("ZB_VM_ACCEL", "tcg", 1);
	setenv("ZB_VM_SMP", "2", 1);
	setenv("ZB_VM_HOST_CPUS", "2", 1);
	setenv("ZB_VM_OVERCOMMIT", "0", 1);
	setenv("ZB_KERNEL_IMAGE", GUEST_IMAGE, 1);
	setenv("ZB_KERNEL_SHA256", GUEST_SHA256, 1);
	setenv("ZB_KDIR", GUEST_KDIR, 1);
	setenv("ZB_VM_HOST_MACHINE_ID", host_id, 1);
	setenv("ZB_VM_HOST_MACHINE", host_name, 1);
}

#endif
