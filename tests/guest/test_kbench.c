// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-side benchmark cases, run for real in the guest in tiny
 * configurations: each must run (no skip, no failure) and have checked
 * its setup (VMA counts, one fault per op, every /dev/mem mapping
 * revoked).  The barrier stress must find no forbidden outcome for the
 * variants the LKMM says are ordered.  No timing is asserted.
 */
#include <errno.h>

#include "zbtest.h"
#include "spawn.h"
#include "records.h"
#include "kmod_dev.h"

static void no_skip_no_fail(const struct zb_jval *v)
{
	const struct zb_jval *sk = zb_jobj_get(v, "skipped");
	const struct zb_jval *fl = zb_jobj_get(v, "failed");

	if (sk && sk->n)
		ZBT_FAIL("skipped: %s", zb_jobj_str(&sk->items[0], "reason"));
	if (fl && fl->n)
		ZBT_FAIL("failed: %s", zb_jobj_str(&fl->items[0], "reason"));
}

TEST(kmod_revoke_validates_its_vmas)
{
	char *args[] = { "--filter", "kmod_revoke/unified", "--maps", "10", "--cpus", "1",
			 "--populate", "yes", "--map", "fault", NULL };
	const struct zb_jval *b;
	struct zb_jval v;

	run_record(&v, args);
	no_skip_no_fail(&v);
	b = bench(&v, "kmod_revoke/unified/map:fault/maps:10/populate:yes/cpus:1/variant:acqrel/"
		  "mode:thread");
	ASSERT_EQ(10, note(b, "vmas"));
	ASSERT_TRUE(note(b, "wall_ns") > 0);
	/* the module as loaded is part of the record */
	ASSERT_STREQ("acqrel",
		     zb_jobj_str(zb_jobj_get(zb_jobj_get(&v, "context"), "zaptest_module"),
				 "variant"));
	ASSERT_TRUE(median(b) > 0);
	zb_jval_free(&v);
}

/*
 * The default shape is /dev/mem's: validation saw one PAT memtype per VMA
 * and the revoke free every one of them (populate=yes), or none left to
 * free once an earlier revoke zapped them (populate=no).
 */
TEST(kmod_revoke_remap_pays_a_memtype_per_vma)
{
	char *args[] = { "--filter", "kmod_revoke/unified/map:remap", "--maps", "10",
			 "--cpus", "1", NULL };
	const char *pfx = "kmod_revoke/unified/map:remap/maps:10/populate:";
	const char *sfx = "/cpus:1/variant:acqrel/mode:thread";
	const struct zb_jval *b;
	char name[160];
	struct zb_jval v;

	if (access(ZB_PAT_MEMTYPE_LIST, R_OK))
		SKIP(return, "%s unreadable: no PAT in this guest", ZB_PAT_MEMTYPE_LIST);
	run_record(&v, args);
	no_skip_no_fail(&v);
	snprintf(name, sizeof(name), "%syes%s", pfx, sfx);
	b = bench(&v, name);
	ASSERT_EQ(10, note(b, "vmas"));
	ASSERT_EQ(10, note(b, "pat_memtypes"));
	ASSERT_EQ(10, note(b, "pat_memtypes_freed"));
	ASSERT_TRUE(median(b) > 0);
	snprintf(name, sizeof(name), "%sno%s", pfx, sfx);
	b = bench(&v, name);
	ASSERT_EQ(10, note(b, "vmas"));
	ASSERT_EQ(0, note(b, "pat_memtypes"));
	zb_jval_free(&v);
}

/* The module's own tracepoints join --trace default in the guest. */
TEST(trace_default_counts_one_revoke_and_one_fault_per_op)
{
	char *args[] = { "--filter", "kmod_(revoke/unified|fault/touch/state:revoked)",
			 "--maps", "10", "--cpus", "1", "--populate", "yes", "--map", "remap,fault",
			 "--trace", "default", NULL };
	static const char *const maps[] = { "remap", "fault" };
	const struct zb_jval *b;
	char name[160];
	struct zb_jval v;
	int i;

	run_record(&v, args);
	no_skip_no_fail(&v);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "kmod_revoke/unified/map:%s/maps:10/populate:yes/"
			 "cpus:1/variant:acqrel/mode:thread", maps[i]);
		b = bench(&v, name);
		ASSERT_NEAR(1, zb_jobj_num(b, "zaptest:zaptest_revoke_end"), 0.01);
		ASSERT_NEAR(0, zb_jobj_num(b, "zaptest:zaptest_fault"), 0.01);
	}
	b = bench(&v, "kmod_fault/touch/state:revoked/cpus:1");
	ASSERT_NEAR(1, zb_jobj_num(b, "zaptest:zaptest_fault"), 0.01);
	zb_jval_free(&v);
}

/* The module's tracepoints work for perf itself, not only for zapbench. */
TEST(perf_stat_counts_zaptest_tracepoints)
{
	char line[256];
	long faults = -1, revokes = -1;
	FILE *f;

	if (access("/zb/perf", X_OK))
		SKIP(return, "no perf in the guest (the host has no Debian linux-perf)");
	f = popen("/zb/perf stat -x, -e zaptest:zaptest_fault,zaptest:zaptest_revoke_end -- "
		  "/zb/zapbench run --filter kmod_fault/touch/state:revoked/cpus:1 "
		  "--min-time 0.01 --no-progress --out /tmp/perf-stat.json 2>&1 >/dev/null", "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, ",zaptest:zaptest_fault,"))
			faults = atol(line);
		if (strstr(line, ",zaptest:zaptest_revoke_end,"))
			revokes = atol(line);
	}
	ASSERT_EQ(0, pclose(f));
	/* every sample revokes the page, then faults it back: one each */
	ASSERT_TRUE(faults > 10);
	ASSERT_EQ(faults, revokes);
}

TEST(kmod_fault_takes_one_fault_per_op)
{
	char *args[] = { "--filter", "kmod_fault/touch/.*/cpus:1$", NULL };
	struct zb_jval v;

	run_record(&v, args);
	no_skip_no_fail(&v);
	ASSERT_EQ(1,
		  zb_jobj_num(bench(&v, "kmod_fault/touch/state:fresh/cpus:1"), "faults_per_op"));
	ASSERT_EQ(1, zb_jobj_num(bench(&v, "kmod_fault/touch/state:revoked/cpus:1"),
				 "faults_per_op"));
	zb_jval_free(&v);
}

TEST(kmod_open_runs_every_target)
{
	char *args[] = { "--filter", "kmod_open/close/.*/cpus:1$", NULL };
	struct zb_jval v;

	run_record(&v, args);
	no_skip_no_fail(&v);
	bench(&v, "kmod_open/close/target:unified/variant:acqrel/cpus:1");
	bench(&v, "kmod_open/close/target:per_inode/variant:acqrel/cpus:1");
	bench(&v, "kmod_open/close/target:dev_mem/variant:acqrel/cpus:1");
	zb_jval_free(&v);
}

/*
 * A guest record names the kernel it ran on as the host saw it (the image's
 * path and sha256, KDIR: what scripts/vm wrote into /zb/env), the kernel's
 * own build id and /proc/version, and the VM; its machine says it is a guest.
 */
TEST(guest_record_carries_kernel_identity)
{
	char *args[] = { "--filter", "kmod_open/close/target:unified/.*/cpus:1$", NULL };
	const struct zb_jval *ctx, *sys, *img, *vm;
	const char *sha = getenv("ZB_KERNEL_SHA256"), *name, *id;
	struct zb_jval v;

	ASSERT_TRUE(sha && strlen(sha) == 64);
	run_record(&v, args);
	ctx = zb_jobj_get(&v, "context");
	sys = zb_jobj_get(ctx, "system");
	img = zb_jobj_get(sys, "kernel_image");
	ASSERT_STREQ(zb_jobj_str(img, "sha256"), sha);
	ASSERT_STREQ(zb_jobj_str(img, "path"), getenv("ZB_KERNEL_IMAGE"));
	ASSERT_STREQ(zb_jobj_str(img, "kdir"), getenv("ZB_KDIR"));
	/* Debian builds with a build id: the kernel's own name for its build */
	id = zb_jobj_str(sys, "kernel_build_id");
	ASSERT_TRUE(id && strlen(id) == 40);
	ASSERT_TRUE(!strncmp(zb_jobj_str(sys, "proc_version"), "Linux version ", 14));
	ASSERT_CONTAINS(zb_jobj_str(sys, "cmdline"), "zb.accel=");
	/* the booted kernel's .config, brought by the runner: hashed, read */
	ASSERT_TRUE(zb_jobj_str(zb_jobj_get(sys, "config"), "hash") != NULL);
	ASSERT_TRUE(!strncmp(zb_jobj_str(zb_jobj_get(sys, "config"), "source"), "host:", 5));
	ASSERT_STREQ("y", zb_jobj_str(zb_jobj_get(zb_jobj_get(sys, "config"), "options"),
				      "CONFIG_IO_STRICT_DEVMEM"));
	vm = zb_jobj_get(sys, "vm");
	ASSERT_STREQ(zb_jobj_str(vm, "accel"), getenv("ZB_VM_ACCEL"));
	ASSERT_EQ(zb_jobj_num(vm, "smp"), sysconf(_SC_NPROCESSORS_CONF));
	ASSERT_TRUE(zb_jobj_num(vm, "host_cpus") >= 1);
	name = zb_jobj_str(zb_jobj_get(ctx, "machine"), "name");
	ASSERT_TRUE(!strncmp(name, "qemu-", 5));
	ASSERT_CONTAINS(name, " guest, ");
	ASSERT_CONTAINS(name, " vCPUs, ");
	ASSERT_TRUE(getenv("ZB_VM_HOST_MACHINE") && getenv("ZB_VM_HOST_MACHINE")[0]);
	ASSERT_CONTAINS(name, getenv("ZB_VM_HOST_MACHINE"));
	ASSERT_STREQ("vm-host", zb_jobj_str(zb_jobj_get(zb_jobj_get(ctx, "machine"), "sources"),
					    "id_source"));
	zb_jval_free(&v);
}

/* Its prepare checks every mapping raised SIGBUS after each claim. */
TEST(devmem_revoke_reaches_every_mapping)
{
	char *args[] = { "--filter", "devmem_revoke", "--maps", "0,10", "--probe", "no,yes",
			 "--cpus", "1", NULL };
	const char *no10 = "devmem_revoke/claim/maps:10/probe:no/cpus:1/mode:thread";
	const char *no0 = "devmem_revoke/claim/maps:0/probe:no/cpus:1/mode:thread";
	struct zb_jval v;

	run_record(&v, args);
	no_skip_no_fail(&v);
	ASSERT_EQ(10, note(bench(&v, no10), "vmas"));
	ASSERT_EQ(1, note(bench(&v, no10), "unmap_calls"));
	ASSERT_TRUE(note(bench(&v, "devmem_revoke/claim/maps:10/probe:yes/cpus:1/mode:thread"),
			 "unmap_ns") > 0);
	/* nothing mapped: the claim still makes revoke_iomem()'s one call */
	ASSERT_EQ(0, note(bench(&v, no0), "vmas"));
	ASSERT_EQ(1, note(bench(&v, no0), "unmap_calls"));
	ASSERT_TRUE(median(bench(&v, no0)) > 0);
	zb_jval_free(&v);
}

/* Sibling threads spin in the claimer's mm; the claim still reaches every mapping. */
TEST(devmem_revoke_with_siblings_in_the_mm)
{
	char *args[] = { "--filter", "devmem_revoke", "--maps", "10", "--probe", "no",
			 "--cpus", "2", NULL };
	const struct zb_jval *b;
	struct zb_jval v;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "siblings need a second CPU (scripts/vm -s 2)");
	run_record(&v, args);
	no_skip_no_fail(&v);
	b = bench(&v, "devmem_revoke/claim/maps:10/probe:no/cpus:2/mode:thread");
	ASSERT_EQ(10, note(b, "vmas"));
	ASSERT_EQ(1, note(b, "unmap_calls"));
	ASSERT_EQ(2, zb_jobj_num(b, "workers"));
	zb_jval_free(&v);
}

TEST(kmod_barrier_cost_runs_every_variant)
{
	static const char *const vs[] = { "v3", "once", "acqrel", "rcu", "relderef" };
	static const char *const ops[] = { "consume", "publish", "republish" };
	char *args[] = { "--filter", "kmod_barrier/cost", "--op", "consume,publish,republish",
			 "--kthreads", "1", "--loops", "1000", NULL };
	char name[160];
	struct zb_jval v;
	int i, op;

	run_record(&v, args);
	no_skip_no_fail(&v);
	for (op = 0; op < 3; op++)
		for (i = 0; i < 5; i++) {
			snprintf(name, sizeof(name),
				 "kmod_barrier/cost/op:%s/variant:%s/kthreads:1/loops:1000",
				 ops[op], vs[i]);
			ASSERT_TRUE(note(bench(&v, name), "loop_overhead_ns") > 0);
		}
	zb_jval_free(&v);
}

/*
 * v3, acqrel, rcu and relderef are "Never" in the LKMM's MP litmus tests
 * (relderef is MP+onceassign+derefonce without its rcu_read_lock()): any
 * forbidden outcome is a bug.  once, plain and reorder may show one
 * (reorder does, on any CPU, when a reader wins the race); for them the
 * count must be reported, whatever it is.
 */
TEST(kmod_barrier_mp_ordered_variants_never_fail)
{
	static const char *const vs[] = {
		"v3", "once", "acqrel", "rcu", "relderef", "plain", "reorder",
	};
	char *args[] = { "--filter", "kmod_barrier/mp", "--kthreads", "2", "--loops", "20000",
			 NULL };
	const struct zb_jval *b;
	char name[160];
	struct zb_jval v;
	int i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "message passing needs 2 CPUs (scripts/vm -s 2)");
	run_record(&v, args);
	no_skip_no_fail(&v);
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "kmod_barrier/mp/variant:%s/kthreads:2/loops:20000",
			 vs[i]);
		b = bench(&v, name);
		ASSERT_TRUE(note(b, "reads") > 0);
		ASSERT_TRUE(note(b, "forbidden") >= 0);
		if (i == 0 || i == 2 || i == 3 || i == 4)
			ASSERT_EQ(0, note(b, "forbidden"));
	}
	zb_jval_free(&v);
}

TEST(bad_variant_names_are_refused)
{
	char *argv[] = { "zapbench", "run", "--filter", "kmod_barrier", "--variant", "acq_rel",
			 NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "acq_rel");
	ASSERT_EQ(1, s.err_lines);
}
