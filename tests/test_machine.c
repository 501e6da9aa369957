// SPDX-License-Identifier: GPL-2.0
/*
 * Machine identity: one machine, one id, however often it is read; any
 * one difference in what the id is made of, another id; every record
 * carries it, and records written before it existed get a stable one.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>

#include "zbtest.h"
#include "spawn.h"

#include "guest_env.h"
#include "record/kernel_id.h"
#include "record/machine.h"

static void sample_src(struct zb_machine_src *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->machine_id, sizeof(s->machine_id), "0123456789abcdef");
	snprintf(s->id_source, sizeof(s->id_source), "machine-id");
	snprintf(s->cpu_model, sizeof(s->cpu_model), "AMD EPYC 7B13");
	s->num_cpus = 2;
	s->mem_gib = 24;
	snprintf(s->hypervisor, sizeof(s->hypervisor), "KVMKVMKVM");
	snprintf(s->clocksource, sizeof(s->clocksource), "kvm-clock");
	s->tsc_khz = 2450000;
	snprintf(s->tsc_khz_source, sizeof(s->tsc_khz_source), "cpuid-0x40000010");
}

static int is_id(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!isxdigit((unsigned char)id[i]) || isupper((unsigned char)id[i]))
			return 0;
	return i == 16;
}

static void id_of(const struct zb_machine_src *s, char *id)
{
	zb_machine_id(s, id);
	if (!is_id(id))
		ZBT_FAIL("'%s' is not 16 lowercase hex digits", id);
}

TEST(same_src_same_id_and_id_is_16_hex)
{
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN];

	sample_src(&a);
	sample_src(&b);
	id_of(&a, ia);
	id_of(&b, ib);
	ASSERT_STREQ(ia, ib);
}

TEST(hypervisor_alone_changes_id)
{
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN];

	sample_src(&a);
	sample_src(&b);
	snprintf(b.hypervisor, sizeof(b.hypervisor), "TCGTCGTCGTCG");
	id_of(&a, ia);
	id_of(&b, ib);
	ASSERT_TRUE(strcmp(ia, ib));
}

TEST(clocksource_alone_changes_id)
{
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN];

	sample_src(&a);
	sample_src(&b);
	snprintf(b.clocksource, sizeof(b.clocksource), "tsc");
	id_of(&a, ia);
	id_of(&b, ib);
	ASSERT_TRUE(strcmp(ia, ib));
}

/* Emptying any one string (absent) or moving any one number moves the id. */
TEST(any_one_field_changes_id)
{
	static const size_t strs[] = {
		offsetof(struct zb_machine_src, machine_id),
		offsetof(struct zb_machine_src, id_source),
		offsetof(struct zb_machine_src, cpu_model),
		offsetof(struct zb_machine_src, hypervisor),
		offsetof(struct zb_machine_src, clocksource),
		offsetof(struct zb_machine_src, tsc_khz_source),
	};
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN];
	size_t k;

	sample_src(&a);
	id_of(&a, ia);
	for (k = 0; k < ZB_ARRAY_SIZE(strs) + 3; k++) {
		sample_src(&b);
		if (k < ZB_ARRAY_SIZE(strs))
			((char *)&b)[strs[k]] = '\0';
		else if (k == ZB_ARRAY_SIZE(strs))
			b.num_cpus++;
		else if (k == ZB_ARRAY_SIZE(strs) + 1)
			b.mem_gib++;
		else
			b.tsc_khz++;
		id_of(&b, ib);
		if (!strcmp(ia, ib))
			ZBT_FAIL("field %zu changed, id %s did not", k, ia);
	}
}

TEST(name_says_what_people_say)
{
	struct zb_machine_src s;
	char name[512];

	sample_src(&s);
	zb_machine_name(&s, "vm", name, sizeof(name));
	ASSERT_STREQ("vm: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM, clocksource kvm-clock", name);
	snprintf(s.hypervisor, sizeof(s.hypervisor), "none");
	zb_machine_name(&s, "box", name, sizeof(name));
	ASSERT_CONTAINS(name, ", bare metal, ");
}

TEST(this_machine_reads_the_same_twice)
{
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN];

	zb_machine_src_read(&a);
	zb_machine_src_read(&b);
	id_of(&a, ia);
	id_of(&b, ib);
	ASSERT_STREQ(ia, ib);
	ASSERT_TRUE(a.cpu_model[0]);
	ASSERT_TRUE(a.num_cpus >= 1);
	ASSERT_TRUE(a.hypervisor[0]);
	/* the private id itself never leaves the machine: only its hash */
	if (a.machine_id[0])
		ASSERT_TRUE(is_id(a.machine_id));
}

static void machine_id_cli(char *id, size_t len)
{
	char *argv[] = { "zapbench", "machine", "--id", NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(0, s.status);
	ASSERT_STREQ("", s.err);
	snprintf(id, len, "%s", s.out);
	id[strcspn(id, "\n")] = '\0';
	ASSERT_TRUE(is_id(id));
	ASSERT_EQ(17, strlen(s.out));
}

TEST(record_carries_machine_id_and_tag)
{
	char dir[256], out[300], id[64], rid[64];
	char *argv[] = { "zapbench", "run", "--filter",
			 "^open/close/target:dev_null/paths:same/cpus:1/mode:process$",
			 "--min-time", "0.01", "--out", out, "--tag", "abc", NULL };
	const struct zb_jval *ctx, *sys;
	struct spawned s;
	struct zb_jval v;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("zapbench run exited %d: %s", s.status, s.err);
	load_record(out, &v);
	ctx = zb_jobj_get(&v, "context");
	machine_id_cli(id, sizeof(id));
	ASSERT_STREQ(zb_jobj_str(zb_jobj_get(ctx, "machine"), "id"), id);
	ASSERT_TRUE(zb_jobj_str(zb_jobj_get(ctx, "machine"), "name")[0]);
	ASSERT_STREQ("abc", zb_jobj_str(ctx, "tag"));
	ASSERT_EQ(0, zb_record_machine_id(&v, rid, sizeof(rid)));
	ASSERT_STREQ(rid, id);
	sys = zb_jobj_get(ctx, "system");
	ASSERT_TRUE(zb_jobj_str(sys, "kernel_release")[0]);
	ASSERT_TRUE(zb_jobj_get(zb_jobj_get(sys, "config"), "options"));
	ASSERT_TRUE(zb_jobj_str(sys, "compiler")[0]);
	/* the fields Google Benchmark's tools read are all still there */
	ASSERT_TRUE(zb_jobj_str(ctx, "host_name") && zb_jobj_str(ctx, "library_build_type"));
	zb_jval_free(&v);
}

static void legacy_id(const char *clocksource, char *buf, size_t len)
{
	char text[512], err[128];
	struct zb_jval v;

	snprintf(text, sizeof(text),
		 "{\"schema\": \"zapbench-result\", \"context\": {\"host_name\": \"vm\", "
		 "\"cpu_model\": \"AMD EPYC\", \"num_cpus\": 2, \"hypervisor\": \"KVMKVMKVM\", "
		 "\"clocksource\": \"%s\"}, \"benchmarks\": []}", clocksource);
	if (zb_json_parse(text, strlen(text), &v, err, sizeof(err)))
		ZBT_FAIL("fixture does not parse: %s", err);
	ASSERT_EQ(0, zb_record_machine_id(&v, buf, len));
	zb_jval_free(&v);
}

TEST(legacy_record_gets_stable_legacy_id)
{
	char a[64], b[64], c[64];

	legacy_id("kvm-clock", a, sizeof(a));
	legacy_id("kvm-clock", b, sizeof(b));
	legacy_id("tsc", c, sizeof(c));
	ASSERT_TRUE(!strncmp(a, "legacy-", 7));
	ASSERT_TRUE(is_id(a + 7));
	ASSERT_STREQ(a, b);
	ASSERT_TRUE(strcmp(a, c));
}

TEST(legacy_record_name_and_no_context)
{
	const char *text = "{\"context\": {\"host_name\": \"vm\", \"cpu_model\": \"AMD EPYC\", "
			   "\"num_cpus\": 2, \"hypervisor\": \"KVMKVMKVM\", "
			   "\"clocksource\": \"kvm-clock\"}}";
	char name[256], err[128], id[64];
	struct zb_jval v;

	ASSERT_EQ(0, zb_json_parse(text, strlen(text), &v, err, sizeof(err)));
	zb_record_machine_name(&v, name, sizeof(name));
	ASSERT_STREQ("vm: AMD EPYC, 2 CPUs, KVM, clocksource kvm-clock", name);
	zb_jval_free(&v);
	ASSERT_EQ(0, zb_json_parse("{}", 2, &v, err, sizeof(err)));
	ASSERT_EQ(-ENOENT, zb_record_machine_id(&v, id, sizeof(id)));
	zb_jval_free(&v);
}

TEST(machine_cli_default_and_json)
{
	char *plain[] = { "zapbench", "machine", NULL };
	char *json[] = { "zapbench", "machine", "--json", NULL };
	char id[64], line[80], err[128];
	struct spawned s;
	struct zb_jval v;

	machine_id_cli(id, sizeof(id));
	spawn(&s, plain);
	ASSERT_EQ(0, s.status);
	snprintf(line, sizeof(line), "id %s\nname ", id);
	ASSERT_TRUE(!strncmp(s.out, line, strlen(line)));
	spawn(&s, json);
	ASSERT_EQ(0, s.status);
	ASSERT_EQ(0, zb_json_parse(s.out, strlen(s.out), &v, err, sizeof(err)));
	ASSERT_STREQ(zb_jobj_str(zb_jobj_get(&v, "machine"), "id"), id);
	ASSERT_TRUE(zb_jobj_get(&v, "system") && !zb_jobj_get(&v, "tag"));
	zb_jval_free(&v);
}

TEST(machine_cli_bad_option)
{
	char *argv[] = { "zapbench", "machine", "--bogus", NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "zapbench: error: unknown option '--bogus'");
	ASSERT_STREQ("", s.out);
}

static void expect_bad_tag(char *tag, const char *needle)
{
	char dir[256], out[300];
	char *argv[] = { "zapbench", "run", "--filter", "^open/close/target:dev_null/",
			 "--out", out, "--tag", tag, NULL };
	struct spawned s;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	spawn(&s, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, needle);
	ASSERT_TRUE(access(out, F_OK) != 0);
}

TEST(run_tag_rejects_control_character_and_length)
{
	char long_tag[202];

	expect_bad_tag("abc\ndef", "--tag: control character 0x0a");
	expect_bad_tag("a\tb", "--tag: control character 0x09");
	memset(long_tag, 'x', sizeof(long_tag) - 1);
	long_tag[sizeof(long_tag) - 1] = '\0';
	expect_bad_tag(long_tag, "--tag: 201 bytes, at most 200");
}

/* /sys/kernel/notes of a real kernel: the build id is its first note. */
TEST(build_id_from_a_real_notes_file)
{
	char hex[ZB_BUILD_ID_HEX_MAX];

	ASSERT_EQ(0, zb_kernel_build_id("tests/fixtures/kernel-notes.bin", hex, sizeof(hex)));
	ASSERT_STREQ("a3e4cd60a8ec14f02aa41b41d5b5846d3d9f1dd8", hex);
	ASSERT_EQ(-E2BIG, zb_kernel_build_id("tests/fixtures/kernel-notes.bin", hex, 40));
	ASSERT_EQ(-ENOENT, zb_kernel_build_id("tests/fixtures/no-such-notes", hex, sizeof(hex)));
}

/* Little-endian note header and padded name and descriptor, at @p. */
static size_t put_note(unsigned char *p, const char *name, unsigned int type,
		       const unsigned char *desc, unsigned int descsz)
{
	unsigned int namesz = (unsigned int)strlen(name) + 1, h[3] = { namesz, descsz, type };
	size_t n = sizeof(h);

	memcpy(p, h, sizeof(h));
	memcpy(p + n, name, namesz);
	n += (namesz + 3) & ~3u;
	memcpy(p + n, desc, descsz);
	return n + ((descsz + 3) & ~3u);
}

/* Past other owners' notes and GNU's other types; none, cut and malformed said apart. */
TEST(build_id_parse_finds_only_the_gnu_build_id)
{
	static const unsigned char abi[16] = { 0, 0, 0, 0, 6 }, id[8] = {
		0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0xff };
	unsigned char buf[256];
	char hex[ZB_BUILD_ID_HEX_MAX];
	size_t n = 0, without;
	unsigned int huge = 0x7fffffff;

	n += put_note(buf + n, "Xen", 3, id, 8);	/* type 3 of another owner */
	n += put_note(buf + n, "GNU", 1, abi, sizeof(abi));
	without = n;
	n += put_note(buf + n, "GNU", 3, id, sizeof(id));
	ASSERT_EQ(0, zb_build_id_parse(buf, n, hex, sizeof(hex)));
	ASSERT_STREQ("deadbeef000102ff", hex);
	ASSERT_EQ(-ENOENT, zb_build_id_parse(buf, without, hex, sizeof(hex)));
	ASSERT_EQ(-ENOENT, zb_build_id_parse(buf, 0, hex, sizeof(hex)));
	ASSERT_EQ(-EINVAL, zb_build_id_parse(buf, n - 4, hex, sizeof(hex)));
	ASSERT_EQ(-EINVAL, zb_build_id_parse(buf, without + 6, hex, sizeof(hex)));
	memcpy(buf + without + 4, &huge, sizeof(huge));	/* descsz beyond the end */
	ASSERT_EQ(-EINVAL, zb_build_id_parse(buf, n, hex, sizeof(hex)));
}

static void kernel_id_of_this_process(struct zb_jval *v)
{
	struct zb_json j;
	char err[128];

	zb_json_init(&j);
	zb_json_obj_begin(&j, NULL);
	zb_kernel_id_json(&j);
	zb_json_obj_end(&j);
	ASSERT_EQ(0, j.err);
	if (zb_json_parse(j.buf, j.len, v, err, sizeof(err)))
		ZBT_FAIL("kernel id json does not parse: %s", err);
	zb_json_free(&j);
}

/* In a guest: the image scripts/vm booted, and the VM it set up. */
TEST(kernel_id_in_a_guest_names_the_image_and_the_vm)
{
	const struct zb_jval *img, *vm;
	struct zb_jval v;

	guest_env("0123456789abcdef", "vmhost: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM");
	setenv("ZB_VM_OVERCOMMIT", "1", 1);
	kernel_id_of_this_process(&v);
	img = zb_jobj_get(&v, "kernel_image");
	ASSERT_STREQ(zb_jobj_str(img, "path"), GUEST_IMAGE);
	ASSERT_STREQ(zb_jobj_str(img, "sha256"), GUEST_SHA256);
	ASSERT_STREQ(zb_jobj_str(img, "kdir"), GUEST_KDIR);
	vm = zb_jobj_get(&v, "vm");
	ASSERT_STREQ("tcg", zb_jobj_str(vm, "accel"));
	ASSERT_EQ(2, zb_jobj_num(vm, "smp"));
	ASSERT_EQ(2, zb_jobj_num(vm, "host_cpus"));
	ASSERT_TRUE(zb_jobj_get(vm, "overcommit")->type == ZB_JBOOL);
	ASSERT_TRUE(zb_jobj_get(vm, "overcommit")->num == 1);
	ASSERT_TRUE(!strncmp(zb_jobj_str(&v, "proc_version"), "Linux version ", 14));
	zb_jval_free(&v);
}

/* On a host: no image, no VM; the build id is the running kernel's or null. */
TEST(kernel_id_on_a_host)
{
	char hex[ZB_BUILD_ID_HEX_MAX];
	const char *id;
	struct zb_jval v;

	unsetenv("ZB_GUEST");
	unsetenv("ZB_KERNEL_IMAGE");
	kernel_id_of_this_process(&v);
	ASSERT_TRUE(zb_jobj_get(&v, "kernel_image")->type == ZB_JNULL);
	ASSERT_TRUE(zb_jobj_get(&v, "vm")->type == ZB_JNULL);
	id = zb_jobj_str(&v, "kernel_build_id");
	if (zb_kernel_build_id(ZB_KERNEL_NOTES, hex, sizeof(hex)))
		ASSERT_TRUE(zb_jobj_get(&v, "kernel_build_id")->type == ZB_JNULL);
	else
		ASSERT_STREQ(id, hex);
	zb_jval_free(&v);
}

TEST(guest_name_says_guest_and_its_host)
{
	struct zb_machine_src s;
	char name[1024];

	sample_src(&s);
	snprintf(s.vm_accel, sizeof(s.vm_accel), "tcg");
	snprintf(s.vm_host, sizeof(s.vm_host), "vmhost: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM");
	s.mem_gib = 1;
	zb_machine_name(&s, "zapbench-guest", name, sizeof(name));
	ASSERT_STREQ("qemu-tcg guest, 2 vCPUs, 1 GiB, clocksource kvm-clock, "
		     "on vmhost: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM", name);
	s.vm_host[0] = '\0';
	zb_machine_name(&s, "zapbench-guest", name, sizeof(name));
	ASSERT_CONTAINS(name, ", on an unnamed host");
}

/* A guest is a machine of its host: the host's id makes its id. */
TEST(guest_id_follows_the_host)
{
	struct zb_machine_src a, b;
	char ia[ZB_MACHINE_ID_LEN], ib[ZB_MACHINE_ID_LEN], name[1024];

	guest_env("0123456789abcdef", "vmhost: AMD EPYC");
	zb_machine_src_read(&a);
	ASSERT_STREQ("vm-host", a.id_source);
	zb_machine_name(&a, "zapbench-guest", name, sizeof(name));
	ASSERT_TRUE(!strncmp(name, "qemu-tcg guest, ", 16));
	ASSERT_CONTAINS(name, ", on vmhost: AMD EPYC");
	guest_env("fedcba9876543210", "vmhost2: AMD EPYC");
	zb_machine_src_read(&b);
	id_of(&a, ia);
	id_of(&b, ib);
	ASSERT_TRUE(strcmp(ia, ib));
}
