// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench plot on small fixture records (tests/fixtures/, made by a tiny
 * real run): every kind writes a PNG and an SVG that parses as XML, the
 * data gnuplot read is what the record says, and every error is one line
 * and exit 2.  Skipped without gnuplot.
 */
#include <errno.h>
#include <sys/stat.h>

#include "cli/cli_plot.h"
#include "report/plot.h"
#include "zbtest.h"
#include "cmd.h"

#define FIX_A	"tests/fixtures/small-a.json"	/* 2 repetitions */
#define FIX_B	"tests/fixtures/small-b.json"

static char dir[128];

static void need_gnuplot(void)
{
	if (sh("command -v gnuplot >/dev/null 2>&1"))
		SKIP(_exit(ZBT_SKIP_CODE), "gnuplot not installed (scripts/deps plot)");
}

/* zapbench plot ARGS... --out <fresh dir> --scripts plots --format png,svg */
static void plot(struct spawned *s, char *const args[])
{
	char *argv[32] = { "plot" };
	int n = 1, i;

	zbt_mkdtemp(dir, sizeof(dir));
	for (i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "--out";
	argv[n++] = dir;
	argv[n++] = "--scripts";
	argv[n++] = "plots";
	argv[n++] = "--format";
	argv[n++] = "png,svg";
	argv[n] = NULL;
	run_cmd(s, cmd_plot, argv);
}

static void plot_ok(char *const args[])
{
	struct spawned s;

	plot(&s, args);
	if (s.status)
		ZBT_FAIL("plot exited %d: %s", s.status, s.err);
}

/* The figure exists in both formats: a PNG by its magic, an SVG by parsing it. */
static void assert_figure(const char *name)
{
	char png[300], svg[300], cmd[800], *buf;
	size_t len;

	snprintf(png, sizeof(png), "%s/%s.png", dir, name);
	snprintf(svg, sizeof(svg), "%s/%s.svg", dir, name);
	if (zb_read_file(png, &buf, &len))
		ZBT_FAIL("no %s", png);
	ASSERT_TRUE(len > 1000 && !memcmp(buf, "\x89PNG\r\n", 6));
	free(buf);
	if (zb_read_file(svg, &buf, &len))
		ZBT_FAIL("no %s", svg);
	ASSERT_TRUE(len > 1000);
	ASSERT_CONTAINS(buf, "<svg");
	free(buf);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, xml.dom.minidom as m; "
		 "m.parse(sys.argv[1])' %s", svg);
	ASSERT_EQ(0, sh(cmd));
}

/* The data file zapbench wrote for gnuplot. */
static char *data_of(const char *name, const char *ext)
{
	char path[300], *buf;

	snprintf(path, sizeof(path), "%s/data/%s.%s", dir, name, ext);
	if (zb_read_file(path, &buf, NULL))
		ZBT_FAIL("no %s", path);
	return buf;
}

TEST(maps_one_line_per_trigger_and_populate_with_slope)
{
	char *args[] = { "maps", FIX_B, NULL };
	char *vars, *dat;

	need_gnuplot();
	plot_ok(args);
	assert_figure("revoke-vs-maps");
	vars = data_of("revoke-vs-maps", "vars.gp");
	ASSERT_CONTAINS(vars, "n = 2\n");
	ASSERT_CONTAINS(vars, "label[1] = 'populate:yes: ");
	/* The fit, a + b * maps: "1.9 us + 612 ns per mapping (r² 1.00)". */
	ASSERT_CONTAINS(vars, " per mapping (r² ");
	ASSERT_CONTAINS(vars, "nfit = 2\n");
	ASSERT_CONTAINS(vars, "label[2] = 'populate:no: ");
	/* One case: named once in the subtitle, not in every label. */
	ASSERT_CONTAINS(vars, "subtitle = 'revoke/ftruncate'");
	ASSERT_CONTAINS(vars, "machine = 'kernel ");
	ASSERT_CONTAINS(vars, "ylog = 1");
	/* x = 1, 10, 100 in the first block (values: the next test). */
	dat = data_of("revoke-vs-maps", "dat");
	ASSERT_TRUE(!strncmp(dat, "1 ", 2));
	ASSERT_CONTAINS(dat, "\n10 ");
	ASSERT_CONTAINS(dat, "\n100 ");
	free(vars);
	free(dat);
}

TEST(maps_medians_are_the_records)
{
	char *args[] = { "maps", FIX_B, NULL };
	struct zb_jval v;
	const struct zb_jval *b;
	double x, med, lo, hi, want = NAN;
	char *dat;
	size_t i;

	need_gnuplot();
	plot_ok(args);
	load_record(FIX_B, &v);
	b = zb_jobj_get(&v, "benchmarks");
	for (i = 0; i < b->n; i++)
		if (!strcmp(zb_jobj_str(&b->items[i], "name"),
			    "revoke/ftruncate/maps:1/populate:yes"))
			want = zb_jobj_num(zb_jobj_get(&b->items[i], "summary"), "median");
	dat = data_of("revoke-vs-maps", "dat");
	/* A log axis: the data is in seconds. */
	ASSERT_EQ(4, sscanf(dat, "%lf %lf %lf %lf", &x, &med, &lo, &hi));
	ASSERT_NEAR(1, x, 0);
	ASSERT_NEAR(med * 1e9, want, want * 1e-5);
	ASSERT_TRUE(lo <= med && med <= hi);
	free(dat);
	zb_jval_free(&v);
}

TEST(cpus_fault_and_open)
{
	char *args[] = { "cpus", FIX_A, NULL };
	char *vars;

	need_gnuplot();
	plot_ok(args);
	assert_figure("fault-vs-cpus");
	assert_figure("open-vs-cpus");
	vars = data_of("open-vs-cpus", "vars.gp");
	ASSERT_CONTAINS(vars, "label[1] = 'target:tmpfs'");
	ASSERT_CONTAINS(vars, "label[2] = 'target:dev_zero'");
	ASSERT_CONTAINS(vars, "xlabel = 'CPUs (one worker each)'");
	ASSERT_CONTAINS(vars, "ylog = 0");
	free(vars);
}

TEST(cdf_before_after)
{
	char *args[] = { "cdf", FIX_A, FIX_B, "--case", "^fault/touch/kind:anon/cpus:1/", NULL };
	char *vars, *dat;
	int blocks = 0;
	const char *c;

	need_gnuplot();
	plot_ok(args);
	assert_figure("cdf-fault-touch-kind_anon-cpus_1-mode_process");
	vars = data_of("cdf-fault-touch-kind_anon-cpus_1-mode_process", "vars.gp");
	/* Two repetitions of 25 kept samples before, one after. */
	ASSERT_CONTAINS(vars, "label[1] = 'before (");
	ASSERT_CONTAINS(vars, "(50 samples)'");
	ASSERT_CONTAINS(vars, "(25 samples)'");
	dat = data_of("cdf-fault-touch-kind_anon-cpus_1-mode_process", "dat");
	for (c = dat; (c = strstr(c, " 1\n")); c++)
		blocks++;
	ASSERT_EQ(2, blocks);	/* each CDF ends at 1 */
	free(vars);
	free(dat);
}

TEST(bars_by_peer)
{
	char *args[] = { "bars", FIX_B, "--by", "peer", "--case", "revoke/peers", NULL };
	char *vars, *dat;

	need_gnuplot();
	plot_ok(args);
	assert_figure("revoke-peers-by-peer");
	vars = data_of("revoke-peers-by-peer", "vars.gp");
	ASSERT_CONTAINS(vars, "label[1] = 'peer:idle'");
	ASSERT_CONTAINS(vars, "label[2] = 'peer:spin'");
	dat = data_of("revoke-peers-by-peer", "dat");
	/* Clusters by what varies besides the peer: the mapping count. */
	ASSERT_CONTAINS(dat, "\"maps:1\" ");
	ASSERT_CONTAINS(dat, "\"maps:100\" ");
	free(vars);
	free(dat);
}

TEST(all_kinds_from_one_record_and_a_before)
{
	char *args[] = { "all", FIX_B, FIX_A, NULL };
	struct spawned s;

	need_gnuplot();
	plot(&s, args);
	ASSERT_EQ(0, s.status);
	assert_figure("revoke-vs-maps");
	assert_figure("peers-vs-maps");
	assert_figure("fault-vs-cpus");
	assert_figure("open-vs-cpus");
	assert_figure("revoke-peers-by-peer");
	assert_figure("open-by-target");
	assert_figure("cdf-fault-touch-kind_shared-cpus_1-mode_process");
	/* Each image is named on stdout. */
	ASSERT_CONTAINS(s.out, "/revoke-vs-maps.png\n");
	ASSERT_CONTAINS(s.out, "/revoke-vs-maps.svg\n");
}

static void assert_usage_error(char *const args[], const char *msg)
{
	struct spawned s;

	plot(&s, args);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "zapbench: error: ");
	ASSERT_CONTAINS(s.err, msg);
}

TEST(errors_are_one_line_exit_2)
{
	char *unknown[] = { "pie", FIX_A, NULL };
	char *none[] = { NULL };
	char *missing[] = { "maps", "/nonexistent.json", NULL };
	char *two[] = { "maps", FIX_A, FIX_B, NULL };
	char *cdf[] = { "cdf", FIX_A, FIX_B, NULL };
	char *cdf_none[] = { "cdf", FIX_A, FIX_B, "--case", "^nothing$", NULL };
	char *bars[] = { "bars", FIX_A, NULL };
	char *bars_enum[] = { "bars", FIX_A, "--by", "colour", NULL };
	char *fmt[] = { "maps", FIX_A, "--format", "gif", NULL };
	char *opt[] = { "maps", FIX_A, "--bogus", NULL };
	char *re[] = { "cdf", FIX_A, FIX_B, "--case", "(", NULL };

	need_gnuplot();
	assert_usage_error(unknown, "unknown kind 'pie'");
	assert_usage_error(none, "which kind?");
	assert_usage_error(missing, "/nonexistent.json: No such file or directory");
	assert_usage_error(two, "plot maps takes one record (got 2)");
	assert_usage_error(cdf, "needs --case REGEX");
	assert_usage_error(cdf_none, "no point matching '^nothing$' in both records");
	assert_usage_error(bars, "needs --by PARAM");
	assert_usage_error(bars_enum, "--by colour: no * points with two values of it");
	assert_usage_error(fmt, "--format: 'gif' is not png, svg or png,svg");
	assert_usage_error(opt, "unknown option '--bogus'");
	assert_usage_error(re, "--case '(': ");
}

TEST(refuses_records_of_another_schema)
{
	char path[200], *args[] = { "maps", path, NULL };
	FILE *f;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/gb.json", dir);
	f = fopen(path, "w");
	fputs("{\"context\": {}, \"benchmarks\": []}\n", f);
	fclose(f);
	assert_usage_error(args, "not a zapbench record (schema is missing)");
}

TEST(missing_scripts_said)
{
	char *argv[] = { "plot", "maps", FIX_A, "--scripts", "/nonexistent", "--out", dir, NULL };
	struct spawned s;

	need_gnuplot();
	zbt_mkdtemp(dir, sizeof(dir));
	run_cmd(&s, cmd_plot, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "no gnuplot script /nonexistent/revoke-vs-maps.gp");
}

/*
 * plot all FIX_B FIX_A with a copy of plots/ in which @last ends
 * revoke-vs-maps.gp (its first figure) and @first starts cdf.gp (its last).
 */
static void plot_all_with(struct spawned *s, const char *last, const char *first)
{
	char scripts[200], cmd[1200], *argv[] = { "plot", "all", FIX_B, FIX_A, "--scripts",
						 scripts, "--out", dir, NULL };

	need_gnuplot();
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(scripts, sizeof(scripts), "%s/gp", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp plots/*.gp %s && printf '%%s\\n' '%s' >> "
		 "%s/revoke-vs-maps.gp && { printf '%%s\\n' '%s'; cat plots/cdf.gp; } > %s/cdf.gp",
		 scripts, scripts, last, scripts, first, scripts);
	if (sh(cmd))
		ZBT_FAIL("%s", cmd);
	run_cmd(s, cmd_plot, argv);
}

/*
 * One gnuplot draws all of `plot all`'s figures (zb_plot_batch_begin()),
 * each in a fresh session: a variable one script sets is not there for
 * the next, which would fail if it were.
 */
TEST(batch_figures_do_not_see_each_other)
{
	struct spawned s;

	plot_all_with(&s, "zb_probe = 1", "if (exists(\"zb_probe\")) { zb_no_such_function(1) }");
	if (s.status)
		ZBT_FAIL("plot all exited %d: %s", s.status, s.err);
	ASSERT_CONTAINS(s.out, "/cdf-fault-touch-kind_shared-cpus_1-mode_process.png\n");
}

static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* A script that fails in the batch: exit 2, one error naming the figure and gnuplot's word. */
TEST(batch_failure_names_the_figure)
{
	struct spawned s;

	plot_all_with(&s, "", "zb_no_such_function(1)");
	ASSERT_EQ(2, s.status);
	/* the warnings of figures with nothing to draw, then the error, last */
	ASSERT_EQ(1, occurrences(s.err, "error: "));
	ASSERT_CONTAINS(s.err, "error: gnuplot failed on ");
	ASSERT_CONTAINS(s.err, ", drawing ");
	ASSERT_CONTAINS(s.err, "/cdf-");
	ASSERT_CONTAINS(s.err, "cdf.gp\" line 1: invalid command");
	/* nothing printed as drawn: the batch failed */
	ASSERT_EQ(NULL, strstr(s.out, ".png"));
}

/* A gnuplot that does not finish is killed at its bound, and the error says so. */
TEST(gnuplot_is_waited_for_with_a_bound)
{
	char log[200], *argv[] = { "gnuplot", "-e", "pause 30", NULL };
	struct zb_plot p = { 0 };

	need_gnuplot();
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(log, sizeof(log), "%s/gp.log", dir);
	/* a hang would be the test's own timeout */
	ASSERT_EQ(-ETIMEDOUT, zb_gp_exec(&p, argv, log, "pause", 0.5));
	ASSERT_CONTAINS(p.err, "gnuplot on pause did not finish in 0.5 s (killed; log ");
}

/* A made-up point: name, case, params (JSON), median and CI in ns. */
struct mk_point {
	const char *cas, *params;
	double median, lo, hi;
};

/* A record of @pts under dir/@file, the timer's floor @floor_ns. */
static void write_record(char *path, size_t len, const char *file, double floor_ns,
			 const struct mk_point *pts, int n)
{
	FILE *f;
	int i;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(path, len, "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		ZBT_FAIL("cannot write %s", path);
	fprintf(f, "{\"schema\": \"zapbench-result\", \"schema_version\": 1, \"context\": {"
		"\"kernel\": \"6.1\", \"host_name\": \"h\", \"cpu_model\": \"c\", \"num_cpus\": 1, "
		"\"timer\": {\"clock\": \"tsc\", \"overhead_ns\": 15, \"resolution_ns\": %g, "
		"\"floor_ns\": %g}}, \"benchmarks\": [", floor_ns / 2, floor_ns);
	for (i = 0; i < n; i++)
		fprintf(f, "%s{\"name\": \"%s/%d\", \"run_type\": \"iteration\", \"case\": \"%s\", "
			"\"params\": %s, \"summary\": {\"count\": 100, \"median\": %g, "
			"\"ci95_lo\": %g, \"ci95_hi\": %g}}", i ? ", " : "", pts[i].cas, i,
			pts[i].cas, pts[i].params, pts[i].median, pts[i].lo, pts[i].hi);
	fputs("]}\n", f);
	fclose(f);
}

/* Data blocks in a .dat: gnuplot's, separated by two blank lines. */
static int blocks(const char *dat)
{
	int n = 0;

	for (; (dat = strstr(dat, "\n\n\n")); dat += 3)
		n++;
	return n;
}

/*
 * Figure @name's variables contain every string of @vars_has, its data
 * every one of @dat_has (both NULL-terminated); returns the data to free.
 */
static char *figure_says(const char *name, const char *const vars_has[],
			 const char *const dat_has[])
{
	char *vars = data_of(name, "vars.gp"), *dat = data_of(name, "dat");
	int i;

	for (i = 0; vars_has[i]; i++)
		ASSERT_CONTAINS(vars, vars_has[i]);
	for (i = 0; dat_has[i]; i++)
		ASSERT_CONTAINS(dat, dat_has[i]);
	free(vars);
	return dat;
}

/* zapbench plot @kind [--by @by] on a record of @pts made up here. */
static void plot_made_up(char *kind, char *by, double floor_ns, const struct mk_point *pts,
			 int n)
{
	char path[200], *args[] = { kind, path, by ? "--by" : NULL, by, NULL };

	need_gnuplot();
	write_record(path, sizeof(path), "made-up.json", floor_ns, pts, n);
	plot_ok(args);
}

/* Five points of revoke/punch at maps 1..10^4, medians @y. */
static void maps_record(char *path, size_t len, const double y[5])
{
	static const char *const params[] = { "{\"maps\": 1}", "{\"maps\": 10}",
		"{\"maps\": 100}", "{\"maps\": 1000}", "{\"maps\": 10000}" };
	struct mk_point pts[5];
	int i;

	for (i = 0; i < 5; i++)
		pts[i] = (struct mk_point){ "revoke/punch", params[i], y[i], y[i] * 0.99,
					    y[i] * 1.01 };
	write_record(path, len, "maps.json", 1.5, pts, 5);
}

/* Medians exactly 1000 + 500 * maps ns: the fit finds them, and is drawn. */
TEST(maps_fit_recovers_a_known_line)
{
	static const double y[5] = { 1500, 6000, 51000, 501000, 5001000 };
	char path[200], *args[] = { "maps", path, NULL }, *dat;

	need_gnuplot();
	maps_record(path, sizeof(path), y);
	plot_ok(args);
	dat = figure_says("revoke-vs-maps", (const char *const[]){
		"label[1] = 'revoke/punch: 1 us + 500 ns per mapping (r² 1.00)'",
		"nfit = 1\n",
		"r² >= 0.95'",
		"machine = 'kernel 6.1 on h: c, 1 CPUs, bare metal'",
		NULL }, (const char *const[]){ NULL });
	ASSERT_EQ(2, blocks(dat));	/* the points, then the line */
	free(dat);
}

/* A curve that rises 100x and falls back, CIs 1 %: no line is drawn over it. */
TEST(maps_no_fit_over_a_non_monotone_series)
{
	static const double y[5] = { 2000, 2600000, 700000, 900000, 9000000 };
	char path[200], *args[] = { "maps", path, NULL }, *dat;

	need_gnuplot();
	maps_record(path, sizeof(path), y);
	plot_ok(args);
	assert_figure("revoke-vs-maps");
	dat = figure_says("revoke-vs-maps", (const char *const[]){
		"label[1] = 'revoke/punch: no fit (not monotone)'",
		"nfit = 0\n",
		NULL }, (const char *const[]){ NULL });
	ASSERT_EQ(1, blocks(dat));	/* the points only */
	free(dat);
}

/* Monotone but flat then steep: a straight line would mislead, r² says so. */
TEST(maps_no_fit_below_the_r2_threshold)
{
	static const double y[5] = { 100000, 100000, 100000, 100000, 10000000 };
	char path[200], *args[] = { "maps", path, NULL }, *dat;

	need_gnuplot();
	maps_record(path, sizeof(path), y);
	plot_ok(args);
	dat = figure_says("revoke-vs-maps", (const char *const[]){
		"label[1] = 'revoke/punch: no fit (r² ",
		" < 0.95)'",
		"nfit = 0\n",
		NULL }, (const char *const[]){ NULL });
	ASSERT_EQ(1, blocks(dat));
	free(dat);
}

/*
 * A timer floor of 10 ns and one target at 8 ns: the band is drawn, and
 * that target's points are not measurements (no median, no CI), only
 * hollow markers at the floor.  The other target's are drawn as measured.
 */
TEST(cpus_floor_drawn_under_a_sub_resolution_point)
{
	static const struct mk_point pts[] = {
		{ "open/close", "{\"target\": \"fast\", \"cpus\": 1}", 8, 7, 9 },
		{ "open/close", "{\"target\": \"fast\", \"cpus\": 2}", 8, 7, 9 },
		{ "open/close", "{\"target\": \"slow\", \"cpus\": 1}", 100, 99, 101 },
		{ "open/close", "{\"target\": \"slow\", \"cpus\": 2}", 110, 109, 111 },
	};
	char *dat;

	plot_made_up("cpus", NULL, 10, pts, ZB_ARRAY_SIZE(pts));
	assert_figure("open-vs-cpus");
	dat = figure_says("open-vs-cpus", (const char *const[]){
		"ylog = 0\n",
		"floor = 10\n",
		"floorlabel = 'below timer resolution (10 ns)'",
		"label[1] = 'target:fast (all at the floor)'",
		"dots = 1\n",
		NULL }, (const char *const[]){
		"1 NaN NaN NaN 10\n2 NaN NaN NaN 10\n",
		"1 100 99 101 NaN\n2 110 109 111 NaN\n",
		NULL });
	ASSERT_TRUE(!strstr(dat, " 8 "));
	free(dat);
}

/* Far above the floor: no band, nothing hollow. */
TEST(cpus_no_floor_far_above_it)
{
	static const struct mk_point pts[] = {
		{ "fault/touch", "{\"cpus\": 1}", 500, 490, 510 },
		{ "fault/touch", "{\"cpus\": 2}", 600, 590, 610 },
	};
	char *dat;

	plot_made_up("cpus", NULL, 1.5, pts, ZB_ARRAY_SIZE(pts));
	dat = figure_says("fault-vs-cpus", (const char *const[]){
		"floor = 0\n",
		NULL }, (const char *const[]){ NULL });
	free(dat);
}

/*
 * Barrier variants at the loop's own cost (variant:none): the loop is the
 * floor band, not a series, and a variant no dearer is hollow at it; a
 * dearer one is drawn.  The timer's floor does not apply to batched cases.
 */
TEST(barrier_floor_is_the_loop_alone)
{
	static const struct mk_point pts[] = {
		{ "barrier/consume", "{\"variant\": \"none\", \"cpus\": 1}", 0.25, 0.25, 0.25 },
		{ "barrier/consume", "{\"variant\": \"none\", \"cpus\": 2}", 0.25, 0.25, 0.25 },
		{ "barrier/consume", "{\"variant\": \"v3\", \"cpus\": 1}", 0.25, 0.25, 0.25 },
		{ "barrier/consume", "{\"variant\": \"v3\", \"cpus\": 2}", 0.25, 0.25, 0.25 },
		{ "barrier/consume", "{\"variant\": \"rcu\", \"cpus\": 1}", 0.5, 0.48, 0.52 },
		{ "barrier/consume", "{\"variant\": \"rcu\", \"cpus\": 2}", 0.5, 0.48, 0.52 },
	};
	char *dat;

	plot_made_up("cpus", NULL, 1.5, pts, ZB_ARRAY_SIZE(pts));
	dat = figure_says("barrier-consume-vs-cpus", (const char *const[]){
		"n = 2\n",
		"floor = 0.25\n",
		"floorlabel = 'loop alone, variant:none (",
		"label[1] = 'variant:v3 (all at the floor)'",
		"label[2] = 'variant:rcu'",
		NULL }, (const char *const[]){
		"1 NaN NaN NaN 0.25\n",
		"1 0.5 0.48 0.52 NaN\n",
		NULL });
	ASSERT_EQ(2, blocks(dat));
	free(dat);
}

/* The same floor on the variants figure: the fast target is hollow at it. */
TEST(bars_floor_drawn_under_a_sub_resolution_point)
{
	static const struct mk_point pts[] = {
		{ "open/close", "{\"target\": \"fast\", \"cpus\": 1}", 8, 7, 9 },
		{ "open/close", "{\"target\": \"slow\", \"cpus\": 1}", 100, 99, 101 },
	};
	char *dat;

	plot_made_up("bars", "target", 10, pts, ZB_ARRAY_SIZE(pts));
	assert_figure("all-by-target");
	dat = figure_says("all-by-target", (const char *const[]){
		"title = 'Latency by target'",
		"xlog = 0\n",
		"floor = 10\n",
		"floorlabel = 'below timer resolution (10 ns)'",
		NULL }, (const char *const[]){
		" NaN NaN NaN 10 100 99 101 NaN\n",
		NULL });
	free(dat);
}
