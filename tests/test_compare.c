// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench compare and report on synthetic record pairs whose answer is
 * known: a clear regression, an improvement, no change, a missing and an
 * added case, mismatched machines, and corrupt input.
 */
#include <errno.h>

#include "json.h"
#include "zbtest.h"
#include "spawn.h"

static char dir[256];
static int dir_made;
static int mark_stress;		/* write_record marks its cases as stress cases */

struct fake_case {
	const char *name;
	double reps[5];
};

/* A record with five repetitions per case, as `run --repetitions 5` writes. */
static const char *write_record(const char *file, const char *kernel,
				const struct fake_case *c, int n)
{
	static char path[8][300];
	static int next;
	struct zb_json j;
	char *p = path[next++ % 8];
	FILE *f;
	int i, k;

	if (!dir_made++)
		zbt_mkdtemp(dir, sizeof(dir));
	snprintf(p, 300, "%s/%s", dir, file);
	zb_json_init(&j);
	zb_json_obj_begin(&j, NULL);
	zb_json_str(&j, "schema", "zapbench-result");
	zb_json_int(&j, "schema_version", 1);
	zb_json_obj_begin(&j, "context");
	zb_json_str(&j, "host_name", "testhost");
	zb_json_str(&j, "kernel", kernel);
	zb_json_str(&j, "cpu_model", "Test CPU");
	zb_json_str(&j, "clocksource", "tsc");
	zb_json_str(&j, "hypervisor", "none");
	zb_json_str(&j, "git_commit", "abc1234");
	zb_json_str(&j, "command", "build/zapbench run --repetitions 5");
	zb_json_int(&j, "num_cpus", 2);
	zb_json_obj_end(&j);
	zb_json_arr_begin(&j, "benchmarks");
	for (i = 0; i < n; i++)
		for (k = 0; k < 5; k++) {
			zb_json_obj_begin(&j, NULL);
			zb_json_str(&j, "name", c[i].name);
			zb_json_str(&j, "run_type", "iteration");
			if (mark_stress)
				zb_json_bool(&j, "stress", 1);
			zb_json_num(&j, "real_time", c[i].reps[k]);
			zb_json_str(&j, "time_unit", "ns");
			zb_json_arr_begin(&j, "samples");
			zb_json_num(&j, NULL, c[i].reps[k]);
			zb_json_arr_end(&j);
			zb_json_obj_end(&j);
		}
	zb_json_arr_end(&j);
	zb_json_obj_end(&j);
	f = fopen(p, "w");
	fwrite(j.buf, 1, j.len, f);
	fclose(f);
	zb_json_free(&j);
	return p;
}

static const struct fake_case base_cases[] = {
	{ "revoke/ftruncate/maps:1000/populate:yes", { 100, 101, 99, 100, 102 } },
	{ "fault/touch/kind:anon/cpus:1/mode:process", { 50, 51, 49, 50, 52 } },
	{ "open/close/target:dev_null/paths:same/cpus:1/mode:process", { 10, 10.1, 9.9, 10, 10.2 } },
	{ "open/close/target:gone/paths:same/cpus:1/mode:process", { 10, 10, 10, 10, 10 } },
};

static const struct fake_case new_cases[] = {
	/* +20 %: regressed */
	{ "revoke/ftruncate/maps:1000/populate:yes", { 120, 121, 119, 122, 120 } },
	/* -20 %: improved */
	{ "fault/touch/kind:anon/cpus:1/mode:process", { 40, 41, 39, 40, 40.5 } },
	/* the same within noise */
	{ "open/close/target:dev_null/paths:same/cpus:1/mode:process", { 10.1, 10, 9.9, 10.2, 10 } },
	{ "open/close/target:new/paths:same/cpus:1/mode:process", { 10, 10, 10, 10, 10 } },
};

/* The line of @text that contains @needle (static copy), or NULL. */
static const char *line_with(const char *text, const char *needle)
{
	static char line[512];
	const char *p = strstr(text, needle), *start, *end;

	if (!p)
		return NULL;
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(end ? end - start : (long)strlen(start)),
		 start);
	return line;
}

static void run_cmd(struct spawned *s, const char *cmd, const char *a, const char *b,
		    const char *opt)
{
	char *argv[] = { "zapbench", (char *)cmd, (char *)a, (char *)b, (char *)opt, NULL };

	spawn(s, argv);
}

TEST(compare_finds_regression_improvement_and_no_change)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 4);
	const char *b = write_record("b.json", "6.1.0", new_cases, 4);
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(s.status, 1);
	ASSERT_CONTAINS(s.out, "+20.0%");
	ASSERT_CONTAINS(s.out, "REGRESSED");
	ASSERT_CONTAINS(s.out, "improved");
	ASSERT_CONTAINS(line_with(s.out, "target:gone/"), "missing in new");
	ASSERT_CONTAINS(line_with(s.out, "target:new/"), "added in new");
	ASSERT_CONTAINS(s.out, "summary: 1 regressed, 1 improved, 1 no significant change, "
			"1 missing in new, 1 added in new");
	ASSERT_CONTAINS(s.out, "holm-adjusted over 3 cases");
	ASSERT_TRUE(!strstr(s.out, "WARNING"));
}

TEST(compare_no_regression_exits_zero)
{
	const char *a = write_record("a.json", "6.1.0", base_cases + 1, 2);
	const char *b = write_record("b.json", "6.1.0", new_cases + 1, 2);
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(s.status, 0);
	ASSERT_CONTAINS(s.out, "0 regressed, 1 improved, 1 no significant change");
}

TEST(compare_threshold_hides_small_significant_change)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 1);
	const char *b = write_record("b.json", "6.1.0", new_cases, 1);
	struct spawned s;

	/* +20 % is significant but under a 25 % threshold: not a regression */
	run_cmd(&s, "compare", a, b, "--threshold=25");
	ASSERT_EQ(s.status, 0);
	ASSERT_CONTAINS(s.out, "0 regressed");
}

TEST(compare_flags_other_machine_loudly)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 2);
	const char *b = write_record("b.json", "6.18.0", new_cases, 2);
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_CONTAINS(s.out, "WARNING: kernel differs: base '6.1.0', new '6.18.0'");
}

TEST(compare_json_output)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 4);
	const char *b = write_record("b.json", "6.1.0", new_cases, 4);
	const struct zb_jval *c;
	struct spawned s;
	struct zb_jval v;
	char out[320];

	snprintf(out, sizeof(out), "%s/cmp.json", dir);
	{
		char *argv[] = { "zapbench", "compare", (char *)a, (char *)b, "--format", "json",
				 "--out", out, NULL };

		spawn(&s, argv);
	}
	ASSERT_EQ(s.status, 1);
	load_record(out, &v);
	ASSERT_STR_EQ(zb_jobj_str(&v, "schema"), "zapbench-compare");
	c = zb_jobj_get(&v, "cases");
	ASSERT_EQ(c->n, 5);
	ASSERT_STR_EQ(zb_jobj_str(&c->items[0], "verdict"), "regressed");
	ASSERT_NEAR(zb_jobj_num(&c->items[0], "change_pct"), 20, 1e-9);
	ASSERT_STR_EQ(zb_jobj_str(&c->items[0], "unit"), "repetition medians");
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(&v, "summary"), "regressed") == 1);
	zb_jval_free(&v);
}

TEST(report_fits_in_80_ascii_columns)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 4);
	const char *b = write_record("b.json", "6.1.0", new_cases, 4);
	struct spawned s;
	const char *line;
	int col = 0;

	run_cmd(&s, "report", a, b, "--all");
	ASSERT_EQ(s.status, 1);
	ASSERT_CONTAINS(s.out, "%change");
	ASSERT_CONTAINS(s.out, "revoke/ftruncate/");
	ASSERT_CONTAINS(s.out, "To reproduce");
	for (line = s.out; *line; line++) {
		if ((unsigned char)*line > 126 || ((unsigned char)*line < 32 && *line != '\n'))
			ZBT_FAIL("non-ASCII or control byte 0x%02x in the report",
				 (unsigned char)*line);
		col = *line == '\n' ? 0 : col + 1;
		if (col > 80)
			ZBT_FAIL("line longer than 80 columns: %.90s", line - 80);
	}
}

static void expect_input_error(const char *content, const char *needle)
{
	const char *good = write_record("good.json", "6.1.0", base_cases, 1);
	char path[320];
	struct spawned s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.json", dir);
	f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
	run_cmd(&s, "compare", good, path, NULL);
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
	ASSERT_CONTAINS(s.err, "zapbench: error: ");
	ASSERT_CONTAINS(s.err, needle);
	ASSERT_STR_EQ(s.out, "");
}

TEST(corrupt_record_is_an_input_error)
{
	expect_input_error("{\"schema\": \"zapbench-result\", \"schema_version\": 1, \"bench",
			   "bad.json");
}

TEST(wrong_schema_version_is_an_input_error)
{
	expect_input_error("{\"schema\": \"zapbench-result\", \"schema_version\": 99, "
			   "\"benchmarks\": []}", "version");
}

TEST(not_a_zapbench_record_is_an_input_error)
{
	expect_input_error("[1, 2, 3]", "bad.json");
}

TEST(missing_file_and_usage_errors)
{
	const char *good = write_record("good.json", "6.1.0", base_cases, 1);
	struct spawned s;

	run_cmd(&s, "compare", good, "/nonexistent-zb.json", NULL);
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
	run_cmd(&s, "compare", good, NULL, NULL);
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "needs two records");
	run_cmd(&s, "compare", good, good, "--alpha=2");
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "--alpha");
	run_cmd(&s, "compare", good, good, "--correction=sidak");
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
}

/* A correctness stress's latency is shown but never judged. */
TEST(stress_cases_are_not_gated)
{
	const char *a = write_record("a.json", "6.1.0", base_cases, 1), *b;
	struct spawned s;

	/* the same +20 % as the first test, but marked a stress case */
	mark_stress = 1;
	b = write_record("b.json", "6.1.0", new_cases, 1);
	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(s.status, 0);
	ASSERT_CONTAINS(s.out, "stress case, not gated");
	ASSERT_CONTAINS(s.out, "0 regressed");
}
