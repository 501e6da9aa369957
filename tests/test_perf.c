// SPDX-License-Identifier: GPL-2.0
/*
 * run --perf-record and compare's profile diffs: the samples fall inside
 * the op (perftest/spin's op spins in perftest_op_spin, its setup and
 * teardown in spinners of their own), and a regressed row shows what its
 * profile says changed.  Skipped, with the reason, where perf cannot sample.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compare/profile.h"
#include "core/perf.h"
#include "record/record_load.h"
#include "zbtest.h"
#include "spawn.h"

static char dir[4096], out[4200], out2[4200];

static void need_perf(void)
{
	char event[32], why[512];

	if (zb_perf_probe(event, sizeof(event), why, sizeof(why)))
		SKIP(_exit(ZBT_SKIP_CODE), "%s", why);
}

/* perftest/spin in @mode with --perf-record into @path; more options after. */
static void run_perftest(const char *mode, const char *path, int reps, const char *inject)
{
	char filter[64], r[16];
	char *argv[] = { "zapbench", "run", "--filter", filter, "--min-time", "0.2",
			 "--repetitions", r, "--no-progress", "--perf-record", "--out",
			 (char *)path, inject ? "--inject-slowdown" : NULL, (char *)inject, NULL };
	struct spawned s;

	snprintf(filter, sizeof(filter), "^perftest/spin/.*mode:%s$", mode);
	snprintf(r, sizeof(r), "%d", reps);
	setenv("ZAPBENCH_TEST_CASES", "1", 1);
	spawn(&s, argv);
	if (s.status)
		ZBT_FAIL("zapbench run exited %d: %s", s.status, s.err);
}

/* The shares of @fn and of any clone the compiler made of it ("fn.constprop.0"). */
static double share_of(const struct zb_profile *p, const char *fn)
{
	size_t n = strlen(fn);
	double sum = 0;
	int i;

	for (i = 0; i < p->n; i++) {
		const char *s = p->sym[i].name;

		if (!strncmp(s, fn, n) && (s[n] == '\0' || s[n] == '.'))
			sum += p->sym[i].pct;
	}
	return sum;
}

static void samples_inside_the_op(const char *mode)
{
	const struct zb_jval *b, *prof;
	struct zb_profile p;
	char data[8400], why[512], want[128];
	double op, setup, teardown;
	struct zb_jval v;

	need_perf();
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	run_perftest(mode, out, 1, NULL);
	load_record(out, &v);
	b = zb_jobj_get(&v, "benchmarks");
	ASSERT_EQ(1, b->n);
	prof = zb_jobj_get(&b->items[0], "profile");
	ASSERT_TRUE(prof != NULL);
	ASSERT_TRUE(zb_jobj_str(prof, "event") != NULL);
	/* relative to the record, next to it */
	snprintf(want, sizeof(want), "r.perf/perftest+spin+spin-us:100+cpus:1+mode:%s.data",
		 mode);
	ASSERT_STREQ(want, zb_jobj_str(prof, "perf_data"));
	snprintf(data, sizeof(data), "%s/%s", dir, want);
	ASSERT_EQ(0, zb_profile_load(data, &p, why, sizeof(why)));
	op = share_of(&p, "perftest_op_spin");
	setup = share_of(&p, "perftest_setup_spin");
	teardown = share_of(&p, "perftest_teardown_spin");
	ZBT_SAY("%s: perftest_op_spin %.1f %%, setup %.1f %%, teardown %.1f %%", mode, op, setup,
		teardown);
	/* each untimed spinner runs 0.2 s, as long as the timed region: none of it */
	EXPECT_TRUE(op > 50);
	EXPECT_EQ(0.0, setup);
	EXPECT_EQ(0.0, teardown);
	zb_profile_free(&p);
	zb_jval_free(&v);
}

TEST_TIMEOUT(samples_fall_inside_the_op_process, 120)
{
	samples_inside_the_op("process");
}

TEST_TIMEOUT(samples_fall_inside_the_op_thread, 120)
{
	samples_inside_the_op("thread");
}

static const char report_text[] =
	"\n"
	"    88.64%  [.] perftest_op_spin\n"
	"     3.41%  [.] 0x00000000000007bd\n"
	"     1.20%  [.] 0x00007ffa50a347bd\n"
	"     2.27%  [k] pvm_irq_enable\n"
	"     0.50%  [.] gone_in_new\n"
	"#\n";

TEST(profile_parse_and_diff)
{
	struct zb_profile a, b;
	struct zb_prof_change ch[3];
	int n;

	ASSERT_EQ(0, zb_profile_parse(report_text, &a));
	ASSERT_EQ(4, a.n);
	ASSERT_STREQ("perftest_op_spin", a.sym[0].name);
	ASSERT_NEAR(88.64, a.sym[0].pct, 1e-9);
	/* unresolved addresses are one symbol */
	ASSERT_STREQ("[unresolved]", a.sym[1].name);
	ASSERT_NEAR(4.61, a.sym[1].pct, 1e-9);
	ASSERT_STREQ("pvm_irq_enable", a.sym[2].name);
	ASSERT_EQ(0, zb_profile_parse("    60.00%  [.] zb_inject_wait\n"
				      "    30.00%  [.] perftest_op_spin\n"
				      "     2.27%  [k] pvm_irq_enable\n", &b));
	n = zb_profile_diff(&a, &b, ch, 3);
	ASSERT_EQ(3, n);
	/* largest |change| first: +60 pp, then -58.64 pp */
	ASSERT_STREQ("zb_inject_wait", ch[0].name);
	ASSERT_NEAR(0, ch[0].base, 1e-9);
	ASSERT_NEAR(60, ch[0].new_, 1e-9);
	ASSERT_STREQ("perftest_op_spin", ch[1].name);
	ASSERT_NEAR(88.64, ch[1].base, 1e-9);
	ASSERT_NEAR(30, ch[1].new_, 1e-9);
	ASSERT_STREQ("[unresolved]", ch[2].name);
	/* an unchanged share is no change */
	n = zb_profile_diff(&a, &a, ch, 3);
	ASSERT_EQ(0, n);
	zb_profile_free(&a);
	zb_profile_free(&b);
}

/* A regressed row shows its profile diff; one without perf.data says how to get one. */
TEST_TIMEOUT(a_regressed_row_shows_its_profile_diff, 240)
{
	char *argv[] = { "zapbench", "compare", out, out2, NULL };
	char noprof[4300], *text, *p;
	struct spawned s;
	FILE *f;

	need_perf();
	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/a.json", dir);
	snprintf(out2, sizeof(out2), "%s/b.json", dir);
	/* 4 rounds a side: the fewest whose exact interval can exclude 0 */
	run_perftest("process", out, 4, NULL);
	run_perftest("process", out2, 4, "60");
	spawn(&s, argv);
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "REGRESSED");
	/* the injected wait spins in zb_inject_wait: its share rose */
	p = strstr(s.out, "zb_inject_wait");
	ASSERT_TRUE(p != NULL);
	ASSERT_CONTAINS(s.out, "perftest_op_spin");
	while (p > s.out && p[-1] != '\n')
		p--;
	/* indented under the row, the change first */
	ASSERT_TRUE(!strncmp(p, "    ", 4));
	ASSERT_EQ('+', p[strspn(p, " ")]);
	ASSERT_CONTAINS(p, " pp  zb_inject_wait");
	ASSERT_CONTAINS(p, "(a 0.0 % -> b ");
	/* report too */
	argv[1] = "report";
	spawn(&s, argv);
	ASSERT_CONTAINS(s.out, " pp  zb_inject_wait");
	/* the same record, its profile names taken away */
	ASSERT_EQ(0, zb_read_file(out2, &text, NULL));
	while ((p = strstr(text, "\"profile\"")))
		memcpy(p, "\"profilx\"", 9);
	snprintf(noprof, sizeof(noprof), "%s/noprof.json", dir);
	f = fopen(noprof, "w");
	ASSERT_TRUE(f != NULL);
	fputs(text, f);
	fclose(f);
	free(text);
	argv[1] = "compare";
	argv[3] = noprof;
	spawn(&s, argv);
	ASSERT_EQ(1, s.status);
	ASSERT_CONTAINS(s.out, "REGRESSED");
	ASSERT_CONTAINS(s.out, "\n    no profile (run with --perf-record)\n");
}

/* No perf on PATH: one line before anything runs, exit 2. */
TEST(no_perf_is_one_line_before_the_run)
{
	char *argv[] = { "zapbench", "run", "--filter", "^perftest/", "--perf-record",
			 "--no-progress", "--out", out, NULL };
	struct spawned s;

	zbt_mkdtemp(dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/r.json", dir);
	setenv("ZAPBENCH_TEST_CASES", "1", 1);
	setenv("PATH", dir, 1);
	spawn(&s, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "--perf-record: no perf here (install linux-perf");
	ASSERT_TRUE(access(out, F_OK) != 0);
}

/* --vm runs in a guest: its perf.data would not be here. */
TEST(perf_record_is_refused_with_vm)
{
	char *argv[] = { "zapbench", "run", "--perf-record", "--vm", NULL };
	struct spawned s;

	spawn(&s, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_CONTAINS(s.err, "--perf-record");
}

/*
 * Two runs named by zapbench in one second share a stem: the second must
 * not write into the first's X.perf/.  Here X.perf/ exists already (made
 * for every second the run may start in): the run takes X_2.perf/, says
 * so in its record, and leaves X.perf/ as it was.
 */
TEST(perf_dir_of_a_chosen_name_is_never_shared)
{
	char runs[200], host[256], stamp[32], p[700], taken[700], *rel;
	char *argv[] = { "zapbench", "run", "--filter", "^perftest/spin/.*mode:process$",
			 "--min-time", "0.05", "--repetitions", "1", "--no-progress",
			 "--perf-record", NULL };
	const struct zb_jval *row;
	struct spawned s;
	struct zb_jval v;
	char err[512];
	time_t now = time(NULL);
	struct tm tm;
	glob_t g;
	int k;

	zbt_mkdtemp(runs, sizeof(runs));
	ASSERT_EQ(0, gethostname(host, sizeof(host) - 1));
	for (k = 0; k < 60; k++) {
		time_t t = now + k;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(p, sizeof(p), "%s/%s-%s.perf", runs, stamp, host);
		ASSERT_EQ(0, mkdir(p, 0755));
	}
	setenv("ZAPBENCH_RUNS", runs, 1);
	setenv("ZAPBENCH_TEST_CASES", "1", 1);
	spawn(&s, argv);
	unsetenv("ZAPBENCH_RUNS");
	if (s.status)
		ZBT_FAIL("zapbench run exited %d: %s", s.status, s.err);
	snprintf(p, sizeof(p), "%s/*.json", runs);
	ASSERT_EQ(0, glob(p, 0, NULL, &g));
	ASSERT_EQ(1, g.gl_pathc);
	if (zb_record_load(g.gl_pathv[0], &v, err, sizeof(err)))
		ZBT_FAIL("%s", err);
	row = &zb_jobj_get(&v, "benchmarks")->items[0];
	rel = strdup(zb_jobj_str(zb_jobj_get(row, "profile"), "perf_data"));
	/* the stem was one of those made: else this test tests nothing */
	snprintf(taken, sizeof(taken), "%s", g.gl_pathv[0]);
	snprintf(strrchr(taken, '.'), 8, ".perf");
	ASSERT_EQ(0, access(taken, F_OK));
	ASSERT_EQ(0, dir_entries(taken));
	ASSERT_TRUE(strstr(rel, "_2.perf/") != NULL);
	snprintf(p, sizeof(p), "%s/%s", runs, rel);
	ASSERT_EQ(0, access(p, R_OK));
	free(rel);
	zb_jval_free(&v);
	globfree(&g);
}
