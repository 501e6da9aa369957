// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench compare and report on synthetic records whose answer is known:
 * the four verdicts from constructed round sets, paired against unpaired
 * rounds, what 3 rounds a side can and cannot say, records of two
 * machines, rounds missing on one side, and corrupt input.
 */
#include <errno.h>

#include "record/json.h"
#include "zbtest.h"
#include "spawn.h"

#define MAX_ROUNDS	16

static char dir[256];
static int dir_made;
static int mark_stress;		/* write_record marks its cases as stress cases */
static const char *clocksource = "tsc";	/* part of the (legacy) machine id */
static double injected;		/* context.options.inject_slowdown_pct */

struct fake_case {
	const char *name;
	double reps[MAX_ROUNDS];
};

/* A record with @nr rounds (repetitions) per case, as run --repetitions writes. */
static const char *write_rounds(const char *file, const struct fake_case *c, int n, int first,
				int nr)
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
	zb_json_str(&j, "kernel", "6.1.0");
	zb_json_str(&j, "cpu_model", "Test CPU");
	zb_json_str(&j, "clocksource", clocksource);
	zb_json_str(&j, "hypervisor", "none");
	zb_json_str(&j, "git_commit", "abc1234");
	zb_json_str(&j, "command", "build/zapbench run --repetitions 5");
	zb_json_int(&j, "num_cpus", 2);
	zb_json_obj_begin(&j, "options");
	zb_json_num(&j, "inject_slowdown_pct", injected);
	zb_json_obj_end(&j);
	zb_json_obj_end(&j);
	zb_json_arr_begin(&j, "benchmarks");
	for (i = 0; i < n; i++)
		for (k = first; k < first + nr; k++) {
			zb_json_obj_begin(&j, NULL);
			zb_json_str(&j, "name", c[i].name);
			zb_json_str(&j, "run_type", "iteration");
			zb_json_int(&j, "repetition_index", k - first);
			if (mark_stress)
				zb_json_bool(&j, "stress", 1);
			zb_json_num(&j, "real_time", c[i].reps[k]);
			zb_json_str(&j, "time_unit", "ns");
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

static const char *write_record(const char *file, const struct fake_case *c, int n)
{
	return write_rounds(file, c, n, 0, 5);
}

static const struct fake_case base_cases[] = {
	{ "revoke/ftruncate/maps:1000/populate:yes", { 100, 101, 99, 100, 102 } },
	{ "fault/touch/kind:anon/cpus:1/mode:process", { 50, 51, 49, 50, 52 } },
	{ "open/close/target:dev_null/paths:same/cpus:1/mode:process", { 10, 10.1, 9.9, 10, 10.2 } },
	{ "open/close/target:dev_zero/paths:same/cpus:1/mode:process", { 10, 12, 8, 10, 13 } },
	{ "open/close/target:gone/paths:same/cpus:1/mode:process", { 10, 10, 10, 10, 10 } },
};

static const struct fake_case new_cases[] = {
	/* +20 %, tight: regressed */
	{ "revoke/ftruncate/maps:1000/populate:yes", { 120, 121, 119, 122, 120 } },
	/* -20 %: improved */
	{ "fault/touch/kind:anon/cpus:1/mode:process", { 40, 41, 39, 40, 40.5 } },
	/* the same within 1 %: no change */
	{ "open/close/target:dev_null/paths:same/cpus:1/mode:process", { 10.1, 10, 9.9, 10.2, 10 } },
	/* +-30 % noise: no way to tell */
	{ "open/close/target:dev_zero/paths:same/cpus:1/mode:process", { 13, 7, 11, 9, 12 } },
	{ "open/close/target:fresh/paths:same/cpus:1/mode:process", { 10, 10, 10, 10, 10 } },
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

TEST(compare_gives_all_four_verdicts)
{
	const char *a = write_record("a.json", base_cases, 5);
	const char *b = write_record("b.json", new_cases, 5);
	struct spawned s;

	run_cmd(&s, "compare", a, b, "--all");
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(line_with(s.out, "  1000/yes"), "REGRESSED");
	ASSERT_CONTAINS(line_with(s.out, "  1000/yes"), "+20.0");
	ASSERT_CONTAINS(line_with(s.out, "  anon/1/process"), "improved");
	ASSERT_CONTAINS(line_with(s.out, "  dev_null "), "no change");
	ASSERT_CONTAINS(line_with(s.out, "  dev_zero "), "inconclusive");
	ASSERT_CONTAINS(line_with(s.out, "  gone "), "missing in new");
	ASSERT_CONTAINS(line_with(s.out, "  fresh "), "added in new");
	ASSERT_CONTAINS(s.out, "summary: 1 regressed, 1 improved, 1 no change (within +-5%), "
			"1 inconclusive of 4 gated points; 1 missing in new, 1 added");
	ASSERT_CONTAINS(s.out, "unpaired rounds");
	ASSERT_CONTAINS(s.out, "holm over 4 gated points");
	ASSERT_TRUE(!strstr(s.out, "WARNING"));
}

/* The default table leaves out "no change"; the summary still counts it. */
TEST(compare_no_regression_exits_zero)
{
	const char *a = write_record("a.json", base_cases + 1, 2);
	const char *b = write_record("b.json", new_cases + 1, 2);
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(s.out, "0 regressed, 1 improved, 1 no change");
	ASSERT_TRUE(!line_with(s.out, "  dev_null "));
}

/* A significant +20 % whose interval lies inside a 25 % threshold: no change. */
TEST(compare_threshold_bounds_what_counts)
{
	const char *a = write_record("a.json", base_cases, 1);
	const char *b = write_record("b.json", new_cases, 1);
	struct spawned s;

	run_cmd(&s, "compare", a, b, "--threshold=25");
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(s.out, "0 regressed, 0 improved, 1 no change (within +-25%)");
}

/*
 * 3 rounds a side: the smallest exact Mann-Whitney p is 0.1, so no interval
 * at 95 % excludes anything.  Identical data must read inconclusive, never
 * "no change", and say how many rounds would do.
 */
TEST(three_rounds_a_side_are_inconclusive_not_no_change)
{
	static const struct fake_case c[] = {
		{ "fault/touch/kind:anon/cpus:1/mode:process", { 50, 50.1, 49.9 } },
	};
	const char *a = write_rounds("a.json", c, 1, 0, 3);
	const char *b = write_rounds("b.json", c, 1, 0, 3);
	const char *row;
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(s.out, "0 no change (within +-5%), 1 inconclusive");
	row = line_with(s.out, "  anon/1/process");
	ASSERT_CONTAINS(row, "inconclusive");
	ASSERT_CONTAINS(row, "[-inf, +inf]");
	ASSERT_CONTAINS(s.out, "+-5% needs up to");
}

/*
 * Drift common to both sides (+-20 % from round to round) hides an 8 %
 * regression from unpaired rounds; paired, round by round, it is plain.
 */
TEST(paired_rounds_see_through_drift)
{
	static struct fake_case a[1] = { { "revoke/punch/maps:10/populate:yes", { 0 } } };
	static struct fake_case b[1] = { { "revoke/punch/maps:10/populate:yes", { 0 } } };
	static const double drift[MAX_ROUNDS] = { 1.0, 1.2, 0.85, 1.1, 0.9, 1.15, 0.8, 1.05,
						  0.95, 1.2, 0.82, 1.0, 1.1, 0.9 };
	char as[4096] = "", bs[4096] = "";
	struct spawned s;
	int k;

	for (k = 0; k < 14; k++) {
		char f[32];

		a[0].reps[k] = 1000 * drift[k];
		b[0].reps[k] = 1080 * drift[k] * (k % 2 ? 1.003 : 0.997);
		snprintf(f, sizeof(f), "ra%d.json", k);
		snprintf(as + strlen(as), sizeof(as) - strlen(as), "%s%s", k ? "," : "",
			 write_rounds(f, a, 1, k, 1));
		snprintf(f, sizeof(f), "rb%d.json", k);
		snprintf(bs + strlen(bs), sizeof(bs) - strlen(bs), "%s%s", k ? "," : "",
			 write_rounds(f, b, 1, k, 1));
	}
	run_cmd(&s, "compare", as, bs, "--all");
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(line_with(s.out, "  10/yes"), "inconclusive");
	run_cmd(&s, "compare", as, bs, "--paired");
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "paired rounds (ABBA order)");
	ASSERT_CONTAINS(line_with(s.out, "  10/yes"), "REGRESSED");
	ASSERT_CONTAINS(line_with(s.out, "  10/yes"), "+8.0");
}

/*
 * Every point +8 % from one session to the next: two sessions of a machine
 * differ like that by themselves, so unpaired rounds give no verdict; the
 * same rounds paired (one session) do.
 */
TEST(unpaired_points_that_all_moved_get_no_verdict)
{
	static struct fake_case a[6], b[6];
	static char names[6][64];
	char as[8192] = "", bs[8192] = "";
	struct spawned s;
	int i, k;

	for (i = 0; i < 6; i++) {
		snprintf(names[i], sizeof(names[i]), "fault/touch/kind:k%d/cpus:1/mode:process", i);
		a[i].name = b[i].name = names[i];
		for (k = 0; k < 14; k++) {
			a[i].reps[k] = 100 * (i + 1) * (1 + 0.002 * (k % 3));
			b[i].reps[k] = a[i].reps[k] * 1.08;
		}
	}
	for (k = 0; k < 14; k++) {
		char f[32];

		snprintf(f, sizeof(f), "sa%d.json", k);
		snprintf(as + strlen(as), sizeof(as) - strlen(as), "%s%s", k ? "," : "",
			 write_rounds(f, a, 6, k, 1));
		snprintf(f, sizeof(f), "sb%d.json", k);
		snprintf(bs + strlen(bs), sizeof(bs) - strlen(bs), "%s%s", k ? "," : "",
			 write_rounds(f, b, 6, k, 1));
	}
	run_cmd(&s, "compare", as, bs, NULL);
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(s.out, "0 regressed, 0 improved, 0 no change (within +-5%), 6 inconclusive");
	ASSERT_CONTAINS(s.out, "no verdicts: every point moved by a median of +8.0%");
	run_cmd(&s, "compare", as, bs, "--paired");
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "6 regressed, 0 improved, 0 no change (within +-5%), 0 inconclusive");
}

TEST(paired_rounds_missing_on_one_side_is_an_input_error)
{
	const char *a = write_rounds("a.json", base_cases, 1, 0, 5);
	const char *b = write_rounds("b.json", new_cases, 1, 0, 4);
	struct spawned s;

	run_cmd(&s, "compare", a, b, "--paired");
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "base has 5 rounds, new 4");
	ASSERT_STREQ("", s.out);
}

/* Another clocksource is another machine: both are named, no verdicts. */
TEST(compare_refuses_two_machines)
{
	const char *a = write_record("a.json", base_cases, 2), *b;
	struct spawned s;

	clocksource = "hpet";
	b = write_record("b.json", new_cases, 2);
	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "base: machine testhost");
	ASSERT_CONTAINS(s.err, "new:  machine testhost");
	ASSERT_CONTAINS(s.err, "two machines");
	ASSERT_CONTAINS(s.err, "--cross-machine");
	ASSERT_STREQ("", s.out);
	run_cmd(&s, "compare", a, b, "--cross-machine");
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "WARNING: two machines compared (--cross-machine)");
}

TEST(one_side_of_two_machines_is_an_input_error)
{
	const char *a1 = write_record("a1.json", base_cases, 2), *a2;
	char both[700];
	struct spawned s;

	clocksource = "hpet";
	a2 = write_record("a2.json", base_cases, 2);
	snprintf(both, sizeof(both), "%s,%s", a1, a2);
	run_cmd(&s, "compare", both, a1, NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "one side is one machine");
}

TEST(records_of_two_suites_are_an_input_error)
{
	const char *a = write_record("a.json", base_cases, 1);
	const char *b = write_record("b.json", new_cases + 4, 1);
	struct spawned s;

	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "no point in common");
}

TEST(compare_json_output)
{
	const char *a = write_record("a.json", base_cases, 5);
	const char *b = write_record("b.json", new_cases, 5);
	const struct zb_jval *c, *row = NULL;
	struct spawned s;
	struct zb_jval v;
	char out[320];
	size_t i;

	snprintf(out, sizeof(out), "%s/cmp.json", dir);
	{
		char *argv[] = { "zapbench", "compare", (char *)a, (char *)b, "--format", "json",
				 "--out", out, NULL };

		spawn(&s, argv);
	}
	ASSERT_EQ(1, s.status);
	load_record(out, &v);
	ASSERT_STREQ("zapbench-compare", zb_jobj_str(&v, "schema"));
	c = zb_jobj_get(&v, "points");
	ASSERT_EQ(6, c->n);
	for (i = 0; i < c->n; i++)
		if (!strcmp(zb_jobj_str(&c->items[i], "name"), base_cases[0].name))
			row = &c->items[i];
	ASSERT_TRUE(row);
	ASSERT_STREQ("regressed", zb_jobj_str(row, "verdict"));
	ASSERT_NEAR(20, zb_jobj_num(row, "change_pct"), 0.6);
	ASSERT_EQ(5, zb_jobj_num(row, "rounds_base"));
	ASSERT_TRUE(zb_jobj_num(row, "ci_level") > 0.95);
	ASSERT_TRUE(isfinite(zb_jobj_num(zb_jobj_get(row, "variance_components"),
					 "between_rounds_sd_pct")));
	ASSERT_STREQ("unpaired", zb_jobj_str(zb_jobj_get(&v, "method"), "design"));
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(&v, "summary"), "regressed") == 1);
	ASSERT_TRUE(zb_jobj_num(zb_jobj_get(&v, "summary"), "inconclusive") == 1);
	zb_jval_free(&v);
}

TEST(report_fits_in_80_ascii_columns)
{
	const char *a = write_record("a.json", base_cases, 5);
	const char *b = write_record("b.json", new_cases, 5);
	struct spawned s;
	const char *line;
	int col = 0;

	run_cmd(&s, "report", a, b, "--all");
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "%change");
	ASSERT_CONTAINS(s.out, "revoke/ftruncate [maps/populate]");
	ASSERT_CONTAINS(s.out, "To reproduce");
	ASSERT_CONTAINS(s.out, "1 regressed, 1 improved, 1 no change, 1 inconclusive");
	/* each row's verdict: one letter after its change */
	ASSERT_CONTAINS(s.out, "R regressed, I improved, ? inconclusive");
	ASSERT_CONTAINS(s.out, "%R ");
	ASSERT_CONTAINS(s.out, "%I ");
	/* names are grouped under their case, never wrapped */
	ASSERT_CONTAINS(line_with(s.out, "revoke/ftruncate"), "[");
	for (line = s.out; *line; line++) {
		if ((unsigned char)*line > 126 || ((unsigned char)*line < 32 && *line != '\n'))
			ZBT_FAIL("non-ASCII or control byte 0x%02x in the report",
				 (unsigned char)*line);
		col = *line == '\n' ? 0 : col + 1;
		if (col > 80)
			ZBT_FAIL("line longer than 80 columns: %.90s", line - 80);
	}
}

/* compare's table stays in 120 columns with the longest real point names. */
TEST(compare_table_fits_120_columns)
{
	static const struct fake_case c[] = {
		{ "revoke/peers/trigger:ftruncate/maps:1000/populate:yes/peer:fault/mode:thread/"
		  "cpus:2", { 100, 101, 99, 100, 102 } },
		{ "revoke/peers/trigger:ftruncate/maps:1000/populate:yes/peer:mmap/mode:process/"
		  "cpus:2", { 100, 101, 99, 100, 102 } },
	};
	const char *a = write_record("a.json", c, 2), *line;
	struct spawned s;
	int col = 0;

	run_cmd(&s, "compare", a, a, "--all");
	ASSERT_EQ(0, s.status);
	for (line = s.out; *line; line++) {
		col = *line == '\n' ? 0 : col + 1;
		if (col > 120)
			ZBT_FAIL("line longer than 120 columns: %.130s", line - 120);
	}
	ASSERT_CONTAINS(s.out, "revoke/peers trigger:ftruncate maps:1000 populate:yes cpus:2  "
			"[peer/mode]");
}

static void expect_input_error(const char *content, const char *needle)
{
	const char *good = write_record("good.json", base_cases, 1);
	char path[320];
	struct spawned s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.json", dir);
	f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
	run_cmd(&s, "compare", good, path, NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "zapbench: error: ");
	ASSERT_CONTAINS(s.err, needle);
	ASSERT_STREQ("", s.out);
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
	const char *good = write_record("good.json", base_cases, 1);
	struct spawned s;

	run_cmd(&s, "compare", good, "/nonexistent-zb.json", NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	run_cmd(&s, "compare", good, NULL, NULL);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "needs two records");
	run_cmd(&s, "compare", good, good, "--alpha=2");
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "--alpha");
	run_cmd(&s, "compare", good, good, "--correction=sidak");
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
}

/* A correctness stress's latency is shown but never judged. */
TEST(stress_cases_are_not_gated)
{
	const char *a = write_record("a.json", base_cases, 1), *b;
	struct spawned s;

	/* the same +20 % as the first test, but marked a stress case */
	mark_stress = 1;
	b = write_record("b.json", new_cases, 1);
	run_cmd(&s, "compare", a, b, "--all");
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(line_with(s.out, "  1000/yes"), "stress");
	ASSERT_CONTAINS(s.out, "0 regressed, 0 improved, 0 no change (within +-5%), "
			"0 inconclusive of 0 gated points; 1 stress points not gated");
}

/* A side run with --inject-slowdown says so: it is a test, not a measurement. */
TEST(injected_side_is_flagged)
{
	const char *a = write_record("a.json", base_cases, 1), *b;
	struct spawned s;

	injected = 10;
	b = write_record("b.json", new_cases, 1);
	run_cmd(&s, "compare", a, b, NULL);
	ASSERT_CONTAINS(s.out, "WARNING: new was run with --inject-slowdown 10%");
}
