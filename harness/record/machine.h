/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which machine a record comes from, and what it was set up as.
 *
 * A verdict compares a run with another run of the same machine; two
 * machines' numbers measure the machines.  The identity is a hash of what
 * fixes a machine's costs and does not change from boot to boot or kernel
 * to kernel: the machine's own id (/etc/machine-id, else the DMI product
 * UUID), the CPU model and count, the memory size, the hypervisor, the
 * clocksource and the TSC frequency.  The kernel is deliberately not in
 * it: comparing two kernels on one machine is the point of an A/B.  The
 * description beside it (kernel, command line, config, mitigations, THP,
 * cpufreq, SMT, compiler) says how the machine was set up; a source that
 * cannot be read is recorded as null, never guessed.
 */
#ifndef ZB_MACHINE_H
#define ZB_MACHINE_H

#include <stddef.h>

#include "record/json.h"

#define ZB_MACHINE_ID_LEN	17	/* 16 hex digits and the NUL */

/* What the identity is computed from; "" for a source that is absent. */
struct zb_machine_src {
	char machine_id[80];		/* hash of /etc/machine-id, the DMI UUID or the VM host's id */
	char id_source[32];		/* "machine-id", "dmi-product-uuid", "vm-host" or "" */
	char cpu_model[256];
	int num_cpus;			/* configured (present) CPUs */
	long mem_gib;			/* MemTotal rounded to GiB; 0: absent */
	char hypervisor[16];		/* CPUID vendor unpadded, "none" on bare metal */
	char clocksource[64];
	long tsc_khz;			/* from the kernel or CPUID, 0: absent */
	char tsc_khz_source[32];
	/* In a scripts/vm guest (not hashed: the fields above see the VM). */
	char vm_accel[8];		/* "tcg" or "kvm"; "" on a host */
	char vm_host[400];		/* the host's machine name, "" if not passed */
};

/*
 * 64-bit FNV-1a of @len bytes as 16 lowercase hex digits: the one hash
 * of the machine id, the identity and the kernel config.  Not a secret
 * keeper: it only makes the private machine-id unrecognisable.
 */
void zb_fnv1a_hex(const void *data, size_t len, char hex[ZB_MACHINE_ID_LEN]);

/* Read @s from this machine (procfs, sysfs, CPUID). */
void zb_machine_src_read(struct zb_machine_src *s);
/* The 16-hex-digit id of @s: equal sources, equal ids; any difference, another id. */
void zb_machine_id(const struct zb_machine_src *s, char id[ZB_MACHINE_ID_LEN]);
/*
 * "host: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM, clocksource kvm-clock"; in a
 * guest "qemu-tcg guest, 2 vCPUs, 1 GiB, clocksource tsc, on <host's name>".
 */
void zb_machine_name(const struct zb_machine_src *s, const char *host, char *buf, size_t len);

/*
 * The context's "machine" object (id, name, the sources) and "system"
 * object (the description), written into an open context object;
 * @tag is the user's --tag (NULL: none, written as null).
 */
void zb_machine_json(struct zb_json *j, const char *host, const char *tag);
/* The "machine" object of @s alone. */
void zb_machine_obj_json(struct zb_json *j, const struct zb_machine_src *s, const char *host);
/* The "system" object alone (machine_sys.c). */
void zb_system_json(struct zb_json *j);
/* cpu0's cpufreq governor ("performance"); -ENOENT without cpufreq. */
int zb_cpufreq_governor(char *buf, size_t len);

/*
 * The machine id of a loaded record: context.machine.id, or for a record
 * written before machine identity existed, "legacy-" and a hash of the
 * context's host_name, cpu_model, num_cpus, hypervisor and clocksource
 * (so two old records of one VM still match, and never match a new one).
 * Returns 0, or -ENOENT when the record has no context at all.
 */
int zb_record_machine_id(const struct zb_jval *rec, char *buf, size_t len);
/* Its human name: context.machine.name, else built from the old fields. */
void zb_record_machine_name(const struct zb_jval *rec, char *buf, size_t len);

#endif
