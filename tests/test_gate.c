// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's gate (scripts/bench-gate) on a machine with no baseline and
 * with one, and --inject-slowdown keeping every row's own labels.
 */
#include <limits.h>
#include <sys/stat.h>

#include "record/json.h"
#include "zbtest.h"
#include "spawn.h"

#define POINTS	"^(open/close/target:dev_null/paths:same/cpus:1/mode:process|" \
		"fault/touch/kind:anon/cpus:1/mode:process)$"
#define POINT_ONE	"^open/close/target:dev_null/paths:same/cpus:1/mode:process$"
/* with a correctness stress, the case the old static wrapper ended every row with */
#define POINTS_AND_STRESS	"^(open/close/target:dev_null/paths:same/cpus:1/mode:process|" \
				"fault/touch/kind:anon/cpus:1/mode:process|" \
				"barrier/mp/variant:v3/cpus:2/mode:thread)$"

static char top[PATH_MAX];

static void record_n(const char *out, const char *filter, const char *reps, const char *extra,
		     const char *pct)
{
	char *argv[] = { "zapbench", "run", "--filter", (char *)filter, "--min-time", "0.01",
			 "--repetitions", (char *)reps, "--interleave", "--out", (char *)out,
			 (char *)extra, (char *)pct, NULL };
	struct spawned s;

	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("run exited %d: %s", s.status, s.err);
}

static void record(const char *out, const char *extra)
{
	record_n(out, extra ? POINTS_AND_STRESS : POINTS, "3", extra, extra ? "10" : NULL);
}

/* Run scripts/bench-gate in @dir as make bench does; its output in @out. */
static int gate(const char *dir, const char *rec, char **out)
{
	char cmd[8 * PATH_MAX], path[PATH_MAX + 32];
	const char *zb = zapbench_path();
	FILE *f;
	int st;

	/* bench-gate runs in @dir: zapbench by an absolute path */
	snprintf(path, sizeof(path), "%s/gate.out", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && ZAPBENCH=%s%s%s sh %s/scripts/bench-gate "
		 "%s > %s 2>&1", dir, zb[0] == '/' ? "" : top, zb[0] == '/' ? "" : "/", zb, top,
		 rec, path);
	st = system(cmd);
	f = fopen(path, "r");
	if (!f || zb_read_file(path, out, NULL))
		ZBT_FAIL("no gate output");
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void machine_id(char *id, size_t len)
{
	char *argv[] = { "zapbench", "machine", "--id", NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(0, s.status);
	snprintf(id, len, "%.16s", s.out);
}

TEST(first_make_bench_stores_the_baseline_then_compares)
{
	char dir[256], a[300], b[300], base[400], id[32], *out;
	struct stat st;

	if (!getcwd(top, sizeof(top)))
		ZBT_FAIL("getcwd");
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a.json", dir);
	snprintf(b, sizeof(b), "%s/b.json", dir);
	record(a, NULL);
	record(b, NULL);
	machine_id(id, sizeof(id));
	ASSERT_EQ(0, gate(dir, a, &out));
	ASSERT_CONTAINS(out, "make bench: no baseline of this machine");
	ASSERT_CONTAINS(out, "stored this run as its first baseline");
	ASSERT_TRUE(!strchr(out, '\n') || !strchr(strchr(out, '\n') + 1, '\n'));
	snprintf(base, sizeof(base), "%s/datasets/baselines/%s/a.json", dir, id);
	ASSERT_EQ(0, stat(base, &st));
	free(out);
	/* the second run is judged against it: the four-way summary */
	ASSERT_TRUE(gate(dir, b, &out) <= 1);
	ASSERT_CONTAINS(out, "comparing with this machine's baseline");
	ASSERT_CONTAINS(out, "unpaired rounds");
	ASSERT_CONTAINS(out, "regressed, ");
	ASSERT_CONTAINS(out, " inconclusive of 2 gated points");
	free(out);
}

/* Each row keeps its own case and labels: the slowdown is the runner's. */
TEST(injected_slowdown_keeps_every_rows_labels)
{
	char dir[256], a[300];
	const struct zb_jval *b;
	struct zb_jval v;
	size_t i;
	int rows = 0;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a.json", dir);
	record(a, "--inject-slowdown");
	load_record(a, &v);
	b = zb_jobj_get(&v, "benchmarks");
	for (i = 0; i < b->n; i++) {
		const char *name = zb_jobj_str(&b->items[i], "name");
		const char *c = zb_jobj_str(&b->items[i], "case");

		if (strcmp(zb_jobj_str(&b->items[i], "run_type"), "iteration"))
			continue;
		rows++;
		ASSERT_TRUE(c && !strncmp(name, c, strlen(c)) && name[strlen(c)] == '/');
		/* only the correctness stress is one, as its case says */
		ASSERT_EQ(!!zb_jobj_get(&b->items[i], "stress"), !strcmp(c, "barrier/mp"));
	}
	ASSERT_EQ(9, rows);
	ASSERT_NEAR(10, zb_jobj_num(zb_jobj_get(zb_jobj_get(&v, "context"), "options"),
				    "inject_slowdown_pct"), 1e-9);
	zb_jval_free(&v);
}

/* A regression verdict: exit 1, and the gate says what an unpaired one is worth. */
TEST(a_regression_says_to_rerun_and_confirm_paired)
{
	char dir[256], a[300], b[300], *out;

	if (!getcwd(top, sizeof(top)))
		ZBT_FAIL("getcwd");
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a.json", dir);
	snprintf(b, sizeof(b), "%s/b.json", dir);
	/* 8 rounds a side: an exact interval that can exclude 0 well inside +50 % */
	record_n(a, POINT_ONE, "8", NULL, NULL);
	record_n(b, POINT_ONE, "8", "--inject-slowdown", "50");
	ASSERT_EQ(0, gate(dir, a, &out));
	free(out);
	ASSERT_EQ(1, gate(dir, b, &out));
	ASSERT_CONTAINS(out, "REGRESSED");
	ASSERT_CONTAINS(out, "make bench: the baseline is another session of this machine "
			"(unpaired): rerun make bench");
	ASSERT_CONTAINS(out, "confirm it paired with zapbench ab");
	free(out);
}
