// SPDX-License-Identifier: GPL-2.0
/*
 * The option parser every command uses (bench/cli/opts.h) and the cpulist
 * syntax (core/cpus.h).  A test table is parsed in a child, which prints
 * what it got: a bad option must be one line on stderr and exit 2.
 */
#include <errno.h>

#include "zbtest.h"
#include "cmd.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/cpus.h"

static struct {
	int quick, rounds;
	double min_time;
	const char *filter;
	const char *env[8], *args[8];
	int nr_env, nr_args, cpus[64], nr_cpus;
} got;

static int add_env(void *ctx, const struct cli_opt *o, const char *val)
{
	(void)ctx;
	if (got.nr_env == 8) {
		zb_err("%s: more than 8", o->name);
		return -E2BIG;
	}
	got.env[got.nr_env++] = val;
	return 0;
}

static int cpu_list(void *ctx, const struct cli_opt *o, const char *val)
{
	char why[128];
	int n = zb_cpulist_parse(val, got.cpus, 64, why, sizeof(why));

	(void)ctx;
	if (n < 0) {
		zb_err("%s: %s", o->name, why);
		return n;
	}
	got.nr_cpus = n;
	return 0;
}

static int add_arg(void *ctx, const char *word)
{
	(void)ctx;
	got.args[got.nr_args++] = word;
	return 0;
}

static const char *cat(const char *const *v, int n, char *buf, size_t len)
{
	size_t at = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "", v[i]);
	return buf;
}

static int parse_main(int argc, char **argv)
{
	struct cli_opt opts[] = {
		CLI_FLAG("--quick", 'q', &got.quick, "small"),
		CLI_STR("--filter", 'f', "REGEX", &got.filter, "the points"),
		CLI_FLAG("--filter-all", 0, &got.quick, "a longer name that --filter begins"),
		CLI_INT("--rounds", 'r', "N", &got.rounds, 1, 100, "rounds"),
		CLI_DOUBLE("--min-time", 0, "S", &got.min_time, 0.001, 10, "seconds"),
		CLI_TEXT("Sides:"),
		CLI_FN("--env", 'e', "K=V", add_env, NULL, "an environment variable,\n"
		       "given once for each"),
		CLI_FN("--cpu-list", 'c', "LIST", cpu_list, NULL, "CPUs (0-3,8-11)"),
		CLI_END
	};
	struct cli_cmd cmd = { .prog = "zapbench test", .opts = opts, .arg = add_arg,
			       .usage = "usage: zapbench test [options] ARG...\n\n",
			       .tail = "Tail.\n" };
	char e[256], a[256];
	int ret = cli_parse(&cmd, argc, argv), i;

	if (ret)
		return cli_exit(ret);
	printf("quick=%d filter=%s rounds=%d min-time=%g env=%s args=%s cpus=", got.quick,
	       got.filter ? got.filter : "-", got.rounds, got.min_time,
	       cat(got.env, got.nr_env, e, sizeof(e)), cat(got.args, got.nr_args, a, sizeof(a)));
	for (i = 0; i < got.nr_cpus; i++)
		printf("%s%d", i ? "," : "", got.cpus[i]);
	printf("\n");
	return 0;
}

/* The child's stdout, which must be all it said. */
static void expect(const char *want, char *const argv[])
{
	struct spawned s;

	run_cmd(&s, parse_main, argv);
	ASSERT_EQ(0, s.status);
	ASSERT_STREQ("", s.err);
	ASSERT_CONTAINS(s.out, want);
}

/* One line on stderr naming what was wrong, exit 2, nothing on stdout. */
static void refused(const char *needle, char *const argv[])
{
	struct spawned s;

	run_cmd(&s, parse_main, argv);
	ASSERT_EQ(2, s.status);
	ASSERT_EQ(1, s.err_lines);
	ASSERT_TRUE(!strncmp(s.err, "zapbench: error: ", 17));
	ASSERT_CONTAINS(s.err, needle);
	ASSERT_STREQ("", s.out);
}

TEST(long_options_both_spellings)
{
	char *sep[] = { "test", "--quick", "--filter", "re", "--rounds", "3", "--min-time",
			"0.5", NULL };
	char *eq[] = { "test", "--quick", "--filter=re", "--rounds=3", "--min-time=0.5", NULL };

	expect("quick=1 filter=re rounds=3 min-time=0.5 env= args= cpus=\n", sep);
	expect("quick=1 filter=re rounds=3 min-time=0.5 env= args= cpus=\n", eq);
}

TEST(short_options_alone_attached_and_clustered)
{
	char *alone[] = { "test", "-q", "-f", "re", "-r", "3", NULL };
	char *attached[] = { "test", "-q", "-fre", "-r3", NULL };
	char *cluster[] = { "test", "-qr3", "-f", "re", NULL };

	expect("quick=1 filter=re rounds=3 ", alone);
	expect("quick=1 filter=re rounds=3 ", attached);
	expect("quick=1 filter=re rounds=3 ", cluster);
}

TEST(arguments_in_order_between_options)
{
	char *argv[] = { "test", "a", "-q", "b", "--filter", "-x", "c", NULL };

	/* a value is taken as is, even one that looks like an option */
	expect("quick=1 filter=-x rounds=0 min-time=0 env= args=a,b,c ", argv);
}

TEST(double_dash_ends_the_options)
{
	char *argv[] = { "test", "-q", "a", "--", "--filter", "x", "-r", "--", NULL };

	expect("quick=1 filter=- rounds=0 min-time=0 env= args=a,--filter,x,-r,-- ", argv);
}

TEST(repeated_options)
{
	char *last[] = { "test", "-f", "one", "--filter", "two", "-r", "2", "--rounds=5", NULL };
	char *collect[] = { "test", "--env", "A=1", "-e", "B=2", "--env=C=3", NULL };

	/* a value given again replaces the first (ab's --b-args rely on it) */
	expect("filter=two rounds=5 ", last);
	/* an option that collects keeps each */
	expect("env=A=1,B=2,C=3 ", collect);
}

/* Each one line on stderr and exit 2. */
static void refused_all(const char *const (*bad)[6], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		refused(bad[i][0], (char *const *)&bad[i][1]);
}

TEST(unknown_options_are_refused)
{
	static const char *const bad[][6] = {
		{ "unknown option '--bogus' (see zapbench test --help)", "test", "--bogus" },
		{ "unknown option '--bogus' (see", "test", "--bogus=1" },
		{ "unknown option '-z'", "test", "-q", "-z" },
		{ "unknown option '-z'", "test", "-qz" },
	};

	refused_all(bad, ZB_ARRAY_SIZE(bad));
}

TEST(abbreviations_are_refused)
{
	static const char *const bad[][6] = {
		{ "'--min': write the option in full (--min-time)", "test", "--min", "1" },
		{ "'--rou': write the option in full (--rounds)", "test", "--rou=3" },
		/* the beginning of two names */
		{ "unknown option '--filt'", "test", "--filt", "x" },
	};
	char *exact[] = { "test", "--filter", "x", "--filter-all", NULL };

	refused_all(bad, ZB_ARRAY_SIZE(bad));
	/* a name that begins a longer one is still that name */
	expect("quick=1 filter=x ", exact);
}

TEST(values_missing_superfluous_or_bad)
{
	static const char *const bad[][6] = {
		{ "--filter needs a value", "test", "--filter" },
		{ "--filter needs a value", "test", "-q", "-f" },
		{ "--quick takes no value", "test", "--quick=yes" },
		{ "--rounds: 0 is out of range 1..100", "test", "-r", "0" },
		{ "--rounds: 'three' is not a whole number", "test", "--rounds", "three" },
		{ "--min-time: 'soon' is not a number", "test", "--min-time", "soon" },
	};

	refused_all(bad, ZB_ARRAY_SIZE(bad));
}

TEST(cpu_lists)
{
	char *ranges[] = { "test", "--cpu-list", "0-3,8-11", NULL };
	char *order[] = { "test", "-c", "5,1,2-3", NULL };
	char *online[] = { "test", "--cpu-list", "0-1\n", NULL };
	char *one[] = { "test", "--cpu-list=7", NULL };

	expect("cpus=0,1,2,3,8,9,10,11\n", ranges);
	/* the order given is the workers' order */
	expect("cpus=5,1,2,3\n", order);
	/* as /sys/devices/system/cpu/online reads */
	expect("cpus=0,1\n", online);
	expect("cpus=7\n", one);
}

TEST(bad_cpu_lists)
{
	static const char *const bad[][2] = {
		{ "3-1", "range 3-1 is reversed (1-3)" },
		{ "0-2,1", "CPU 1 is listed twice" },
		{ "4,4", "CPU 4 is listed twice" },
		{ "1,,2", "bad list '1,,2'" },
		{ "1,", "bad list '1,'" },
		{ "-1", "bad list '-1'" },
		{ "1-", "bad list '1-'" },
		{ "1-2-3", "bad list '1-2-3'" },
		{ "0 1", "bad list '0 1'" },
		{ "two", "bad list 'two'" },
		{ "", "bad list ''" },
		{ "0-2000000", "CPU 2000000 is beyond any machine's" },
		{ "0-63,64", "more than 64 CPUs" },
	};
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(bad); i++) {
		char *argv[] = { "test", "--cpu-list", (char *)bad[i][0], NULL };
		char want[128];

		snprintf(want, sizeof(want), "--cpu-list: %s", bad[i][1]);
		refused(want, argv);
	}
}

TEST(help_comes_from_the_table)
{
	char *argv[] = { "test", "-q", "--help", "--bogus", NULL };
	struct spawned s;

	run_cmd(&s, parse_main, argv);
	ASSERT_EQ(0, s.status);
	ASSERT_STREQ("", s.err);
	ASSERT_CONTAINS(s.out, "usage: zapbench test [options] ARG...\n\n");
	ASSERT_CONTAINS(s.out, "\n  -q, --quick          small\n");
	ASSERT_CONTAINS(s.out, "\n      --min-time S     seconds\n");
	ASSERT_CONTAINS(s.out, "\nSides:\n  -e, --env K=V        an environment variable,\n"
			"                       given once for each\n");
	ASSERT_CONTAINS(s.out, "\n  -h, --help           this text\n\nTail.\n");
}

/* What a command hands on to another program: its options not CLI_OWN. */
static int pass_main(int argc, char **argv)
{
	const char *out = NULL, *filter = NULL;
	int quick = 0, i, ret;
	struct cli_opt opts[] = {
		{ .name = "--out", .key = 'o', .type = CLI_T_STR, .arg = "FILE", .to.str = &out,
		  .flags = CLI_OWN },
		CLI_STR("--filter", 'f', "RE", &filter, NULL),
		CLI_FLAG("--quick", 'q', &quick, NULL),
		CLI_END
	};
	char *pass[16];
	struct cli_cmd cmd = { .prog = "zapbench test", .usage = "", .opts = opts,
			       .pass = pass, .pass_max = 16, .unknown_passes = argv[0][0] == 'u' };

	ret = cli_parse(&cmd, argc, argv);
	if (ret)
		return cli_exit(ret);
	printf("out=%s:", out ? out : "-");
	for (i = 0; i < cmd.nr_pass; i++)
		printf(" %s", pass[i]);
	printf("%s\n", pass[cmd.nr_pass] ? " (not ended)" : "");
	return 0;
}

TEST(options_passed_on)
{
	char *mine[] = { "test", "-o", "r.json", "-qfre", "--filter=x", NULL };
	char *unknown[] = { "unknown", "--benchmark_filter=a", "-q", "word", "--", "--out",
			    "y", NULL };
	char *refuse[] = { "test", "--benchmark_filter=a", NULL };
	struct spawned s;

	run_cmd(&s, pass_main, mine);
	ASSERT_EQ(0, s.status);
	ASSERT_STREQ("out=r.json: --quick --filter re --filter x\n", s.out);
	run_cmd(&s, pass_main, unknown);
	ASSERT_EQ(0, s.status);
	ASSERT_STREQ("out=-: --benchmark_filter=a --quick word --out y\n", s.out);
	run_cmd(&s, pass_main, refuse);
	ASSERT_EQ(2, s.status);
	ASSERT_CONTAINS(s.err, "unknown option '--benchmark_filter'");
}
