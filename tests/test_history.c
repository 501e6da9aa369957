// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench history: import is idempotent and all-or-nothing, what goes in
 * comes out, regressions are marked by the documented rule, and the
 * dashboard is a page a real browser renders with its plots and table.
 */
#include <errno.h>
#include <sqlite3.h>

#include "cli/cli_plot.h"
#include "history/history_db.h"
#include "record/json_dump.h"
#include "record/machine.h"
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
	ASSERT_EQ(2, runs);
	ASSERT_EQ(40, points);
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
		SKIP(return, "python3 cannot rewrite the record");
	history_ok(&s, first);
	history_ok(&s, second);
	ASSERT_CONTAINS(s.out, "already there: ");
	ASSERT_EQ(1, count("SELECT COUNT(*) FROM runs"));
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
	ASSERT_EQ(0, zb_hdb_open(&h, db, 0));
	b = zb_jobj_get(&rec, "benchmarks");
	for (i = 0; i < b->n; i++) {
		const char *name = zb_jobj_str(&b->items[i], "name");

		sum = zb_jobj_get(&b->items[i], "summary");
		ASSERT_EQ(0, zb_hdb_series(&h, name, &v, &n));
		/* Oldest first: A ran before B. */
		ASSERT_EQ(2, n);
		ASSERT_EQ(2, v[0].reps);
		ASSERT_EQ(1, v[1].reps);
		ASSERT_NEAR(v[1].median, zb_jobj_num(sum, "median"), 0);
		ASSERT_NEAR(v[1].lo, zb_jobj_num(sum, "ci95_lo"), 0);
		ASSERT_NEAR(v[1].hi, zb_jobj_num(sum, "ci95_hi"), 0);
		free(v);
		checked++;
	}
	ASSERT_EQ(20, checked);
	zb_hdb_close(&h);
	/* Parameters are queryable by key and value, numbers as text. */
	/* maps:100 in each run: ftruncate populate yes/no, peers idle/spin. */
	ASSERT_EQ(2 * 4,
		  count("SELECT COUNT(*) FROM point_params WHERE key = 'maps' AND value = '100'"));
	ASSERT_EQ(1, count("SELECT COUNT(DISTINCT git_commit) FROM runs WHERE git_commit != ''"));
	ASSERT_EQ(2, count("SELECT COUNT(*) FROM runs WHERE context LIKE '{%\"kernel\"%'"));
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
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "bad.json: not valid JSON: line 1, column ");
	ASSERT_CONTAINS(s.err, "(nothing imported)");
	/* Checked before the database was even created. */
	ASSERT_TRUE(access(db, F_OK) != 0);
}

/* A latency below zero is not imported: record_load's value checks apply. */
TEST(import_refuses_negative_latency)
{
	char bad[300], cmd[800], *args[] = { "import", FIX_A, bad, NULL };
	struct spawned s;

	fresh_db();
	snprintf(bad, sizeof(bad), "%s/neg.json", dir);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json; d = json.load(open(\"%s\")); "
		 "d[\"benchmarks\"][0][\"summary\"][\"median\"] = -3; "
		 "json.dump(d, open(\"%s\", \"w\"))'", FIX_B, bad);
	ASSERT_EQ(0, sh(cmd));
	history(&s, args);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "neg.json: revoke/ftruncate/maps:1/populate:yes: summary.median "
			"is -3 ns: not a latency");
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
	/* Records of before machine identity: one legacy machine, by its old fields. */
	ASSERT_CONTAINS(s.out, "Intel Xeon, KVM");
	ASSERT_TRUE(!strstr(s.out, "machines:"));
	history_ok(&s, show);
	/* A case: each of its six points, two runs each. */
	ASSERT_CONTAINS(s.out, "revoke/ftruncate/maps:1/populate:yes\n");
	ASSERT_CONTAINS(s.out, "revoke/ftruncate/maps:100/populate:no\n");
	ASSERT_TRUE(!strstr(s.out, "revoke/peers"));
	history_ok(&s, point);
	ASSERT_CONTAINS(s.out, "fault/touch/kind:anon/cpus:1/mode:process\n");
	ASSERT_TRUE(!strstr(s.out, "cpus:2"));
	history(&s, none);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
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
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "no history database");
	history(&s, sub);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "unknown command 'frobnicate'");
	history(&s, imp);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "which files?");
	history(&s, dash);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "needs --out DIR");
	ASSERT_EQ(1, s.err_lines);
}

TEST(newer_database_schema_refused)
{
	struct zb_hdb h;
	sqlite3 *raw;

	fresh_db();
	ASSERT_EQ(SQLITE_OK, sqlite3_open(db, &raw));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL));
	sqlite3_close(raw);
	ASSERT_EQ(-EINVAL, zb_hdb_open(&h, db, 1));
	ASSERT_CONTAINS(h.err, "history schema 99, this zapbench knows 2");
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
	ASSERT_NEAR(4, v[1].change_pct, 1e-9);
	ASSERT_EQ(0, v[1].trend + v[2].trend + v[3].trend + v[4].trend);
	ASSERT_EQ(1, v[5].trend);			/* +30 % over the median of 5 */
	ASSERT_NEAR(30, v[5].change_pct, 1e-9);
	ASSERT_EQ(1, v[6].trend);			/* baseline 101: still +29.7 % */
	ASSERT_EQ(0, v[7].trend);			/* back to the baseline */
	/* Past the threshold but with a CI that reaches the baseline: not marked. */
	series(v, med, 6);
	v[5].lo = 90;
	zb_hist_trend(v, 6, 15);
	ASSERT_EQ(0, v[5].trend);
	/* The mirror image. */
	series(v, (const double[]){ 100, 100, 100, 70 }, 4);
	zb_hist_trend(v, 4, 15);
	ASSERT_EQ(-1, v[3].trend);
	/* Another machine's run is no baseline: its first run is no change at all. */
	series(v, (const double[]){ 100, 100, 200, 104, 210 }, 5);
	strcpy(v[2].machine_id, "b");
	strcpy(v[4].machine_id, "b");
	zb_hist_trend(v, 5, 15);
	ASSERT_TRUE(isnan(v[2].change_pct));
	ASSERT_EQ(0, v[2].trend);
	ASSERT_NEAR(4, v[3].change_pct, 1e-9);
	ASSERT_NEAR(5, v[4].change_pct, 1e-9);
	ASSERT_EQ(0, v[3].trend + v[4].trend);
}

TEST(plot_history_of_a_case)
{
	char *imp[] = { "import", FIX_A, FIX_B, NULL };
	char out[300], *argv[] = { "plot", "history", "revoke/ftruncate", "--db", db,
				   "--out", out, "--scripts", "plots", "--format", "svg", NULL };
	char path[400], *vars;
	struct spawned s;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(return, "gnuplot not installed");
	fresh_db();
	history_ok(&s, imp);
	snprintf(out, sizeof(out), "%s/plots", dir);
	run_cmd(&s, cmd_plot, argv);
	ASSERT_EQ(0, s.status);
	ASSERT_CONTAINS(s.out, "/history-revoke-ftruncate.svg");
	snprintf(path, sizeof(path), "%s/data/history-revoke-ftruncate.vars.gp", out);
	ASSERT_EQ(0, zb_read_file(path, &vars, NULL));
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
		SKIP(_exit(ZBT_SKIP_CODE), "gnuplot not installed");
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
	ASSERT_EQ(4, occurrences(html, "<svg"));
	ASSERT_EQ(0, occurrences(html, "<?xml"));
	ASSERT_CONTAINS(html, "<figcaption>revoke/ftruncate</figcaption>");
	/* The table: the newest two runs, every point present in both. */
	ASSERT_EQ(20, occurrences(html, "<tr class="));
	ASSERT_CONTAINS(html, "<code>revoke/ftruncate/maps:100/populate:yes</code>");
	ASSERT_CONTAINS(html, "base: run 1: ");
	ASSERT_CONTAINS(html, "new: run 2: ");
	/* One machine: one section, headed by its id and name. */
	ASSERT_EQ(1, occurrences(html, "<section class=\"machine\""));
	ASSERT_CONTAINS(html, "<h2>Machine 09570436: vm: Intel(R) Xeon(R) Processor, 2 CPUs, ");
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
		SKIP(return, "chromium not installed (scripts/deps test)");
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
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, zb_read_file(dom, &text, NULL));
	/* The parsed DOM, as the browser built it. */
	ASSERT_EQ(4, occurrences(text, "<svg"));
	ASSERT_TRUE(occurrences(text, "<path") > 40);
	ASSERT_CONTAINS(text, "<code>fault/touch/kind:anon/cpus:1/mode:process</code>");
	ASSERT_EQ(20, occurrences(text, "<tr class="));
	free(text);
	sh("mkdir -p build/test-artifacts");
	snprintf(cmd, sizeof(cmd), CHROMIUM "--screenshot=%s file://%s/index.html >/dev/null "
		 "2>&1", dir, shot, out);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, stat(shot, &st));
	ASSERT_TRUE(st.st_size > 10000);
	printf("# screenshot: %s\n", shot);
}

/* Two machines: A twice (the second 5 % slower), B once in between at twice A's times. */
#define MACH_A		"a1a1a1a1a1a1a1a1"
#define MACH_B		"a1b2b2b2b2b2b2b2"	/* shares "a1" with A */
#define NAME_A		"vm-a: Intel(R) Xeon(R) Processor, 2 CPUs, 8 GiB, KVM, " \
			"clocksource tsc"
#define NAME_B		"vm-b: AMD EPYC 7B13, 2 CPUs, 8 GiB, KVM, clocksource kvm-clock"

static struct zb_jval jstr(const char *v)
{
	struct zb_jval j = { .type = ZB_JSTR, .str = strdup(v) };

	return j;
}

/* A copy of @v in malloc'ed memory: a parsed record's values are in its arena, not for editing. */
static struct zb_jval jdup(const struct zb_jval *v)
{
	struct zb_jval d = *v;
	size_t i;

	if (v->type == ZB_JSTR && !(d.str = strdup(v->str)))
		ZBT_FAIL("out of memory");
	if (v->type != ZB_JARR && v->type != ZB_JOBJ)
		return d;
	d.items = calloc(v->n + 1, sizeof(*d.items));
	d.keys = v->type == ZB_JOBJ ? calloc(v->n + 1, sizeof(*d.keys)) : NULL;
	if (!d.items || (v->type == ZB_JOBJ && !d.keys))
		ZBT_FAIL("out of memory");
	for (i = 0; i < v->n; i++) {
		d.items[i] = jdup(&v->items[i]);
		if (d.keys && !(d.keys[i] = strdup(v->keys[i])))
			ZBT_FAIL("out of memory");
	}
	return d;
}

/* Set @key of object @o to @v (taking it), appending the key if new. */
static void obj_set(struct zb_jval *o, const char *key, struct zb_jval v)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (!strcmp(o->keys[i], key)) {
			zb_jval_free(&o->items[i]);
			o->items[i] = v;
			return;
		}
	}
	o->items = realloc(o->items, (o->n + 1) * sizeof(*o->items));
	o->keys = realloc(o->keys, (o->n + 1) * sizeof(*o->keys));
	if (!o->items || !o->keys)
		ZBT_FAIL("out of memory");
	o->keys[o->n] = strdup(key);
	o->items[o->n++] = v;
}

/*
 * Every time of a benchmark row times @k: its summary (not its count),
 * samples, and Google Benchmark's real_time and cpu_time (the median).
 */
static void scale_row(struct zb_jval *b, double k)
{
	struct zb_jval *sum = (struct zb_jval *)zb_jobj_get(b, "summary");
	struct zb_jval *smp = (struct zb_jval *)zb_jobj_get(b, "samples");
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->keys[i], "real_time") || !strcmp(b->keys[i], "cpu_time"))
			b->items[i].num *= k;

	for (i = 0; sum && i < sum->n; i++)
		if (sum->items[i].type == ZB_JNUM && strcmp(sum->keys[i], "count"))
			sum->items[i].num *= k;
	for (i = 0; smp && i < smp->n; i++)
		smp->items[i].num *= k;
}

/*
 * FIX_B as if run at @date on machine @id (context.machine, as records
 * have it since machine identity), its times scaled by @k; the file is
 * dir/@file, its path in @path.
 */
static const char *keep_case;	/* non-NULL: machine_record() keeps only this case */
static const char *hypervisor;	/* non-NULL: machine_record()'s context.hypervisor */

static void keep_only(struct zb_jval *b, const char *c)
{
	size_t i, n = 0;

	for (i = 0; i < b->n; i++) {
		const char *bc = zb_jobj_str(&b->items[i], "case");

		if (bc && !strcmp(bc, c))
			b->items[n++] = b->items[i];
		else
			zb_jval_free(&b->items[i]);
	}
	b->n = n;
}

static void machine_record(char *path, size_t len, const char *file, const char *date,
			   const char *id, const char *name, double k)
{
	/* The context's own fields agree with the name, as a run's do. */
	char host[64], cpu[128];
	const char *colon = strchr(name, ':'), *comma = strchr(name, ',');

	struct zb_jval parsed, rec, *ctx, *b, mach = { .type = ZB_JOBJ };
	struct zb_json j;
	size_t i;
	FILE *f;

	load_record(FIX_B, &parsed);
	rec = jdup(&parsed);
	zb_jval_free(&parsed);
	ctx = (struct zb_jval *)zb_jobj_get(&rec, "context");
	b = (struct zb_jval *)zb_jobj_get(&rec, "benchmarks");
	snprintf(host, sizeof(host), "%.*s", (int)(colon - name), name);
	snprintf(cpu, sizeof(cpu), "%.*s", (int)(comma - colon - 2), colon + 2);
	obj_set(ctx, "date", jstr(date));
	obj_set(ctx, "host_name", jstr(host));
	obj_set(ctx, "cpu_model", jstr(cpu));
	obj_set(&mach, "id", jstr(id));
	obj_set(&mach, "name", jstr(name));
	obj_set(ctx, "machine", mach);
	if (keep_case)
		keep_only(b, keep_case);
	if (hypervisor)
		obj_set(ctx, "hypervisor", jstr(hypervisor));
	for (i = 0; i < b->n; i++)
		scale_row(&b->items[i], k);
	zb_json_init(&j);
	zb_json_val(&j, NULL, &rec);
	snprintf(path, len, "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f || j.err || fwrite(j.buf, 1, j.len, f) != j.len || fclose(f))
		ZBT_FAIL("cannot write %s", path);
	zb_json_free(&j);
	zb_jval_free(&rec);
}

/* Import A, B, A (@newest_b: A, A, B) in date order, so run ids follow dates. */
static void import_two_machines(int newest_b)
{
	char a1[300], a2[300], b1[300];
	char *imp[] = { "import", a1, newest_b ? a2 : b1, newest_b ? b1 : a2, NULL };
	struct spawned s;

	fresh_db();
	machine_record(a1, sizeof(a1), "a1.json", "2027-01-01T00:00:01Z", MACH_A, NAME_A, 1);
	machine_record(b1, sizeof(b1), "b1.json", newest_b ? "2027-01-01T00:00:03Z" :
		       "2027-01-01T00:00:02Z", MACH_B, NAME_B, 2);
	machine_record(a2, sizeof(a2), "a2.json", newest_b ? "2027-01-01T00:00:02Z" :
		       "2027-01-01T00:00:03Z", MACH_A, NAME_A, 1.05);
	history_ok(&s, imp);
	ASSERT_CONTAINS(s.out, "3 new runs in ");
}

/* The text of @out from @from to the next @to (or its end), in @buf. */
static const char *section(char *buf, size_t len, const char *out, const char *from,
			   const char *to)
{
	const char *a = strstr(out, from), *b;

	if (!a)
		ZBT_FAIL("no \"%s\" in \"%s\"", from, out);
	b = strstr(a + strlen(from), to);
	snprintf(buf, len, "%.*s", b ? (int)(b - a) : (int)strlen(a), a);
	return buf;
}

TEST(show_compares_each_machine_only_with_itself)
{
	char *show[] = { "show", "revoke/ftruncate/maps:1/populate:yes", NULL };
	char *only_b[] = { "show", "revoke/ftruncate", "--machine", "a1b2", NULL };
	char *only_a[] = { "show", "revoke/ftruncate", "--machine", MACH_A, NULL };
	char *ambiguous[] = { "show", "revoke/ftruncate", "--machine", "a1", NULL };
	char *nobody[] = { "show", "revoke/ftruncate", "--machine", "ffff", NULL };
	char sec[4096];
	struct zb_hval *v;
	struct zb_hdb h;
	struct spawned s;
	int n;

	import_two_machines(0);
	history_ok(&s, show);
	ASSERT_CONTAINS(s.out, "2 machines: each compared only with itself\n");
	ASSERT_CONTAINS(s.out, "\nmachine a1a1a1a1: " NAME_A "\n");
	ASSERT_CONTAINS(s.out, "\nmachine a1b2b2b2: " NAME_B "\n");
	/* B at twice A's times is B's first run, not a regression of A. */
	ASSERT_TRUE(!strstr(s.out, "REGRESSED"));
	ASSERT_TRUE(!strstr(s.out, "+100.0%"));
	section(sec, sizeof(sec), s.out, "machine a1a1a1a1", "\nmachine ");
	ASSERT_CONTAINS(sec, "\n       1  2027-01-01T00:00:01Z");
	ASSERT_CONTAINS(sec, "\n       3  2027-01-01T00:00:03Z");
	ASSERT_CONTAINS(sec, "+5.0%");
	ASSERT_TRUE(!strstr(sec, "\n       2  "));
	section(sec, sizeof(sec), s.out, "machine a1b2b2b2", "\nmachine ");
	ASSERT_CONTAINS(sec, "\n       2  2027-01-01T00:00:02Z");
	ASSERT_TRUE(!strstr(sec, "\n       1  ") && !strstr(sec, "\n       3  "));
	ASSERT_TRUE(!strstr(sec, "%  ") && !strstr(sec, "REGRESSED"));
	/* The switch to B is said to start a series, never a change. */
	ASSERT_CONTAINS(sec, "  -  new series: the runs before were another machine's\n");
	section(sec, sizeof(sec), s.out, "machine a1a1a1a1", "\nmachine ");
	ASSERT_TRUE(!strstr(sec, "new series"));
	/* The same from the library: A's second against A's first only. */
	ASSERT_EQ(0, zb_hdb_open(&h, db, 0));
	ASSERT_EQ(0, zb_hdb_series(&h, show[1], &v, &n));
	ASSERT_EQ(3, n);
	zb_hist_trend(v, n, 15);
	ASSERT_STREQ(v[1].machine_id, MACH_B);
	ASSERT_TRUE(isnan(v[0].change_pct) && isnan(v[1].change_pct));
	ASSERT_NEAR(5, v[2].change_pct, 1e-6);
	ASSERT_EQ(0, v[0].trend + v[1].trend + v[2].trend);
	free(v);
	zb_hdb_close(&h);

	history_ok(&s, only_b);
	ASSERT_CONTAINS(s.out, "machine a1b2b2b2: ");
	ASSERT_TRUE(!strstr(s.out, "machine a1a1a1a1") && !strstr(s.out, "machines:"));
	history_ok(&s, only_a);
	ASSERT_CONTAINS(s.out, "machine a1a1a1a1: ");
	ASSERT_TRUE(!strstr(s.out, "machine a1b2b2b2"));
	history(&s, ambiguous);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "machine a1 is ambiguous: 2 machines");
	history(&s, nobody);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "no machine ffff");
}

TEST(list_shows_the_machine_in_120_columns)
{
	char *list[] = { "list", NULL };
	char *only[] = { "list", "--machine", "a1b2", NULL };
	const char *line;
	struct spawned s;
	int nr = 0;

	import_two_machines(0);
	history_ok(&s, list);
	ASSERT_CONTAINS(s.out, "  a1a1a1a1  Intel Xeon, KVM  ");
	ASSERT_CONTAINS(s.out, "  a1b2b2b2  AMD EPYC 7B13, KVM  ");
	ASSERT_CONTAINS(s.out, "2 machines: ");
	for (line = s.out; *line; nr++) {
		const char *end = strchr(line, '\n');

		if (!end)
			ZBT_FAIL("unterminated line \"%s\"", line);
		if (end - line > 120)
			ZBT_FAIL("%d columns: \"%.*s\"", (int)(end - line), (int)(end - line),
				 line);
		line = end + 1;
	}
	ASSERT_EQ(5, nr);
	history_ok(&s, only);
	ASSERT_CONTAINS(s.out, "  a1b2b2b2  ");
	ASSERT_TRUE(!strstr(s.out, "a1a1a1a1"));
}

/* The history of another application: refused before anything is written. */
TEST(foreign_sqlite_file_is_left_alone)
{
	char *imp[] = { "import", FIX_A, NULL };
	char *list[] = { "list", NULL };
	char *before, *after, journal[300];
	size_t lb, la;
	sqlite3 *raw;
	struct spawned s;

	fresh_db();
	ASSERT_EQ(SQLITE_OK, sqlite3_open(db, &raw));
	ASSERT_EQ(SQLITE_OK,
		  sqlite3_exec(raw, "CREATE TABLE foo (x TEXT); INSERT INTO foo VALUES ('bar')",
			       NULL, NULL, NULL));
	sqlite3_close(raw);
	ASSERT_EQ(0, zb_read_file(db, &before, &lb));
	history(&s, imp);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "not a zapbench history database (its tables: foo)");
	history(&s, list);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "not a zapbench history database");
	ASSERT_EQ(0, zb_read_file(db, &after, &la));
	ASSERT_EQ(la, lb);
	ASSERT_TRUE(!memcmp(before, after, lb));
	snprintf(journal, sizeof(journal), "%s-journal", db);
	ASSERT_TRUE(access(journal, F_OK) != 0);
	ASSERT_EQ(1, count("SELECT COUNT(*) FROM sqlite_master"));
	free(before);
	free(after);
}

/*
 * An SQLite file that another application stamped as its own (the header's
 * application_id), even with no tables yet, gets none of ours; a history
 * zapbench makes carries "zapb" there.
 */
TEST(application_id_is_checked_and_set)
{
	char *imp[] = { "import", FIX_A, NULL };
	sqlite3 *raw;
	struct spawned s;

	fresh_db();
	ASSERT_EQ(SQLITE_OK, sqlite3_open(db, &raw));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(raw, "PRAGMA application_id = 1179407431", NULL, NULL,
					  NULL));
	sqlite3_close(raw);
	history(&s, imp);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "application_id 0x464c5447, another application's");
	ASSERT_EQ(0, count("SELECT COUNT(*) FROM sqlite_master"));

	fresh_db();
	history(&s, imp);
	ASSERT_EQ(0, s.status);
	ASSERT_EQ(0x7a617062, count("PRAGMA application_id"));
}

/* The first value of @sql as text, in @buf. */
static const char *text(char *buf, size_t len, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *h;

	buf[0] = '\0';
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		ZBT_FAIL("open %s", db);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ZBT_FAIL("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return buf;
}

/* The tables of zapbench 0.1 (user_version 1), before machine identity. */
static const char v1_schema[] =
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE,"
	" date TEXT NOT NULL, host TEXT, kernel TEXT, cpu_model TEXT, num_cpus INTEGER,"
	" hypervisor TEXT, git_commit TEXT, command TEXT, schema_version INTEGER,"
	" interrupted INTEGER, source TEXT, imported_at TEXT, context TEXT);"
	"CREATE TABLE points (id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL,"
	" case_name TEXT NOT NULL, params TEXT NOT NULL, reps INTEGER, count INTEGER,"
	" median REAL, ci95_lo REAL, ci95_hi REAL, p90 REAL, p99 REAL, UNIQUE (run_id, name));"
	"CREATE TABLE point_params (point_id INTEGER NOT NULL REFERENCES points(id)"
	" ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,"
	" PRIMARY KEY (point_id, key));"
	"CREATE INDEX runs_date ON runs(date);"
	"PRAGMA user_version = 1;";

/*
 * The content key is the FNV-1a of the canonical JSON, and the databases
 * out there hold it: the same record must keep its key, whatever the
 * writer's speed-ups (fmt_g.c, the streamed hash), or it imports twice.
 */
TEST(content_key_is_stable)
{
	char *both[] = { "import", FIX_A, FIX_B, NULL };
	char buf[64];
	struct spawned s;

	fresh_db();
	history_ok(&s, both);
	ASSERT_STREQ("85f436af4efdf995", text(buf, sizeof(buf),
						"SELECT hash FROM runs ORDER BY id LIMIT 1"));
	ASSERT_STREQ("0cb0fdf9520625b5", text(buf, sizeof(buf),
						"SELECT hash FROM runs ORDER BY id DESC LIMIT 1"));
}

TEST(old_database_gets_machine_columns)
{
	char *imp[] = { "import", FIX_B, NULL };
	char *list[] = { "list", NULL };
	char *show[] = { "show", "revoke/ftruncate/maps:1/populate:yes", NULL };
	char want[64], got[300], sql[600], shortid[16];
	struct zb_jval rec;
	struct zb_json j;
	sqlite3_stmt *st;
	sqlite3 *raw;
	struct spawned s;

	fresh_db();
	/* Run 1: FIX_A's context as version 1 stored it; run 2: a record without one. */
	load_record(FIX_A, &rec);
	ASSERT_EQ(0, zb_record_machine_id(&rec, want, sizeof(want)));
	ASSERT_TRUE(!strncmp(want, "legacy-", 7));
	zb_json_init(&j);
	zb_json_val(&j, NULL, zb_jobj_get(&rec, "context"));
	ASSERT_EQ(SQLITE_OK, sqlite3_open(db, &raw));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(raw, v1_schema, NULL, NULL, NULL));
	ASSERT_EQ(SQLITE_OK,
		  sqlite3_prepare_v2(raw, "INSERT INTO runs (hash, date, host, cpu_model,"
				     " hypervisor, context) VALUES ('h1', '2026-11-24T19:15:07Z',"
				     " 'vm', 'Intel(R) Xeon(R) Processor', 'KVMKVMKVM', ?)",
				     -1, &st, NULL));
	sqlite3_bind_text(st, 1, j.buf, -1, SQLITE_TRANSIENT);
	ASSERT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	ASSERT_EQ(SQLITE_OK,
		  sqlite3_exec(raw, "INSERT INTO points (run_id, name, case_name, params, reps,"
			       " median, ci95_lo, ci95_hi) VALUES (1,"
			       " 'revoke/ftruncate/maps:1/populate:yes', 'revoke/ftruncate',"
			       " 'maps:1/populate:yes', 2, 1900, 1890, 1910);"
			       "INSERT INTO runs (hash, date)"
			       " VALUES ('h2', '2026-11-24T19:15:08Z')",
			       NULL, NULL, NULL));
	sqlite3_close(raw);
	zb_json_free(&j);
	zb_jval_free(&rec);

	history_ok(&s, list);
	ASSERT_EQ(ZB_HDB_VERSION, count("PRAGMA user_version"));
	ASSERT_EQ(2, count("SELECT COUNT(*) FROM pragma_table_info('runs')"
			   " WHERE name IN ('machine_id', 'machine_name')"));
	/* What the table stored gives the id importing the record would have. */
	ASSERT_STREQ(text(got, sizeof(got), "SELECT machine_id FROM runs WHERE id = 1"), want);
	ASSERT_CONTAINS(text(got, sizeof(got), "SELECT machine_name FROM runs WHERE id = 1"),
			"vm: Intel(R) Xeon(R) Processor, 2 CPUs");
	ASSERT_STREQ("unknown",
		     text(got, sizeof(got), "SELECT machine_id FROM runs WHERE id = 2"));
	zb_hmachine_short(want, shortid, sizeof(shortid));
	ASSERT_CONTAINS(s.out, shortid);
	ASSERT_CONTAINS(s.out, "unknown ");
	/* Usable as it was: FIX_B, a record of the same VM, is compared with run 1. */
	history_ok(&s, imp);
	ASSERT_CONTAINS(s.out, "1 new run in ");
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM runs WHERE machine_id = '%s'", want);
	ASSERT_EQ(2, count(sql));
	history_ok(&s, show);
	ASSERT_TRUE(!strstr(s.out, "machines:"));
	ASSERT_CONTAINS(s.out, "\n       1  2026-11-24T19:15:07Z");
	ASSERT_CONTAINS(s.out, "\n       3  2026-11-24T19:15:09Z");
	ASSERT_CONTAINS(s.out, "+0.");
	/* Opening it again changes nothing more. */
	history_ok(&s, list);
	ASSERT_EQ(0, count("SELECT COUNT(*) FROM runs WHERE machine_id IS NULL"));
}

/* zapbench plot history revoke/ftruncate [--machine @machine] into dir/plots. */
static void plot_history_run(struct spawned *s, const char *machine)
{
	char out[300];
	char *argv[] = { "plot", "history", "revoke/ftruncate", "--db", db, "--out", out,
			 "--scripts", "plots", "--format", "svg", machine ? "--machine" : NULL,
			 (char *)machine, NULL };

	snprintf(out, sizeof(out), "%s/plots", dir);
	run_cmd(s, cmd_plot, argv);
}

/* The variables of that plot (free them). */
static char *plot_history_vars(const char *machine)
{
	char path[400], *vars;
	struct spawned s;

	plot_history_run(&s, machine);
	if (s.status)
		ZBT_FAIL("plot exited %d: %s", s.status, s.err);
	snprintf(path, sizeof(path), "%s/plots/data/history-revoke-ftruncate.vars.gp", dir);
	if (zb_read_file(path, &vars, NULL))
		ZBT_FAIL("no %s", path);
	return vars;
}

/* The plot draws one machine: the newest run's, or the one --machine names. */
TEST(plot_history_draws_one_machine)
{
	struct spawned s;
	char *vars;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(return, "gnuplot not installed");
	import_two_machines(0);
	vars = plot_history_vars(NULL);
	ASSERT_CONTAINS(vars, "History of revoke/ftruncate on machine a1a1a1a1 only (1 other "
			"machine not drawn: --machine)'");
	ASSERT_CONTAINS(vars, "machine = 'newest run: kernel 6.18.44-fc-v669 on vm-a: Intel Xeon, "
			"KVM, 2 CPUs'");
	ASSERT_CONTAINS(vars, "nx = 2\n");
	ASSERT_CONTAINS(vars, "nreg = 0\n");
	free(vars);
	vars = plot_history_vars("a1b2");
	ASSERT_CONTAINS(vars, "History of revoke/ftruncate on machine a1b2b2b2 only (1 other");
	ASSERT_CONTAINS(vars, " on vm-b: AMD EPYC 7B13, KVM, 2 CPUs'");
	ASSERT_CONTAINS(vars, "nx = 1\n");
	free(vars);
	plot_history_run(&s, "ffff");
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "no machine ffff");
}

/* history dashboard of the two machines' runs; returns its index.html. */
static char *dashboard_of_two_machines(int newest_b)
{
	char out[300], path[400], *html;
	char *dash[] = { "dashboard", "--out", out, "--scripts", "plots", NULL };
	struct spawned s;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(_exit(ZBT_SKIP_CODE), "gnuplot not installed");
	import_two_machines(newest_b);
	snprintf(out, sizeof(out), "%s/dash", dir);
	history_ok(&s, dash);
	snprintf(path, sizeof(path), "%s/index.html", out);
	if (zb_read_file(path, &html, NULL))
		ZBT_FAIL("no %s", path);
	return html;
}

/* Machine @short's section of @html, a copy (free it). */
static char *machine_section(const char *html, const char *short_id)
{
	char from[64];
	const char *a, *b;

	snprintf(from, sizeof(from), "<section class=\"machine\" id=\"machine-%s\">", short_id);
	a = strstr(html, from);
	if (!a)
		ZBT_FAIL("no section of machine %s", short_id);
	b = strstr(a + 1, "<section class=\"machine\"");
	if (!b)
		b = strstr(a, "<section id=\"runs\">");
	return strndup(a, b ? (size_t)(b - a) : strlen(a));
}

TEST(dashboard_has_a_section_per_machine)
{
	char *html = dashboard_of_two_machines(0), *a, *b;

	/* A has the newest run: its section first, then B's, then the runs. */
	ASSERT_EQ(2, occurrences(html, "<section class=\"machine\""));
	ASSERT_TRUE(strstr(html, "id=\"machine-a1a1a1a1\"") < strstr(html,
										  "id=\"machine-a1b2b2b2\""));
	a = machine_section(html, "a1a1a1a1");
	b = machine_section(html, "a1b2b2b2");
	ASSERT_CONTAINS(a, "<h2>Machine a1a1a1a1: " NAME_A "</h2>");
	ASSERT_CONTAINS(a, "<p class=\"facts\">CPU Intel(R) Xeon(R) Processor, 2 CPUs, KVM, "
			"kernel 6.18.44-fc-v669</p>");
	/* A's latest comparison: its second run against its first; B is in no row. */
	ASSERT_CONTAINS(a, "base: run 1: ");
	ASSERT_CONTAINS(a, "new: run 3: ");
	ASSERT_TRUE(!strstr(a, "run 2: "));
	ASSERT_CONTAINS(a, "<td class=\"num\">+5.0%</td>");
	ASSERT_TRUE(!strstr(a, "only one of the two runs"));
	ASSERT_CONTAINS(a, "The runs of machine a1a1a1a1 (Intel Xeon, KVM) only");
	ASSERT_EQ(4, occurrences(a, "<svg"));
	/* B's: one run, nothing to compare it with (never A's). */
	ASSERT_CONTAINS(b, "<h2>Machine a1b2b2b2: " NAME_B "</h2>");
	ASSERT_CONTAINS(b, "<p class=\"facts\">CPU AMD EPYC 7B13, 2 CPUs, KVM, kernel ");
	ASSERT_CONTAINS(b, "nothing to compare: only one run of a1b2b2b2, " NAME_B);
	ASSERT_CONTAINS(b, "its newest run: run 2: ");
	ASSERT_TRUE(!strstr(b, "base: run") && !strstr(b, "run 1: ") && !strstr(b, "run 3: "));
	ASSERT_EQ(4, occurrences(b, "<svg"));
	/* No change across machines anywhere: B is twice A's times. */
	ASSERT_TRUE(!strstr(html, "+100.0%") && !strstr(html, "-47.6%") &&
		    !strstr(html, "+90.5%") && !strstr(html, "-47.5%"));
	/* The runs table: machine, CPU, CPUs and hypervisor apart. */
	ASSERT_CONTAINS(html, "<th>machine</th><th>CPU</th><th class=\"num\">CPUs</th>"
			"<th>hypervisor</th>");
	ASSERT_CONTAINS(html, "\">a1b2b2b2</code>");
	ASSERT_CONTAINS(html, ">AMD EPYC 7B13</td><td class=\"num\">2</td><td>KVM</td>");
	free(a);
	free(b);
	free(html);
}

TEST(dashboard_one_run_of_the_newest_machine)
{
	char *html = dashboard_of_two_machines(1), *a, *b;

	ASSERT_TRUE(strstr(html, "id=\"machine-a1b2b2b2\"") < strstr(html,
										  "id=\"machine-a1a1a1a1\""));
	b = machine_section(html, "a1b2b2b2");
	ASSERT_CONTAINS(b, "nothing to compare: only one run of a1b2b2b2, " NAME_B);
	ASSERT_TRUE(!strstr(b, "base: run"));
	ASSERT_TRUE(!strstr(b, "<tr class=\"regressed\"") && !strstr(b, "<tr class=\"slower\""));
	/* A's own two runs are still compared, in its own section. */
	a = machine_section(html, "a1a1a1a1");
	ASSERT_CONTAINS(a, "base: run 1: ");
	ASSERT_CONTAINS(a, "new: run 2: ");
	ASSERT_CONTAINS(a, "<td class=\"num\">+5.0%</td>");
	free(a);
	free(b);
	free(html);
}

/*
 * The base is the same machine's newest earlier run of the same points:
 * a run of one case is not compared with a run of four.
 */
TEST(dashboard_compares_runs_of_one_suite)
{
	char a3[300], a4[300], out[300], path[400], *html, *a;
	char *imp3[] = { "import", a3, NULL }, *imp4[] = { "import", a4, NULL };
	char *dash[] = { "dashboard", "--out", out, "--scripts", "plots", NULL };
	struct zb_hrun *runs;
	struct zb_hdb h;
	struct spawned s;
	uint64_t keys[8];
	int n;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(return, "gnuplot not installed");
	import_two_machines(0);
	keep_case = "revoke/ftruncate";
	machine_record(a3, sizeof(a3), "a3.json", "2027-01-01T00:00:04Z", MACH_A, NAME_A, 1.1);
	machine_record(a4, sizeof(a4), "a4.json", "2027-01-01T00:00:05Z", MACH_A, NAME_A, 1.21);
	keep_case = NULL;
	history_ok(&s, imp3);
	snprintf(out, sizeof(out), "%s/dash", dir);
	snprintf(path, sizeof(path), "%s/index.html", out);
	history_ok(&s, dash);
	ASSERT_EQ(0, zb_read_file(path, &html, NULL));
	a = machine_section(html, "a1a1a1a1");
	ASSERT_CONTAINS(a, "nothing to compare: this machine's 2 earlier runs measured other "
			"points (another suite)");
	ASSERT_CONTAINS(a, "its newest run: run 4: ");
	ASSERT_TRUE(!strstr(a, "base: run") && !strstr(a, "only one of the two runs"));
	free(a);
	free(html);

	history_ok(&s, imp4);
	history_ok(&s, dash);
	ASSERT_EQ(0, zb_read_file(path, &html, NULL));
	a = machine_section(html, "a1a1a1a1");
	ASSERT_CONTAINS(a, "base: run 4: ");
	ASSERT_CONTAINS(a, "new: run 5: ");
	ASSERT_CONTAINS(a, "<td class=\"num\">+10.0%</td>");
	ASSERT_TRUE(!strstr(a, "only one of the two runs"));
	free(a);
	free(html);

	/* The library's pick: A's full runs pair, B pairs with none, the one-case runs pair. */
	ASSERT_EQ(0, zb_hdb_open(&h, db, 0));
	ASSERT_EQ(0, zb_hdb_runs(&h, &runs, &n));
	ASSERT_EQ(5, n);
	ASSERT_EQ(0, zb_hdb_suites(&h, runs, n, keys));
	ASSERT_TRUE(keys[0] == keys[1] && keys[1] == keys[2] && keys[3] == keys[4] &&
		    keys[2] != keys[3]);
	ASSERT_EQ(-1, zb_hrun_base(runs, keys, 0));
	ASSERT_EQ(-1, zb_hrun_base(runs, keys, 1));
	ASSERT_EQ(0, zb_hrun_base(runs, keys, 2));
	ASSERT_EQ(-1, zb_hrun_base(runs, keys, 3));
	ASSERT_EQ(3, zb_hrun_base(runs, keys, 4));
	free(runs);
	zb_hdb_close(&h);
}

/* Both machines' sections as a real browser builds and draws them. */
TEST(dashboard_of_two_machines_renders_in_chromium)
{
	char cmd[2000], dom[400], shot[400], *html, *text, *a, *b;
	struct stat st;

	if (sh("command -v chromium >/dev/null 2>&1"))
		SKIP(return, "chromium not installed (scripts/deps test)");
	html = dashboard_of_two_machines(0);
	free(html);
	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	snprintf(shot, sizeof(shot), "%s/dashboard-machines.png", dir);
	snprintf(cmd, sizeof(cmd), CHROMIUM "--dump-dom file://%s/dash/index.html >%s 2>/dev/null",
		 dir, dir, dom);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, zb_read_file(dom, &text, NULL));
	a = machine_section(text, "a1a1a1a1");
	b = machine_section(text, "a1b2b2b2");
	ASSERT_CONTAINS(a, "<h2>Machine a1a1a1a1: vm-a: Intel(R) Xeon(R) Processor, ");
	ASSERT_CONTAINS(a, "base: run 1: ");
	ASSERT_EQ(4, occurrences(a, "<svg"));
	ASSERT_TRUE(occurrences(a, "<path") > 20);
	ASSERT_CONTAINS(b, "<h2>Machine a1b2b2b2: vm-b: AMD EPYC 7B13, ");
	ASSERT_CONTAINS(b, "nothing to compare: only one run of a1b2b2b2");
	ASSERT_EQ(4, occurrences(b, "<svg"));
	ASSERT_TRUE(occurrences(b, "<path") > 20);
	free(a);
	free(b);
	free(text);
	snprintf(cmd, sizeof(cmd), CHROMIUM "--window-size=1200,5000 --screenshot=%s "
		 "file://%s/dash/index.html >/dev/null 2>&1", dir, shot, dir);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, stat(shot, &st));
	ASSERT_TRUE(st.st_size > 10000);
	/* A copy to look at: the temp dir goes with the test. */
	sh("mkdir -p build/test-artifacts");
	snprintf(cmd, sizeof(cmd), "cp %s build/test-artifacts/dashboard-machines.png", shot);
	ASSERT_EQ(0, sh(cmd));
	printf("# screenshot: %s (copy: build/test-artifacts/dashboard-machines.png)\n", shot);
}

/* Each machine's plots and heading say its own platform: TCG only where it ran. */
TEST(plots_and_headings_say_their_own_platform)
{
	char c1[300], out[300], path[400], *vars, *html, *a, *c;
	char *imp[] = { "import", c1, NULL };
	char *dash[] = { "dashboard", "--out", out, "--scripts", "plots", NULL };
	struct spawned s;

	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(return, "gnuplot not installed");
	import_two_machines(0);
	hypervisor = "TCGTCGTCGTCG";
	machine_record(c1, sizeof(c1), "c1.json", "2027-01-01T00:00:04Z", "c3c3c3c3c3c3c3c3",
		       "guest: QEMU Virtual CPU version 2.5+, 2 CPUs, 1 GiB, QEMU TCG, "
		       "clocksource tsc", 30);
	hypervisor = NULL;
	history_ok(&s, imp);
	vars = plot_history_vars("c3c3");
	ASSERT_CONTAINS(vars, "machine = 'newest run: kernel 6.18.44-fc-v669 on guest: QEMU "
			"Virtual version 2.5+, QEMU TCG, 2 CPUs (emulated: compare ratios, not "
			"times)'");
	free(vars);
	snprintf(out, sizeof(out), "%s/dash", dir);
	history_ok(&s, dash);
	snprintf(path, sizeof(path), "%s/index.html", out);
	ASSERT_EQ(0, zb_read_file(path, &html, NULL));
	c = machine_section(html, "c3c3c3c3");
	a = machine_section(html, "a1a1a1a1");
	ASSERT_CONTAINS(c, ", 2 CPUs, QEMU TCG, kernel 6.18.44-fc-v669 (an emulated CPU: ");
	ASSERT_CONTAINS(c, "(emulated: compare ratios, not times)");
	/* The KVM machine's heading and plots: not a word of TCG. */
	ASSERT_CONTAINS(a, ", 2 CPUs, KVM, kernel 6.18.44-fc-v669</p>");
	ASSERT_TRUE(!strstr(a, "TCG") && !strstr(a, "emulated"));
	ASSERT_CONTAINS(html, "<td>QEMU TCG</td>");
	free(a);
	free(c);
	free(html);
}
