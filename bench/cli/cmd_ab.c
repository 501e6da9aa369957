// SPDX-License-Identifier: GPL-2.0
/*
 * zapbench ab: two configurations in alternating rounds, compared paired.
 * A side is a zapbench binary plus extra `run` options and environment;
 * see ab_run.h for the rounds and compare.h for the verdicts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/ab_cmp.h"
#include "cli/ab_kernel.h"
#include "cli/ab_run.h"
#include "case.h"
#include "cli/cli.h"
#include "cli/cmp_table.h"
#include "report/plot.h"
#include "util.h"

static const char usage[] =
	"usage: zapbench ab [--a-bin PATH] [--b-bin PATH] [--a-args ARGS] [--b-args ARGS]\n"
	"                   [--a-env K=V]... [--b-env K=V]... [--rounds N] [--quick]\n"
	"                   [--filter RE] [--min-time S] [--threshold PCT] [--alpha A]\n"
	"                   [--correction holm|bh|none] [--timeout S] [--out DIR]\n"
	"       zapbench ab --kernel IMAGE[:KDIR] --kernel IMAGE[:KDIR] [--aa]\n"
	"                   [--rounds N | --resolve PCT [--max-rounds N]] [--quick]\n"
	"                   [--vm-cpus N [--overcommit]] [--filter RE] [--timeout S]\n"
	"                   [--out DIR] ...\n"
	"       zapbench ab --compare DIR [--threshold PCT] ...\n\n"
	"Runs side A and side B in rounds, each round one `zapbench run` of the suite per\n"
	"side, both started at once and taking turns point by point, A B B A A B ...\n"
	"(ABBA: a drift of the machine cancels), then compares them paired, round by\n"
	"round (see zapbench compare --help for the verdicts).\n"
	"  --a-bin, --b-bin  the zapbench of each side (two builds); default this one\n"
	"  --a-args, --b-args  extra run options, e.g. --b-args '--inject-slowdown 10'\n"
	"  --rounds N        rounds (default 14); --quick: 24 rounds of the quick suite at\n"
	"                    min-time 0.02 s, at least 5 samples, 1 warmup op a point\n"
	"  --timeout S       a side that takes longer for one point is killed: exit 2\n"
	"                    (default 900)\n"
	"  --out DIR         each round's records and the comparison (default\n"
	"                    datasets/runs/ab-<UTC time>/)\n"
	"  --compare DIR     compare the completed rounds of an earlier (interrupted) ab\n"
	"Kernels: --kernel A --kernel B boots each in the scripts/vm guest once a round\n"
	"(the turns are whole boots, A B | B A | ...), running the module's cases and the\n"
	"userspace revoke/fault/open cases there; --aa boots one kernel against itself.\n"
	"KDIR: its build tree, for the module (default: Debian's headers of its version).\n"
	"  --resolve PCT     a pilot of 4 rounds, then the rounds it says resolve +-PCT at\n"
	"                    90 % of the points (at most --max-rounds, 30); T becomes PCT\n"
	"  --timeout S       for kernels: one boot (default 900)\n"
	"Then comparison.{txt,json}, report.txt (for a mail) and plots/ in DIR.\n"
	"Exit: 0 no regression, 1 a regression, 2 bad usage or a side failed, 130 ^C\n"
	"(the completed rounds are compared and kept).\n";

struct ab_args {
	struct ab_plan p;
	struct zb_cmp_opts o;
	const char *compare_dir;
	struct ab_load load;
	int nr_kernels, aa, max_rounds;
	double resolve_pct;
	char command[4096];		/* how to run this again, for the report */
	char self[1024], dir[1024];
};

static int add_env(struct ab_side *s, const char *kv)
{
	if (!strchr(kv, '=') || kv[0] == '=') {
		zb_err("--%s-env: '%s' is not K=V", s->label, kv);
		return -EINVAL;
	}
	if (s->nr_env == AB_MAX_ENV) {
		zb_err("--%s-env: more than %d", s->label, AB_MAX_ENV);
		return -E2BIG;
	}
	s->env[s->nr_env++] = kv;
	return 0;
}

static int side_option(struct ab_args *a, int argc, char **argv, int *i)
{
	static const char *const opts[] = { "-bin", "-args", "-env" };
	char name[16], why[256];
	const char *v;
	int s, k, m;

	for (s = 0; s < 2; s++) {
		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "--%c%s", 'a' + s, opts[k]);
			m = cli_value(argc, argv, i, name, &v);
			if (m < 0)
				return m;
			if (!m)
				continue;
			if (k == 0) {
				a->p.side[s].bin = v;
				return 0;
			}
			if (k == 2)
				return add_env(&a->p.side[s], v);
			if (ab_side_args(&a->p.side[s], v, why, sizeof(why))) {
				zb_err("%s: %s", name, why);
				return -EINVAL;
			}
			return 0;
		}
	}
	return 1;
}

static int option(struct ab_args *a, int argc, char **argv, int *i)
{
	const char *v;
	long l;
	int m;

	m = side_option(a, argc, argv, i);
	if (m <= 0)
		return m;
	if (!strcmp(argv[*i], "--quick")) {
		a->p.quick = 1;
		return 0;
	}
	if (!strcmp(argv[*i], "--aa")) {
		a->aa = 1;
		return 0;
	}
	if (!strcmp(argv[*i], "--overcommit")) {
		a->p.overcommit = 1;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--kernel", &v))) {
		if (m < 0)
			return m;
		if (a->nr_kernels == 2) {
			zb_err("--kernel: at most two (A, then B)");
			return -EINVAL;
		}
		return ab_kernel_spec(&a->p, a->nr_kernels++, v);
	}
	if ((m = cli_value(argc, argv, i, "--resolve", &v)))
		return m < 0 ? m : cli_double("--resolve", v, 0.5, 100, &a->resolve_pct);
	if ((m = cli_value(argc, argv, i, "--max-rounds", &v))) {
		if (m < 0 || cli_long("--max-rounds", v, 2, ZB_CMP_MAX_RECORDS, &l))
			return -EINVAL;
		a->max_rounds = (int)l;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--vm-cpus", &v))) {
		if (m < 0 || cli_long("--vm-cpus", v, 1, ZB_CPUS_MAX, &l))
			return -EINVAL;
		a->p.vm_cpus = v;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--rounds", &v))) {
		if (m < 0 || cli_long("--rounds", v, 1, ZB_CMP_MAX_RECORDS, &l))
			return -EINVAL;
		a->p.rounds = (int)l;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--filter", &a->p.filter)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--out", &a->p.dir)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--compare", &a->compare_dir)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--min-time", &v)))
		return m < 0 ? m : cli_double("--min-time", v, 0.001, 3600, &a->p.min_time);
	if ((m = cli_value(argc, argv, i, "--timeout", &v)))
		return m < 0 ? m : cli_double("--timeout", v, 1, 86400, &a->p.timeout_s);
	m = cmp_verdict_option(&a->o, argc, argv, i);
	if (m <= 0)
		return m;
	zb_err("unknown option '%s' (see zapbench ab --help)", argv[*i]);
	return -EINVAL;
}

static int kernel_sides(struct ab_args *a)
{
	int s;

	for (s = 0; s < 2; s++)
		if (a->p.side[s].bin != a->self) {
			zb_err("ab: --%c-bin does not apply to kernel sides (the guest runs this "
			       "checkout's zapbench)", 'a' + s);
			return -EINVAL;
		}
	/* a boot is dear: no more rounds than a verdict needs, by default */
	if (!a->p.rounds)
		a->p.rounds = AB_DEFAULT_ROUNDS;
	return ab_kernel_check(&a->p, a->nr_kernels, a->aa);
}

/*
 * The command line again, each argument quoted for a shell, separated by
 * 0x1f: the report's "To reproduce" wraps between them.
 */
static void remember_command(struct ab_args *a, int argc, char **argv)
{
	char q[1024];
	size_t at;
	int i;

	at = (size_t)snprintf(a->command, sizeof(a->command), "build/zapbench\x1f" "ab");
	for (i = 1; i < argc; i++) {
		cli_shell_quote(q, sizeof(q), argv[i]);
		/* whole arguments only: a command cut inside one would mean another */
		if (at + 1 + strlen(q) >= sizeof(a->command))
			break;
		at += (size_t)snprintf(a->command + at, sizeof(a->command) - at, "\x1f%s", q);
	}
}

static int parse(struct ab_args *a, int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", a->self, sizeof(a->self) - 1);
	int i;

	a->self[n > 0 ? n : 0] = '\0';
	a->p.nr_sides = 2;
	snprintf(a->p.side[0].label, sizeof(a->p.side[0].label), "a");
	snprintf(a->p.side[1].label, sizeof(a->p.side[1].label), "b");
	a->p.side[0].bin = a->p.side[1].bin = a->self;
	a->p.timeout_s = AB_DEFAULT_TIMEOUT;
	a->p.verbose = 1;
	cmp_opts_default(&a->o);
	remember_command(a, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			exit(ZB_EXIT_OK);
		}
		if (strncmp(argv[i], "--", 2)) {
			zb_err("unexpected argument '%s' (see zapbench ab --help)", argv[i]);
			return -EINVAL;
		}
		if (option(a, argc, argv, &i))
			return -EINVAL;
	}
	if (a->p.quick && !a->p.min_time)
		a->p.min_time = AB_QUICK_MIN_TIME;
	if (a->resolve_pct > 0 && a->p.rounds) {
		zb_err("ab: --rounds or --resolve, not both");
		return -EINVAL;
	}
	if (a->resolve_pct > 0) {
		a->p.rounds = AB_PILOT_ROUNDS;
		a->o.threshold_pct = a->resolve_pct;
	}
	if (!a->max_rounds)
		a->max_rounds = AB_MAX_ROUNDS;
	if (a->nr_kernels || a->aa)
		return kernel_sides(a);
	if (!a->p.rounds)
		a->p.rounds = a->p.quick ? AB_QUICK_ROUNDS : AB_DEFAULT_ROUNDS;
	for (i = 0; i < 2; i++)
		if (access(a->p.side[i].bin, X_OK)) {
			zb_err("--%c-bin %s: not an executable (%s)", 'a' + i, a->p.side[i].bin,
			       strerror(errno));
			return -EINVAL;
		}
	return 0;
}

/* DIR/plots/changes.png; a figure that cannot be drawn is said, not fatal. */
static int ab_plots(const struct cmp_args *c, const char *dir)
{
	struct zb_plot pl = { 0 };
	char out[1100], sub[600];
	int err;

	snprintf(out, sizeof(out), "%s/plots", dir);
	err = zb_mkdirs(out);
	if (err) {
		zb_err("ab: cannot create %s: %s", out, strerror(-err));
		return ZB_EXIT_USAGE;
	}
	pl.out_dir = out;
	pl.scripts_dir = zb_plot_scripts_default();
	pl.formats = ZB_PLOT_PNG;
	pl.quiet = 1;
	snprintf(sub, sizeof(sub), "new %s vs base %s, %d paired rounds",
		 cmp_ctx(c->np[0], "kernel"), cmp_ctx(c->bp[0], "kernel"), c->cmp.rounds_new);
	if (zb_plot_changes(&pl, &c->cmp, &c->o, "zapbench ab: the change at every gated point",
			    sub))
		fprintf(stderr, "zapbench ab: no plot: %s\n", pl.err);
	return 0;
}

static int report(struct ab_args *a, int done)
{
	char path[1100];
	struct cmp_args *c = ab_compare(&a->p, done, 0, 1, &a->o);
	int ret;

	if (!c)
		return ZB_EXIT_USAGE;
	compare_text(stdout, c);
	snprintf(path, sizeof(path), "%s/comparison.json", a->p.dir);
	ret = cmp_output(c, compare_text, "json", path);
	snprintf(path, sizeof(path), "%s/comparison.txt", a->p.dir);
	if (!ret)
		ret = cmp_output(c, compare_text, "text", path);
	c->reproduce = a->command;
	snprintf(path, sizeof(path), "%s/report.txt", a->p.dir);
	if (!ret)
		ret = cmp_output(c, report_text, "text", path);
	if (!ret)
		ret = ab_plots(c, a->p.dir);
	if (!ret)
		fprintf(stderr, "zapbench ab: wrote %s/comparison.{txt,json}, report.txt, plots/ "
			"and %d rounds\n", a->p.dir, done);
	if (!ret && c->cmp.counts[ZB_REGRESSED])
		ret = ZB_EXIT_FAIL;
	ab_compare_free(c);
	return ret;
}

/* --resolve: from the pilot's @done rounds, the rounds to run in all. */
static int resolve(struct ab_args *a, int done)
{
	struct cmp_args *c = ab_compare(&a->p, done, 0, 1, &a->o);
	char why[512];
	int want;

	if (!c)
		return -EINVAL;
	want = ab_resolve_rounds(&c->cmp, done, a->max_rounds, &a->o, why, sizeof(why));
	ab_compare_free(c);
	printf("zapbench ab: --resolve %g%%: %s: %d rounds in all\n", a->resolve_pct, why, want);
	fflush(stdout);
	a->p.start = done;
	a->p.rounds = want;
	return 0;
}

static void default_dir(struct ab_args *a)
{
	char stamp[32];

	cli_stamp(stamp, sizeof(stamp));
	snprintf(a->dir, sizeof(a->dir), "%s/ab-%s", cli_runs_dir(), stamp);
	a->p.dir = a->dir;
}

int cmd_ab(int argc, char **argv)
{
	struct ab_args *a = calloc(1, sizeof(*a));
	char err[512];
	int done = 0, ret;

	if (!a)
		return ZB_EXIT_FAIL;
	if (parse(a, argc, argv)) {
		free(a);
		return ZB_EXIT_USAGE;
	}
	if (a->compare_dir) {
		a->p.dir = a->compare_dir;
		done = ab_completed(&a->p);
		ret = done ? report(a, done) : ZB_EXIT_USAGE;
		if (!done)
			zb_err("%s: no completed round (round-01-a.json and -b.json)", a->p.dir);
		free(a);
		return ret;
	}
	if (!a->p.dir)
		default_dir(a);
	if (ab_kernel_sides(&a->p))
		printf("zapbench ab: A %s, B %s: %d %srounds of one boot a side, ABBA order, "
		       "into %s\n", a->p.side[0].kernel, a->p.side[1].kernel, a->p.rounds,
		       a->resolve_pct > 0 ? "pilot " : "", a->p.dir);
	else
		printf("zapbench ab: %d %srounds, ABBA order, into %s\n", a->p.rounds,
		       a->resolve_pct > 0 ? "pilot " : "", a->p.dir);
	fflush(stdout);
	ab_catch_signals();
	a->p.load = &a->load;
	ret = ab_run(&a->p, &done, err, sizeof(err));
	if (!ret && a->resolve_pct > 0 && !resolve(a, done) && a->p.rounds > done)
		ret = ab_run(&a->p, &done, err, sizeof(err));
	if (done)
		ab_load_print(stdout, &a->load);
	if (ret && ret != -EINTR) {
		zb_err("ab: %s; the %d completed rounds are kept in %s", err, done, a->p.dir);
		free(a);
		return ZB_EXIT_USAGE;
	}
	if (ret == -EINTR)
		fprintf(stderr, "zapbench ab: interrupted after %d completed rounds\n", done);
	ret = done ? report(a, done) : ZB_EXIT_USAGE;
	if (!done)
		zb_err("ab: no round completed");
	else if (ret <= ZB_EXIT_FAIL && done < a->p.rounds)
		ret = ZB_EXIT_SIGINT;
	free(a);
	return ret;
}
