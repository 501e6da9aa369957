// SPDX-License-Identifier: GPL-2.0
/* Which machine this is: the sources of its identity, and the id made of them. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "record/machine.h"
#include "record/record_points.h"
#include "util.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define ZB_HAVE_CPUID	1
#else
#define ZB_HAVE_CPUID	0
#endif

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = FNV_OFFSET;

	while (len--) {
		h ^= *p++;
		h *= FNV_PRIME;
	}
	return h;
}

void zb_fnv1a_hex(const void *data, size_t len, char hex[ZB_MACHINE_ID_LEN])
{
	snprintf(hex, ZB_MACHINE_ID_LEN, "%016llx", (unsigned long long)fnv1a64(data, len));
}

/*
 * The id is hashed with our own prefix, so that what a record shows is
 * not the FNV of the bare machine-id that another tool might also print.
 */
static void read_machine_id(struct zb_machine_src *s)
{
	static const char *const srcs[][2] = {
		{ "/etc/machine-id", "machine-id" },
		{ "/sys/class/dmi/id/product_uuid", "dmi-product-uuid" },
	};
	char line[128], salted[160];
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(srcs); i++) {
		/* systemd writes "uninitialized" until the first boot completes */
		if (zb_read_line(srcs[i][0], line, sizeof(line)) || !line[0] ||
		    !strcmp(line, "uninitialized"))
			continue;
		snprintf(salted, sizeof(salted), "zapbench:%s", line);
		zb_fnv1a_hex(salted, strlen(salted), s->machine_id);
		snprintf(s->id_source, sizeof(s->id_source), "%s", srcs[i][1]);
		return;
	}
}

/*
 * A scripts/vm guest has no machine id of its own (no /etc/machine-id, a
 * firmware UUID every QEMU shares): it is a machine of the host it runs
 * on, so its id is made of the host's (ZB_VM_HOST_MACHINE_ID), and its
 * name says what it is and where.
 */
static void read_vm(struct zb_machine_src *s)
{
	const char *accel = getenv("ZB_VM_ACCEL"), *id = getenv("ZB_VM_HOST_MACHINE_ID");
	const char *host = getenv("ZB_VM_HOST_MACHINE");
	char salted[160];

	if (!getenv("ZB_GUEST"))
		return;
	snprintf(s->vm_accel, sizeof(s->vm_accel), "%s", accel && *accel ? accel : "?");
	snprintf(s->vm_host, sizeof(s->vm_host), "%s", host ? host : "");
	if (!id || !*id)
		return;
	snprintf(salted, sizeof(salted), "zapbench-vm:%s", id);
	zb_fnv1a_hex(salted, strlen(salted), s->machine_id);
	snprintf(s->id_source, sizeof(s->id_source), "vm-host");
}

static void read_cpu_model(struct zb_machine_src *s)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	struct utsname u;
	char line[512];

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line, "model name", 10))
			continue;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(s->cpu_model, sizeof(s->cpu_model), "%s", colon + 1 + (colon[1] == ' '));
		break;
	}
	if (f)
		fclose(f);
	if (!s->cpu_model[0] && !uname(&u))
		snprintf(s->cpu_model, sizeof(s->cpu_model), "%s", u.machine);
}

/* Rounded: MemTotal moves with what each kernel reserves, the machine does not. */
static void read_mem(struct zb_machine_src *s)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	long kib;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %ld kB", &kib) == 1 && kib > 0) {
			s->mem_gib = (kib + 512 * 1024) / (1024 * 1024);
			break;
		}
	}
	if (f)
		fclose(f);
}

#if ZB_HAVE_CPUID
/* The vendor is a 12-byte field padded with NULs or spaces; the padding is no part of it. */
static void read_hypervisor(struct zb_machine_src *s, unsigned int *max_leaf)
{
	unsigned int a, b, c, d;
	size_t n;

	*max_leaf = 0;
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31))) {
		snprintf(s->hypervisor, sizeof(s->hypervisor), "none");
		return;
	}
	__cpuid(0x40000000, a, b, c, d);
	*max_leaf = a;
	memcpy(s->hypervisor, &b, 4);
	memcpy(s->hypervisor + 4, &c, 4);
	memcpy(s->hypervisor + 8, &d, 4);
	s->hypervisor[12] = '\0';
	n = strlen(s->hypervisor);
	while (n && isspace((unsigned char)s->hypervisor[n - 1]))
		s->hypervisor[--n] = '\0';
	if (!n)
		snprintf(s->hypervisor, sizeof(s->hypervisor), "unknown");
}

/*
 * What the hardware or the hypervisor declares, never a calibration: a
 * measured frequency differs from run to run and would split one machine
 * into many.
 */
static void read_tsc_khz(struct zb_machine_src *s, unsigned int hv_max_leaf)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0, NULL) >= 0x15) {
		__cpuid_count(0x15, 0, a, b, c, d);
		if (a && b && c) {
			s->tsc_khz = (long)((unsigned long long)c * b / a / 1000);
			snprintf(s->tsc_khz_source, sizeof(s->tsc_khz_source), "cpuid-0x15");
			return;
		}
	}
	if (hv_max_leaf >= 0x40000010) {
		__cpuid(0x40000010, a, b, c, d);
		if (a) {
			s->tsc_khz = (long)a;
			snprintf(s->tsc_khz_source, sizeof(s->tsc_khz_source), "cpuid-0x40000010");
		}
	}
}
#else
static void read_hypervisor(struct zb_machine_src *s, unsigned int *max_leaf)
{
	*max_leaf = 0;
	(void)s;
}

static void read_tsc_khz(struct zb_machine_src *s, unsigned int hv_max_leaf)
{
	(void)s;
	(void)hv_max_leaf;
}
#endif

void zb_machine_src_read(struct zb_machine_src *s)
{
	unsigned int hv_max_leaf;
	long khz;

	memset(s, 0, sizeof(*s));
	read_machine_id(s);
	read_vm(s);
	read_cpu_model(s);
	s->num_cpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (s->num_cpus < 0)
		s->num_cpus = 0;
	read_mem(s);
	read_hypervisor(s, &hv_max_leaf);
	zb_read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		     s->clocksource, sizeof(s->clocksource));
	if (!zb_read_long("/sys/devices/system/cpu/cpu0/tsc_freq_khz", &khz) && khz > 0) {
		s->tsc_khz = khz;
		snprintf(s->tsc_khz_source, sizeof(s->tsc_khz_source), "sysfs");
	} else {
		read_tsc_khz(s, hv_max_leaf);
	}
}

static const char *num_or_empty(long v, char *buf, size_t len)
{
	if (v <= 0)
		return "";
	snprintf(buf, len, "%ld", v);
	return buf;
}

/* Every field, named, one a line: no two different sources serialise alike. */
void zb_machine_id(const struct zb_machine_src *s, char id[ZB_MACHINE_ID_LEN])
{
	char buf[1024], ncpu[24], mem[24], khz[24];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "machine_id=%s\nid_source=%s\ncpu_model=%s\nnum_cpus=%s\nmem_gib=%s\n"
		     "hypervisor=%s\nclocksource=%s\ntsc_khz=%s\ntsc_khz_source=%s\n",
		     s->machine_id, s->id_source, s->cpu_model,
		     num_or_empty(s->num_cpus, ncpu, sizeof(ncpu)),
		     num_or_empty(s->mem_gib, mem, sizeof(mem)), s->hypervisor, s->clocksource,
		     num_or_empty(s->tsc_khz, khz, sizeof(khz)), s->tsc_khz_source);
	if (n < 0)
		n = 0;
	zb_fnv1a_hex(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, id);
}

void zb_machine_name(const struct zb_machine_src *s, const char *host, char *buf, size_t len)
{
	char ncpu[24], mem[24];

	if (s->vm_accel[0]) {
		snprintf(buf, len, "qemu-%s guest, %s vCPUs, %s GiB, clocksource %s, on %s",
			 s->vm_accel,
			 s->num_cpus > 0 ? num_or_empty(s->num_cpus, ncpu, sizeof(ncpu)) : "?",
			 s->mem_gib > 0 ? num_or_empty(s->mem_gib, mem, sizeof(mem)) : "?",
			 s->clocksource[0] ? s->clocksource : "unknown",
			 s->vm_host[0] ? s->vm_host : "an unnamed host");
		return;
	}
	snprintf(buf, len, "%s: %s, %s CPUs, %s GiB, %s, clocksource %s",
		 host && *host ? host : "?", s->cpu_model[0] ? s->cpu_model : "unknown CPU",
		 s->num_cpus > 0 ? num_or_empty(s->num_cpus, ncpu, sizeof(ncpu)) : "?",
		 s->mem_gib > 0 ? num_or_empty(s->mem_gib, mem, sizeof(mem)) : "?",
		 zb_hypervisor_name(s->hypervisor),
		 s->clocksource[0] ? s->clocksource : "unknown");
}

static void str_or_null(struct zb_json *j, const char *key, const char *val)
{
	zb_json_str(j, key, val[0] ? val : NULL);
}

static void int_or_null(struct zb_json *j, const char *key, long val)
{
	if (val > 0)
		zb_json_int(j, key, val);
	else
		zb_json_null(j, key);
}

void zb_machine_obj_json(struct zb_json *j, const struct zb_machine_src *s, const char *host)
{
	char id[ZB_MACHINE_ID_LEN], name[512];

	zb_machine_id(s, id);
	zb_machine_name(s, host, name, sizeof(name));
	zb_json_obj_begin(j, "machine");
	zb_json_str(j, "id", id);
	zb_json_str(j, "name", name);
	zb_json_obj_begin(j, "sources");
	str_or_null(j, "machine_id", s->machine_id);
	str_or_null(j, "id_source", s->id_source);
	str_or_null(j, "cpu_model", s->cpu_model);
	int_or_null(j, "num_cpus", s->num_cpus);
	int_or_null(j, "mem_gib", s->mem_gib);
	str_or_null(j, "hypervisor", s->hypervisor);
	str_or_null(j, "clocksource", s->clocksource);
	int_or_null(j, "tsc_khz", s->tsc_khz);
	str_or_null(j, "tsc_khz_source", s->tsc_khz_source);
	zb_json_obj_end(j);
	zb_json_obj_end(j);
}

void zb_machine_json(struct zb_json *j, const char *host, const char *tag)
{
	struct zb_machine_src s;

	zb_machine_src_read(&s);
	zb_machine_obj_json(j, &s, host);
	zb_system_json(j);
	zb_json_str(j, "tag", tag);
}
