// SPDX-License-Identifier: GPL-2.0
/*
 * Each benchmark family, run for real in a tiny configuration through
 * the CLI: the record must be well formed and the setup what we claim
 * (VMA counts, PTEs revoked, one fault per op).  The only timing claim is
 * one no machine can miss: revoking 1000 populated mappings costs more
 * than revoking one.
 */
#include <errno.h>

#include "zbtest.h"
#include "spawn.h"

#include "records.h"

TEST(record_carries_machine_context)
{
	char *args[] = { "--filter", "open/close/target:dev_null/paths:same/cpus:1", NULL };
	const struct zb_jval *ctx, *b;
	struct zb_jval v;

	run_record(&v, args);
	ctx = zb_jobj_get(&v, "context");
	ASSERT_TRUE(zb_jobj_str(ctx, "kernel")[0]);
	ASSERT_TRUE(zb_jobj_str(ctx, "cpu_model")[0]);
	ASSERT_TRUE(zb_jobj_str(ctx, "clocksource")[0]);
	ASSERT_TRUE(zb_jobj_str(ctx, "git_commit")[0]);
	ASSERT_TRUE(zb_jobj_num(ctx, "vm_max_map_count") > 0);
	ASSERT_TRUE(zb_jobj_num(ctx, "num_cpus") >= 1);
	ASSERT_TRUE(zb_jobj_get(ctx, "timer") && zb_jobj_get(ctx, "counters_available"));
	b = bench(&v, "open/close/target:dev_null/paths:same/cpus:1/mode:process");
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(b, "summary"), "count") >= 10);
	ASSERT_TRUE(zb_jobj_get(b, "samples")->n >= 10);
	ASSERT_TRUE(median(b) > 0);
	zb_jval_free(&v);
}

TEST(revoke_validates_vmas_and_grows_with_n)
{
	char *args[] = { "--filter", "revoke/ftruncate", "--maps", "1,1000", NULL };
	const struct zb_jval *one, *many, *un, *fits;
	struct zb_jval v;

	run_record(&v, args);
	one = bench(&v, "revoke/ftruncate/maps:1/populate:yes");
	many = bench(&v, "revoke/ftruncate/maps:1000/populate:yes");
	un = bench(&v, "revoke/ftruncate/maps:1000/populate:no");
	ASSERT_EQ(1, note(one, "vmas_verified"));
	ASSERT_EQ(1000, note(many, "vmas_verified"));
	ASSERT_EQ(1000, note(many, "ptes_revoked"));
	ASSERT_TRUE(note(many, "populate_faults") >= 1000);
	ASSERT_EQ(1000, note(un, "vmas_verified"));
	ASSERT_EQ(0, note(un, "ptes_revoked"));
	/* the revoke itself takes no fault */
	ASSERT_EQ(0, zb_jobj_num(many, "faults_per_op"));
	ASSERT_TRUE(median(many) > median(one));
	ASSERT_TRUE(median(many) > median(un));
	fits = zb_jobj_get(&v, "fits");
	ASSERT_EQ(2, fits->n);
	ASSERT_STREQ("maps", zb_jobj_str(&fits->items[0], "x"));
	ASSERT_TRUE(zb_jobj_num(&fits->items[0], "slope_ns") > 0);
	zb_jval_free(&v);
}

TEST(revoke_triggers_all_run)
{
	char *args[] = { "--filter", "revoke/(punch|madvise)", "--maps", "10",
			 "--populate", "yes", NULL };
	struct zb_jval v;

	run_record(&v, args);
	ASSERT_EQ(10, note(bench(&v, "revoke/punch/maps:10/populate:yes"), "ptes_revoked"));
	ASSERT_EQ(10, note(bench(&v, "revoke/madvise/maps:10/populate:yes"), "ptes_revoked"));
	zb_jval_free(&v);
}

/*
 * Past vm.max_map_count the mappings are spread over holder processes.
 * Setting up 10^5 mappings and their holders takes longer on 2 CPUs than
 * the default alarm allows.
 */
TEST_TIMEOUT(revoke_hundred_thousand_maps, 300)
{
	char *args[] = { "--filter", "revoke/ftruncate", "--maps", "100000", "--populate",
			 "yes", "--min-samples", "6", "--warmup", "1", NULL };
	const struct zb_jval *b;
	long max = 0;
	struct zb_jval v;

	zb_read_long("/proc/sys/vm/max_map_count", &max);
	run_record(&v, args);
	b = bench(&v, "revoke/ftruncate/maps:100000/populate:yes");
	ASSERT_EQ(100000, note(b, "vmas_verified"));
	/* every PTE, the holders' included, was there and was revoked */
	ASSERT_EQ(100000, note(b, "ptes_revoked"));
	if (max < 100000)
		ASSERT_TRUE(note(b, "holder_processes") >= 1);
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(b, "summary"), "count") >= 6);
	zb_jval_free(&v);
}

TEST(revoke_with_peers)
{
	char *args[] = { "--filter", "revoke/peers", "--cpus", "2", "--maps", "100",
			 "--peer", "idle,spin,fault,mmap", "--mode", "process,thread", NULL };
	struct zb_jval v;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "peers need 2 CPUs");
	run_record(&v, args);
	ASSERT_EQ(8, zb_jobj_get(&v, "benchmarks")->n);
	ASSERT_EQ(0, zb_jobj_get(&v, "failed")->n);
	ASSERT_EQ(2, zb_jobj_num(bench(&v, "revoke/peers/trigger:ftruncate/maps:100/populate:yes/"
				       "peer:spin/mode:thread/cpus:2"), "workers"));
	zb_jval_free(&v);
}

TEST(fault_one_fault_per_op)
{
	char *args[] = { "--filter", "fault/touch", "--cpus", "1", NULL };
	static const char *const kinds[] = { "anon", "shared", "refault" };
	struct zb_jval v;
	char name[128];
	int i;

	run_record(&v, args);
	for (i = 0; i < 3; i++) {
		const struct zb_jval *b;

		snprintf(name, sizeof(name), "fault/touch/kind:%s/cpus:1/mode:process", kinds[i]);
		b = bench(&v, name);
		/* getrusage around every timed op: exactly one minor fault each */
		ASSERT_EQ(1, zb_jobj_num(b, "faults_per_op"));
		ASSERT_EQ(1, note(b, "validated_faults_per_touch"));
	}
	zb_jval_free(&v);
}

TEST(open_targets_run_or_skip_with_reason)
{
	char *args[] = { "--filter", "open/close/.*/cpus:1", NULL };
	const struct zb_jval *sk;
	struct zb_jval v;
	size_t i;

	run_record(&v, args);
	bench(&v, "open/close/target:dev_zero/paths:same/cpus:1/mode:process");
	bench(&v, "open/close/target:tmpfs/paths:different/cpus:1/mode:process");
	sk = zb_jobj_get(&v, "skipped");
	for (i = 0; i < sk->n; i++)
		ASSERT_TRUE(strlen(zb_jobj_str(&sk->items[i], "reason")) > 5);
	if (access("/dev/mem", F_OK))
		ASSERT_TRUE(sk->n >= 2);
	ASSERT_EQ(0, zb_jobj_get(&v, "failed")->n);
	zb_jval_free(&v);
}

/* Google Benchmark's aggregate rows over repetitions, for its tools. */
TEST(repetitions_give_aggregates)
{
	char *args[] = { "--filter", "open/close/target:dev_null/paths:same/cpus:1",
			 "--mode", "process", "--repetitions", "3", NULL };
	const struct zb_jval *b;
	struct zb_jval v;
	int iter = 0, agg = 0;
	size_t i;

	run_record(&v, args);
	b = zb_jobj_get(&v, "benchmarks");
	for (i = 0; i < b->n; i++) {
		const char *t = zb_jobj_str(&b->items[i], "run_type");

		iter += !strcmp(t, "iteration");
		agg += !strcmp(t, "aggregate");
	}
	ASSERT_EQ(3, iter);
	ASSERT_EQ(4, agg);
	b = bench(&v, "open/close/target:dev_null/paths:same/cpus:1/mode:process_median");
	ASSERT_STREQ("median", zb_jobj_str(b, "aggregate_name"));
	ASSERT_TRUE(zb_jobj_num(b, "real_time") > 0);
	zb_jval_free(&v);
}

/* --interleave keeps the record in point order; an injected 50 % is caught. */
TEST(interleave_and_injected_slowdown_are_detected)
{
	char *base[] = { "--filter", "open/close/target:dev_null/paths:same/cpus:1/mode:process",
			 "--repetitions", "8", "--interleave", NULL };
	char *slow[] = { "--filter", "open/close/target:dev_null/paths:same/cpus:1/mode:process",
			 "--repetitions", "8", "--interleave", "--inject-slowdown", "50", NULL };
	char a[320], *argv[] = { "zapbench", "compare", a, out, NULL };
	const struct zb_jval *b;
	struct spawned s;
	struct zb_jval v;

	run_record(&v, base);
	b = zb_jobj_get(&v, "benchmarks");
	/* 8 iterations of the point, then its 4 aggregates */
	ASSERT_EQ(12, b->n);
	ASSERT_TRUE(zb_jobj_num(&b->items[7], "repetition_index") == 7);
	zb_jval_free(&v);
	snprintf(a, sizeof(a), "%s.base", out);
	ASSERT_EQ(0, rename(out, a));
	run_record(&v, slow);
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(zb_jobj_get(&v, "context"), "options"),
				"inject_slowdown_pct") == 50);
	zb_jval_free(&v);
	spawn(&s, argv);
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "REGRESSED");
	ASSERT_CONTAINS(s.out, "WARNING: new was run with --inject-slowdown 50%");
}

/*
 * The userspace barrier analogues: every correct variant shows no
 * forbidden outcome; publishing before initialising (reorder) must be
 * caught, or the detector is blind.  "plain" (no ONCE, no barrier) is
 * reported but may be zero: x86 TSO keeps stores in order and GCC need
 * not reorder them.
 */
TEST(barrier_mp_ordered_variants_show_nothing_forbidden)
{
	char *args[] = { "--filter", "barrier/mp/variant:(v3|once|acqrel|rcu|plain)", "--cpus", "2",
			 "--min-time", "0.2", NULL };
	static const char *const ok[] = { "v3", "once", "acqrel", "rcu", "plain" };
	const struct zb_jval *b;
	struct zb_jval v;
	char name[128];
	size_t i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "message passing needs 2 CPUs");
	run_record(&v, args);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(name, sizeof(name), "barrier/mp/variant:%s/cpus:2/mode:thread", ok[i]);
		b = bench(&v, name);
		ASSERT_TRUE(note(b, "nonnull_reads") > 1000);
		if (strcmp(ok[i], "plain"))
			ASSERT_EQ(0, note(b, "forbidden"));
		else
			ASSERT_TRUE(note(b, "forbidden") >= 0);
	}
	zb_jval_free(&v);
}

/*
 * The detector must be able to fail: the reorder control publishes before
 * it initialises, so a reader on the other CPU sees it, provided the two
 * threads overlap at all.  On a loaded machine one short run may not;
 * three runs that all miss mean the detector is broken.
 */
TEST(barrier_mp_detector_catches_the_reorder_control)
{
	char *args[] = { "--filter", "barrier/mp/variant:reorder", "--cpus", "2",
			 "--min-time", "0.2", NULL };
	double forbidden = 0;
	struct zb_jval v;
	int tries;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "message passing needs 2 CPUs");
	for (tries = 0; tries < 3 && forbidden == 0; tries++) {
		run_record(&v, args);
		forbidden = note(bench(&v, "barrier/mp/variant:reorder/cpus:2/mode:thread"),
				 "forbidden");
		zb_jval_free(&v);
	}
	ASSERT_TRUE(forbidden > 0);
}

TEST(barrier_costs_are_measured_per_op)
{
	char *args[] = { "--filter", "barrier/(consume|publish)/variant:(none|acqrel)/cpus:1",
			 NULL };
	const struct zb_jval *b;
	struct zb_jval v;

	run_record(&v, args);
	b = bench(&v, "barrier/consume/variant:acqrel/cpus:1/mode:thread");
	/*
	 * Per operation, not per batch of BATCH: a bound that only the
	 * division can meet (a batch takes hundreds of ns), not a timing claim.
	 */
	ASSERT_TRUE(median(b) > 0 && median(b) < 100);
	b = bench(&v, "barrier/publish/variant:none/cpus:1/mode:thread");
	ASSERT_TRUE(median(b) > 0 && median(b) < 100);
	zb_jval_free(&v);
}
