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
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "cli/ab_cmp.h"
#include "cli/ab_kernel.h"
#include "cli/ab_run.h"
#include "cli/cli.h"
#include "cli/cmp_args.h"
#include "cli/cmp_table.h"
#include "cli/opts.h"
#include "outpath.h"
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
	"round (see zapbench compare --help for the verdicts).\n\n";

static const char tail[] =
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
	int lock_fd;			/* the output directory held (its .lock) */
};

static int add_env(void *ctx, const struct cli_opt *o, const char *kv)
{
	struct ab_side *s = ctx;

	if (!strchr(kv, '=') || kv[0] == '=') {
		zb_err("%s: '%s' is not K=V", o->name, kv);
		return -EINVAL;
	}
	if (s->nr_env == AB_MAX_ENV) {
		zb_err("%s: more than %d", o->name, AB_MAX_ENV);
		return -E2BIG;
	}
	s->env[s->nr_env++] = kv;
	return 0;
}

static int add_args(void *ctx, const struct cli_opt *o, const char *v)
{
	char why[256];

	if (ab_side_args(ctx, v, why, sizeof(why))) {
		zb_err("%s: %s", o->name, why);
		return -EINVAL;
	}
	return 0;
}

static int add_kernel(void *ctx, const struct cli_opt *o, const char *v)
{
	struct ab_args *a = ctx;

	if (a->nr_kernels == 2) {
		zb_err("%s: at most two (A, then B)", o->name);
		return -EINVAL;
	}
	return ab_kernel_spec(&a->p, a->nr_kernels++, v);
}

/* --a-bin, --a-args, --a-env and B's */
#define AB_SIDE_OPTS(s, x)								\
	CLI_STR("--" x "-bin", 0, "PATH", &(s)->bin, "side " x "'s zapbench (two builds); "	\
		"default this one"),							\
	CLI_FN("--" x "-args", 0, "ARGS", add_args, s, "extra run options, e.g. --b-args "	\
	       "'--inject-slowdown 10'"),						\
	CLI_FN("--" x "-env", 0, "K=V", add_env, s, "its environment, once for each")

static int options(struct ab_args *a, int argc, char **argv)
{
	const struct cli_opt opts[] = {
		AB_SIDE_OPTS(&a->p.side[0], "a"),
		AB_SIDE_OPTS(&a->p.side[1], "b"),
		CLI_INT("--rounds", 'r', "N", &a->p.rounds, 1, ZB_CMP_MAX_RECORDS, "rounds "
			"(default 14)"),
		CLI_FLAG("--quick", 'q', &a->p.quick, "24 rounds of the quick suite at min-time "
			 "0.02 s, at least 5\nsamples, 1 warmup op a point"),
		CLI_STR("--filter", 'f', "RE", &a->p.filter, "the points (as run --filter)"),
		CLI_DOUBLE("--min-time", 0, "S", &a->p.min_time, 0.001, 3600, "sampling per "
			   "point and round (as run --min-time)"),
		CMP_VERDICT_OPTS(&a->o),
		CLI_DOUBLE("--timeout", 0, "S", &a->p.timeout_s, 1, 86400, "a side that takes "
			   "longer for one point (kernels: one boot)\nis killed: exit 2 "
			   "(default 900)"),
		CLI_STR("--out", 'o', "DIR", &a->p.dir, "each round's records and the comparison "
			"(default\ndatasets/runs/ab-<UTC time>/)"),
		CLI_STR("--compare", 0, "DIR", &a->compare_dir, "compare the completed rounds of "
			"an earlier (interrupted) ab"),
		CLI_TEXT("\nKernels: --kernel A --kernel B boots each in the scripts/vm guest once a "
			 "round\n(the turns are whole boots, A B | B A | ...), running the module's "
			 "cases and the\nuserspace revoke/fault/open cases there.  KDIR: its build "
			 "tree, for the module\n(default: Debian's headers of its version)."),
		CLI_FN("--kernel", 'k', "IMAGE[:KDIR]", add_kernel, a, "side A's kernel, then "
		       "side B's"),
		CLI_FLAG("--aa", 0, &a->aa, "one kernel booted against itself"),
		CLI_DOUBLE("--resolve", 0, "PCT", &a->resolve_pct, 0.5, 100, "a pilot of 4 rounds, "
			   "then the rounds it says resolve +-PCT\nat 90 % of the points (at most "
			   "--max-rounds, 30); T becomes PCT"),
		CLI_INT("--max-rounds", 0, "N", &a->max_rounds, 2, ZB_CMP_MAX_RECORDS, "with "
			"--resolve: at most N rounds"),
		{ .name = "--vm-cpus", .type = CLI_T_FN, .arg = "N", .to.fn = cli_number_text,
		  .ctx = &a->p.vm_cpus, .lmin = 1, .lmax = 64, .help = "the guest's CPUs" },
		CLI_FLAG("--overcommit", 0, &a->p.overcommit, "allow --vm-cpus beyond the host's"),
		CLI_END
	};
	struct cli_cmd cmd = { .prog = "zapbench ab", .usage = usage, .opts = opts,
			       .tail = tail };

	return cli_parse(&cmd, argc, argv);
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
	ab_plan_defaults(&a->p);
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
	cmp_opts_default(&a->o);
	remember_command(a, argc, argv);
	i = options(a, argc, argv);
	if (i)
		return i;
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
	ab_plan_defaults(&a->p);
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

/*
 * The output directory, checked and held before any work (--compare's
 * must exist already: it holds the rounds): 0 or an exit status.
 */
static int hold_dir(struct ab_args *a, const char *opt, int must_exist)
{
	struct stat st;

	if (must_exist && stat(a->p.dir, &st)) {
		zb_err("%s: %s: %s", opt, a->p.dir, strerror(errno));
		return ZB_EXIT_USAGE;
	}
	if (cli_out(opt, a->p.dir, CLI_OUT_DIR | CLI_OUT_LOCK, &a->lock_fd))
		return ZB_EXIT_USAGE;
	return 0;
}

/* cmd_ab() frees @a and what it holds, whichever way this returns. */
static int ab(struct ab_args *a, int argc, char **argv)
{
	char err[512];
	int done = 0, ret;

	ret = parse(a, argc, argv);
	if (ret)
		return cli_exit(ret);
	if (a->compare_dir) {
		a->p.dir = a->compare_dir;
		if (hold_dir(a, "--compare", 1))
			return ZB_EXIT_USAGE;
		done = ab_completed(&a->p);
		ret = done ? report(a, done) : ZB_EXIT_USAGE;
		if (!done)
			zb_err("%s: no completed round (round-01-a.json and -b.json)", a->p.dir);
		return ret;
	}
	if (!a->p.dir)
		default_dir(a);
	if (hold_dir(a, "--out", 0))
		return ZB_EXIT_USAGE;
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
		return ZB_EXIT_USAGE;
	}
	if (ret == -EINTR)
		fprintf(stderr, "zapbench ab: interrupted after %d completed rounds\n", done);
	if (!done) {
		zb_err("ab: no round completed");
		/* a ^C before the first round ended is still a ^C: 130, as run's */
		return ret == -EINTR ? ZB_EXIT_SIGINT : ZB_EXIT_USAGE;
	}
	ret = report(a, done);
	if (ret <= ZB_EXIT_FAIL && done < a->p.rounds)
		ret = ZB_EXIT_SIGINT;
	return ret;
}

int cmd_ab(int argc, char **argv)
{
	struct ab_args *a = calloc(1, sizeof(*a));
	int ret;

	if (!a)
		return ZB_EXIT_FAIL;
	a->lock_fd = -1;
	ret = ab(a, argc, argv);
	zb_outdir_unlock(a->p.dir, a->lock_fd);
	ab_sides_free(&a->p);
	free(a);
	return ret;
}
