// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench history: import is idempotent and all-or-nothing, what goes in
 * comes out, regressions are marked by the documented rule, and the
 * dashboard is a page a real browser renders with its plots and table.
 */
#include <errno.h>
#include <sqlite3.h>

#include "cli_plot.h"
#include "history_db.h"
#include "zbtest.h"
#include "cmd.h"

#define FIX_A	"tests/fixtures/small-a.json"	/* older, 2 repetitions */
#define FIX_B	"tests/fixtures/small-b.json"

static char dir[128], db[200];

static void fresh_db(void)
{
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/h.db", dir);
}

/* zapbench history ARGS... --db <db> */
static void history(struct spawned *s, char *const args[])
{
	char *argv[32] = { "history" };
	int n = 1, i;

	for (i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n] = NULL;
	run_cmd(s, cmd_history, argv);
}

static void history_ok(struct spawned *s, char *const args[])
{
	history(s, args);
	if (s->status)
		ZBT_FAIL("history %s exited %d: %s", args[0], s->status, s->err);
}

static long count(const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *h;
	long n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		ZBT_FAIL("open %s", db);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ZBT_FAIL("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

TEST(import_twice_changes_nothing)
{
	char *both[] = { "import", FIX_A, FIX_B, NULL };
	char *again[] = { "import", FIX_A, NULL };
	long runs, points, params;
	struct spawned s;

	fresh_db();
	history_ok(&s, both);
	ASSERT_CONTAINS(s.out, "2 new runs in ");
	runs = count("SELECT COUNT(*) FROM runs");
	points = count("SELECT COUNT(*) FROM points");
	params = count("SELECT COUNT(*) FROM point_params");
	ASSERT_EQ(runs, 2);
	ASSERT_EQ(points, 40);
	ASSERT_TRUE(params > points);
	history_ok(&s, again);
	ASSERT_CONTAINS(s.out, "already there: " FIX_A);
	ASSERT_CONTAINS(s.out, "0 new runs in ");
	ASSERT_EQ(count("SELECT COUNT(*) FROM runs"), runs);
	ASSERT_EQ(count("SELECT COUNT(*) FROM points"), points);
	ASSERT_EQ(count("SELECT COUNT(*) FROM point_params"), params);
}

/* The key is the content, not the bytes: the same run re-indented is the same run. */
TEST(reformatted_record_is_the_same_run)
{
	char path[300], cmd[800], *first[] = { "import", FIX_B, NULL };
	char *second[] = { "import", path, NULL };
	struct spawned s;

	fresh_db();
	snprintf(path, sizeof(path), "%s/compact.json", dir);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json, sys; json.dump(json.load(open("
		 "sys.argv[1])), open(sys.argv[2], \"w\"), separators=(\",\", \":\"))' %s %s",
		 FIX_B, path);
	if (sh(cmd))
		SKIP("python3 cannot rewrite the record");
	history_ok(&s, first);
	history_ok(&s, second);
	ASSERT_CONTAINS(s.out, "already there: ");
	ASSERT_EQ(count("SELECT COUNT(*) FROM runs"), 1);
}

TEST(round_trip_medians_cis_params)
{
	char *args[] = { "import", FIX_B, FIX_A, NULL };
	const struct zb_jval *b, *sum;
	struct zb_hval *v;
	struct zb_jval rec;
	struct zb_hdb h;
	struct spawned s;
	int n, checked = 0;
	size_t i;

	fresh_db();
	history_ok(&s, args);
	load_record(FIX_B, &rec);
	ASSERT_EQ(zb_hdb_open(&h, db, 0), 0);
	b = zb_jobj_get(&rec, "benchmarks");
	for (i = 0; i < b->n; i++) {
		const char *name = zb_jobj_str(&b->items[i], "name");

		sum = zb_jobj_get(&b->items[i], "summary");
		ASSERT_EQ(zb_hdb_series(&h, name, &v, &n), 0);
		/* Oldest first: A ran before B. */
		ASSERT_EQ(n, 2);
		ASSERT_EQ(v[0].reps, 2);
		ASSERT_EQ(v[1].reps, 1);
		ASSERT_NEAR(v[1].median, zb_jobj_num(sum, "median"), 0);
		ASSERT_NEAR(v[1].lo, zb_jobj_num(sum, "ci95_lo"), 0);
		ASSERT_NEAR(v[1].hi, zb_jobj_num(sum, "ci95_hi"), 0);
		free(v);
		checked++;
	}
	ASSERT_EQ(checked, 20);
	zb_hdb_close(&h);
	/* Parameters are queryable by key and value, numbers as text. */
	/* maps:100 in each run: ftruncate populate yes/no, peers idle/spin. */
	ASSERT_EQ(count("SELECT COUNT(*) FROM point_params WHERE key = 'maps' AND value = '100'"),
		  2 * 4);
	ASSERT_EQ(count("SELECT COUNT(DISTINCT git_commit) FROM runs WHERE git_commit != ''"), 1);
	ASSERT_EQ(count("SELECT COUNT(*) FROM runs WHERE context LIKE '{%\"kernel\"%'"), 2);
	zb_jval_free(&rec);
}

TEST(import_is_all_or_nothing)
{
	char bad[300], *args[] = { "import", FIX_A, bad, NULL };
	struct spawned s;
	FILE *f;

	fresh_db();
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	f = fopen(bad, "w");
	fputs("{\"schema\": \"zapbench-result\", \"schema_version\": 1, \"benchmarks\": [", f);
	fclose(f);
	history(&s, args);
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
	ASSERT_CONTAINS(s.err, "bad.json: not valid JSON: line 1: ");
	ASSERT_CONTAINS(s.err, "(nothing imported)");
	/* Checked before the database was even created. */
	ASSERT_TRUE(access(db, F_OK) != 0);
}

TEST(list_and_show)
{
	char *imp[] = { "import", FIX_A, FIX_B, NULL };
	char *list[] = { "list", NULL };
	char *show[] = { "show", "revoke/ftruncate", NULL };
	char *point[] = { "show", "fault/touch/kind:anon/cpus:1/mode:process", NULL };
	char *none[] = { "show", "revoke/nothing", NULL };
	struct spawned s;

	fresh_db();
	history_ok(&s, imp);
	history_ok(&s, list);
	ASSERT_CONTAINS(s.out, "   1  20");
	ASSERT_CONTAINS(s.out, "   2  20");
	ASSERT_CONTAINS(s.out, "--repetitions 2");
	history_ok(&s, show);
	/* A case: each of its six points, two runs each. */
	ASSERT_CONTAINS(s.out, "revoke/ftruncate/maps:1/populate:yes\n");
	ASSERT_CONTAINS(s.out, "revoke/ftruncate/maps:100/populate:no\n");
	ASSERT_TRUE(!strstr(s.out, "revoke/peers"));
	history_ok(&s, point);
	ASSERT_CONTAINS(s.out, "fault/touch/kind:anon/cpus:1/mode:process\n");
	ASSERT_TRUE(!strstr(s.out, "cpus:2"));
	history(&s, none);
	ASSERT_EQ(s.status, 2);
	ASSERT_EQ(s.err_lines, 1);
	ASSERT_CONTAINS(s.err, "no point or case named revoke/nothing");
}

TEST(missing_database_and_usage)
{
	char *list[] = { "list", NULL };
	char *sub[] = { "frobnicate", NULL };
	char *imp[] = { "import", NULL };
	char *dash[] = { "dashboard", NULL };
	struct spawned s;

	fresh_db();
	history(&s, list);
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "no history database");
	history(&s, sub);
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "unknown command 'frobnicate'");
	history(&s, imp);
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "which files?");
	history(&s, dash);
	ASSERT_EQ(s.status, 2);
	ASSERT_CONTAINS(s.err, "needs --out DIR");
	ASSERT_EQ(s.err_lines, 1);
}

TEST(newer_database_schema_refused)
{
	struct zb_hdb h;
	sqlite3 *raw;

	fresh_db();
	ASSERT_EQ(sqlite3_open(db, &raw), SQLITE_OK);
	ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	ASSERT_EQ(zb_hdb_open(&h, db, 1), -EINVAL);
	ASSERT_CONTAINS(h.err, "history schema 99, this zapbench knows 1");
}

static void series(struct zb_hval *v, const double *med, int n)
{
	int i;

	memset(v, 0, sizeof(*v) * (size_t)n);
	for (i = 0; i < n; i++) {
		v[i].median = med[i];
		v[i].lo = med[i] * 0.98;
		v[i].hi = med[i] * 1.02;
	}
}

TEST(trend_rule)
{
	/* Noise within 10 %, then a 30 % step up, then back down. */
	static const double med[] = { 100, 104, 96, 101, 99, 130, 131, 100 };
	struct zb_hval v[8];

	series(v, med, 8);
	zb_hist_trend(v, 8, 15);
	ASSERT_TRUE(isnan(v[0].change_pct));
	ASSERT_NEAR(v[1].change_pct, 4, 1e-9);
	ASSERT_EQ(v[1].trend + v[2].trend + v[3].trend + v[4].trend, 0);
	ASSERT_EQ(v[5].trend, 1);			/* +30 % over the median of 5 */
	ASSERT_NEAR(v[5].change_pct, 30, 1e-9);
	ASSERT_EQ(v[6].trend, 1);			/* baseline 101: still +29.7 % */
	ASSERT_EQ(v[7].trend, 0);			/* back to the baseline */
	/* Past the threshold but with a CI that reaches the baseline: not marked. */
	series(v, med, 6);
	v[5].lo = 90;
	zb_hist_trend(v, 6, 15);
	ASSERT_EQ(v[5].trend, 0);
	/* The mirror image. */
	series(v, (const double[]){ 100, 100, 100, 70 }, 4);
	zb_hist_trend(v, 4, 15);
	ASSERT_EQ(v[3].trend, -1);
}

TEST(plot_history_of_a_case)
{
	char *imp[] = { "import", FIX_A, FIX_B, NULL };
	char out[300], *argv[] = { "plot", "history", "revoke/ftruncate", "--db", db,
				   "--out", out, "--scripts", "plots", "--format", "svg", NULL };
	char path[400], *vars;
	struct spawned s;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP("gnuplot not installed");
	fresh_db();
	history_ok(&s, imp);
	snprintf(out, sizeof(out), "%s/plots", dir);
	run_cmd(&s, cmd_plot, argv);
	ASSERT_EQ(s.status, 0);
	ASSERT_CONTAINS(s.out, "/history-revoke-ftruncate.svg");
	snprintf(path, sizeof(path), "%s/data/history-revoke-ftruncate.vars.gp", out);
	ASSERT_EQ(zb_read_file(path, &vars, NULL), 0);
	ASSERT_CONTAINS(vars, "n = 6\n");
	ASSERT_CONTAINS(vars, "nx = 2\n");
	ASSERT_CONTAINS(vars, "label[1] = 'maps:1/populate:yes'");
	free(vars);
}

/* import A and B, write the dashboard; returns its index.html. */
static char *dashboard(char *out, size_t len)
{
	char *imp[] = { "import", FIX_A, FIX_B, NULL };
	char *dash[] = { "dashboard", "--out", out, "--scripts", "plots", NULL };
	char path[400], *html;
	struct spawned s;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP("gnuplot not installed");
	fresh_db();
	history_ok(&s, imp);
	snprintf(out, len, "%s/dash", dir);
	history_ok(&s, dash);
	snprintf(path, sizeof(path), "%s/index.html", out);
	ASSERT_CONTAINS(s.out, path);
	if (zb_read_file(path, &html, NULL))
		ZBT_FAIL("no %s", path);
	return html;
}

static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

TEST(dashboard_page_is_self_contained)
{
	char out[300], *html = dashboard(out, sizeof(out));

	/* One history plot per case, inlined, without their XML prologs. */
	ASSERT_EQ(occurrences(html, "<svg"), 4);
	ASSERT_EQ(occurrences(html, "<?xml"), 0);
	ASSERT_CONTAINS(html, "<figcaption>revoke/ftruncate</figcaption>");
	/* The table: the newest two runs, every point present in both. */
	ASSERT_EQ(occurrences(html, "<tr class="), 20);
	ASSERT_CONTAINS(html, "<code>revoke/ftruncate/maps:100/populate:yes</code>");
	ASSERT_CONTAINS(html, "base: run 1: ");
	ASSERT_CONTAINS(html, "new: run 2: ");
	ASSERT_CONTAINS(html, "<h2>Machine (newest run)</h2>");
	ASSERT_CONTAINS(html, "<th>cpu_model</th>");
	/* Nothing fetched from anywhere: no scripts, no remote resources. */
	ASSERT_TRUE(!strstr(html, "<script"));
	ASSERT_TRUE(!strstr(html, "http://") || !strstr(html, "src=\"http"));
	ASSERT_TRUE(!strstr(html, "https://"));
	ASSERT_TRUE(!strstr(html, "<link"));
	free(html);
}

/* A real browser, headless: the page renders its plots and table. */
TEST(dashboard_renders_in_chromium)
{
	char out[300], cmd[2000], dom[400], *html, *text;
	const char *shot = "build/test-artifacts/dashboard.png";
	struct stat st;

	if (sh("command -v chromium >/dev/null 2>&1"))
		SKIP("chromium not installed (scripts/deps host)");
	html = dashboard(out, sizeof(out));
	free(html);
	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	/* Its own profile, no network, no updates: nothing outside this page. */
#define CHROMIUM "timeout 120 chromium --headless --no-sandbox --disable-gpu " \
		 "--disable-background-networking --disable-component-update --disable-sync " \
		 "--no-first-run --user-data-dir=%s/profile --window-size=1200,2400 "
	/* zbt_root is under /tmp: the file:// URL needs no cwd. */
	ASSERT_TRUE(out[0] == '/');
	snprintf(cmd, sizeof(cmd), CHROMIUM "--dump-dom file://%s/index.html >%s 2>/dev/null",
		 dir, out, dom);
	ASSERT_EQ(sh(cmd), 0);
	ASSERT_EQ(zb_read_file(dom, &text, NULL), 0);
	/* The parsed DOM, as the browser built it. */
	ASSERT_EQ(occurrences(text, "<svg"), 4);
	ASSERT_TRUE(occurrences(text, "<path") > 40);
	ASSERT_CONTAINS(text, "<code>fault/touch/kind:anon/cpus:1/mode:process</code>");
	ASSERT_EQ(occurrences(text, "<tr class="), 20);
	free(text);
	sh("mkdir -p build/test-artifacts");
	snprintf(cmd, sizeof(cmd), CHROMIUM "--screenshot=%s file://%s/index.html >/dev/null "
		 "2>&1", dir, shot, out);
	ASSERT_EQ(sh(cmd), 0);
	ASSERT_EQ(stat(shot, &st), 0);
	ASSERT_TRUE(st.st_size > 10000);
	printf("# screenshot: %s\n", shot);
#undef CHROMIUM
}
