// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench-gbench runs a case under Google Benchmark and writes its JSON,
 * and Google Benchmark's own compare.py (Debian libbenchmark-tools)
 * reads both that and a zapbench record.
 */
#include "zbtest.h"
#include "spawn.h"
#include "cmd.h"

/* make sanitize names its own build (sh() runs the line in sh). */
#define GBENCH		"\"${ZAPBENCH_GBENCH:-build/zapbench-gbench}\""
#define COMPARE		"/usr/share/benchmark/compare.py"
/* Debian's python3, with python3-scipy, not whatever is first on PATH. */
#define PYTHON		"/usr/bin/python3"

static char dir[128];

static void gbench_json(const char *path, struct zb_jval *v)
{
	char cmd[1024], *buf, err[160];
	size_t len;

	snprintf(cmd, sizeof(cmd), GBENCH " --benchmark_filter='^revoke/ftruncate/maps:10/' "
		 "--benchmark_min_time=0.01 --benchmark_format=json --events page-faults "
		 "--trace tlb:tlb_flush > %s 2>/dev/null", path);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, zb_read_file(path, &buf, &len));
	if (zb_json_parse(buf, len, v, err, sizeof(err)))
		ZBT_FAIL("%s: not JSON: %s", path, err);
	free(buf);
}

TEST(shim_runs_a_case_and_writes_gb_json)
{
	const struct zb_jval *b, *row;
	char path[256];
	struct zb_jval v;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/gb.json", dir);
	gbench_json(path, &v);
	ASSERT_TRUE(zb_jobj_get(&v, "context"));
	b = zb_jobj_get(&v, "benchmarks");
	ASSERT_EQ(2, b->n);
	row = &b->items[0];
	ASSERT_STREQ("revoke/ftruncate/maps:10/populate:yes/manual_time", zb_jobj_str(row, "name"));
	ASSERT_STREQ("ns", zb_jobj_str(row, "time_unit"));
	ASSERT_TRUE(zb_jobj_num(row, "iterations") >= 1);
	ASSERT_TRUE(zb_jobj_num(row, "real_time") > 0);
	ASSERT_NEAR(0, zb_jobj_num(row, "page-faults"), 0.05);
	if (!geteuid())
		ASSERT_TRUE(zb_jobj_num(row, "tlb:tlb_flush") >= 9);
	zb_jval_free(&v);
}

TEST(shim_refuses_unknown_flags)
{
	ASSERT_EQ(2, sh(GBENCH " --benchmark_no_such_flag >/dev/null 2>&1"));
	ASSERT_EQ(2, sh(GBENCH " --events bogus >/dev/null 2>&1"));
}

/*
 * compare.py matches by name; Google Benchmark appends /manual_time, so
 * across the two the filtered mode maps both names onto one.
 */
TEST(compare_py_reads_both)
{
	char *argv[] = { "zapbench", "run", "--filter", "^revoke/ftruncate/maps:10/",
			 "--min-time", "0.02", "--no-progress", "--out", NULL, NULL };
	char zb[256], gb[256], cmd[1024];
	struct spawned s;
	struct zb_jval v;

	if (access(COMPARE, R_OK))
		SKIP(return, "no " COMPARE " (Debian libbenchmark-tools)");
	if (sh(PYTHON " -c 'import scipy' 2>/dev/null"))
		SKIP(return, "compare.py needs python3-scipy");
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(zb, sizeof(zb), "%s/zb.json", dir);
	snprintf(gb, sizeof(gb), "%s/gb.json", dir);
	argv[8] = zb;
	spawn(&s, argv);
	ASSERT_EQ(0, s.status);
	gbench_json(gb, &v);
	zb_jval_free(&v);
	snprintf(cmd, sizeof(cmd), PYTHON " " COMPARE " benchmarks %s %s | "
		 "grep 'revoke/ftruncate/maps:10/populate:yes ' >/dev/null", zb, zb);
	ASSERT_EQ(0, sh(cmd));
	snprintf(cmd, sizeof(cmd), PYTHON " " COMPARE " benchmarks %s %s | "
		 "grep 'revoke/ftruncate/maps:10/populate:no/manual_time' >/dev/null", gb, gb);
	ASSERT_EQ(0, sh(cmd));
	snprintf(cmd, sizeof(cmd), PYTHON " " COMPARE " benchmarksfiltered %s '$' %s "
		 "'/manual_time$' | grep 'maps:10/populate:yes\\[\\$ vs. /manual_time\\$\\]' >/dev/null",
		 zb, gb);
	ASSERT_EQ(0, sh(cmd));
}
