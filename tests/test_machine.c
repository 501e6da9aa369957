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

#include "machine.h"

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
	ASSERT_STR_EQ(ia, ib);
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
	ASSERT_STR_EQ(name, "vm: AMD EPYC 7B13, 2 CPUs, 24 GiB, KVM, clocksource kvm-clock");
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
	ASSERT_STR_EQ(ia, ib);
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
	ASSERT_EQ(s.status, 0);
	ASSERT_STR_EQ(s.err, "");
	snprintf(id, len, "%s", s.out);
	id[strcspn(id, "\n")] = '\0';
	ASSERT_TRUE(is_id(id));
	ASSERT_EQ(strlen(s.out), 17);
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
	ASSERT_STR_EQ(zb_jobj_str(zb_jobj_get(ctx, "machine"), "id"), id);
	ASSERT_TRUE(zb_jobj_str(zb_jobj_get(ctx, "machine"), "name")[0]);
	ASSERT_STR_EQ(zb_jobj_str(ctx, "tag"), "abc");
	ASSERT_EQ(zb_record_machine_id(&v, rid, sizeof(rid)), 0);
	ASSERT_STR_EQ(rid, id);
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
	ASSERT_EQ(zb_record_machine_id(&v, buf, len), 0);
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
	ASSERT_STR_EQ(a, b);
	ASSERT_TRUE(strcmp(a, c));
}

TEST(legacy_record_name_and_no_context)
{
	const char *text = "{\"context\": {\"host_name\": \"vm\", \"cpu_model\": \"AMD EPYC\", "
			   "\"num_cpus\": 2, \"hypervisor\": \"KVMKVMKVM\", "
			   "\"clocksource\": \"kvm-clock\"}}";
	char name[256], err[128], id[64];
	struct zb_jval v;

	ASSERT_EQ(zb_json_parse(text, strlen(text), &v, err, sizeof(err)), 0);
	zb_record_machine_name(&v, name, sizeof(name));
	ASSERT_STR_EQ(name, "vm: AMD EPYC, 2 CPUs, KVM, clocksource kvm-clock");
	zb_jval_free(&v);
	ASSERT_EQ(zb_json_parse("{}", 2, &v, err, sizeof(err)), 0);
	ASSERT_EQ(zb_record_machine_id(&v, id, sizeof(id)), -ENOENT);
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
	ASSERT_EQ(s.status, 0);
	snprintf(line, sizeof(line), "id %s\nname ", id);
	ASSERT_TRUE(!strncmp(s.out, line, strlen(line)));
	spawn(&s, json);
	ASSERT_EQ(s.status, 0);
	ASSERT_EQ(zb_json_parse(s.out, strlen(s.out), &v, err, sizeof(err)), 0);
	ASSERT_STR_EQ(zb_jobj_str(zb_jobj_get(&v, "machine"), "id"), id);
	ASSERT_TRUE(zb_jobj_get(&v, "system") && !zb_jobj_get(&v, "tag"));
	zb_jval_free(&v);
}

TEST(machine_cli_bad_option)
{
	char *argv[] = { "zapbench", "machine", "--bogus", NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
	ASSERT_CONTAINS(s.err, "zapbench: error: unknown option '--bogus'");
	ASSERT_STR_EQ(s.out, "");
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
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
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
