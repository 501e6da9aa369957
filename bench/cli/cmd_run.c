// SPDX-License-Identifier: GPL-2.0
/* zapbench run: select points, check them, run them, write the record. */
#include <errno.h>
#include <regex.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "record/context.h"
#include "counters/counters.h"
#include "core/inject.h"
#include "core/params.h"
#include "record/record.h"
#include "registry.h"
#include "util.h"

#define MAX_OVERRIDES	16
#define MAX_TAG_LEN	200

struct run_args {
	const char *filter;
	const char *out;
	const char *cpu_list;
	struct zb_vm_opts vm;
	const char *events, *trace;
	int trace_set;
	struct zb_counters ctrs;
	enum zb_clock clock;
	int clock_set;
	int interleave;
	int progress;
	int per_rep;
	int step_fd;			/* zapbench ab: a go before every point */
	struct zb_override ov[MAX_OVERRIDES];
	int nr_ov;
	struct zb_options o;
};

struct planned {
	const struct zb_case *c;
	struct zb_point pt;
};

static void run_help(void)
{
	printf("usage: zapbench run [options] [--<param> v1,v2,...]\n\n"
	       "  --filter REGEX      run the points whose name matches (e.g. 'revoke/.*maps:1000')\n"
	       "  --quick             the default suite, small: <= 60 s on 2 CPUs\n"
	       "  --out FILE          JSON record (default datasets/runs/<date>-<host>.json)\n"
	       "  --tag TEXT          recorded as context.tag, e.g. the kernel commit under test\n"
	       "  --min-time S        seconds of sampling per point (default 0.5, quick 0.1)\n"
	       "  --repetitions N     independent repetitions of every point (default 1)\n"
	       "  --warmup N          ops run before sampling and discarded (default 3)\n"
	       "  --min-samples N     at least N samples per point (default 10)\n"
	       "  --max-samples N     at most N samples per worker (default 1000000)\n"
	       "  --keep-samples N    raw samples stored per record (default 2000)\n"
	       "  --clock tsc|monotonic  the timed region's clock (default tsc if invariant)\n"
	       "  --cpu-list L        CPUs workers may use, in order (default: all allowed,\n"
	       "                      one per core before SMT siblings)\n"
	       "  --point-timeout S   a point that takes longer (setup to teardown) is killed,\n"
	       "                      workers and all, and fails; the run goes on (default %d)\n"
	       "  --interleave        with --repetitions: run every point's 1st repetition, then\n"
	       "                      every point's 2nd, ... so drift spreads over all points\n"
	       "  --inject-slowdown PCT  after every op, busy-wait PCT %% of the time it took,\n"
	       "                      inside the timed region (tests compare; recorded)\n"
	       "  --events E,...      perf events counted around every op, libpfm4 names\n"
	       "                      (default none: enabled events slow the op; 'default':\n"
	       "                      " ZB_DEFAULT_EVENTS ")\n"
	       "  --trace SYS:EV,...  tracepoints counted per op, on every CPU when allowed\n"
	       "                      (default none: they slow the op; 'default':\n"
	       "                      " ZB_DEFAULT_TRACE ")\n"
	       "  --per-repetition    the table shows every repetition, not one row per point\n"
	       "  --no-progress       no progress line on stderr\n"
	       "  --step-fd N         for zapbench ab: before every point, write 'R' to fd N and\n"
	       "                      wait for a byte back, so sides alternate point by point\n"
	       "  --vm                run in a QEMU guest with zaptest.ko (scripts/vm; KERNEL=,\n"
	       "                      KDIR= pick the kernel); without --filter: the kmod_* and\n"
	       "                      devmem_* cases\n"
	       "  --vm-cpus N         the guest's CPUs (default: the host's; more only with\n"
	       "                      --overcommit, recorded: such numbers measure overcommit)\n"
	       "  --vm-timeout S      kill the guest after S seconds (scripts/vm -t, default 600)\n"
	       "  --vm-append ARGS    guest kernel command line, after $ZB_VM_APPEND (PREEMPT_RT\n"
	       "                      kernels get noirqdebug by themselves)\n"
	       "  --overcommit        allow --vm-cpus beyond the host's CPUs\n\n"
	       "Parameters (--maps, --cpus, --mode, --populate, ...) are listed by `zapbench list`;\n"
	       "'nproc' in --cpus means every usable CPU.  ^C stops after writing the points\n"
	       "completed so far (exit 130).  Exit 2 on bad usage, 1 if a point failed.\n",
	       ZB_POINT_TIMEOUT_S);
}

static const struct zb_param *find_param(const char *name)
{
	const struct zb_case *const *c;
	const struct zb_param *p;

	for (c = zb_all_cases(); *c; c++)
		for (p = (*c)->params; p && p->name; p++)
			if (!strcmp(p->name, name))
				return p;
	return NULL;
}

static int add_override(struct run_args *a, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	char name[64];
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *val;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, arg, n);
	name[n] = '\0';
	if (!find_param(name)) {
		zb_err("unknown option '%s' (see zapbench run --help and zapbench list)",
		       argv[*i]);
		return -EINVAL;
	}
	if (a->nr_ov == MAX_OVERRIDES) {
		zb_err("too many parameter options");
		return -E2BIG;
	}
	val = eq ? eq + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
	if (!val) {
		zb_err("--%s needs a value", name);
		return -EINVAL;
	}
	a->ov[a->nr_ov].name = find_param(name)->name;
	a->ov[a->nr_ov++].list = val;
	return 0;
}

/* The numeric options: 0 done, 1 not one of them, < 0 error (said). */
static int parse_numbers(struct run_args *a, int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		long min, max;
		size_t off;
	} longs[] = {
		{ "--min-samples", 1, 100000000, offsetof(struct zb_options, min_samples) },
		{ "--max-samples", 1, 100000000, offsetof(struct zb_options, max_samples) },
		{ "--keep-samples", 0, 100000000, offsetof(struct zb_options, keep_samples) },
	};
	const char *v;
	size_t k;
	long l;
	int m;

	if ((m = cli_value(argc, argv, i, "--min-time", &v)))
		return m < 0 ? m : cli_double("--min-time", v, 0.001, 3600, &a->o.min_time);
	if ((m = cli_value(argc, argv, i, "--point-timeout", &v)))
		return m < 0 ? m : cli_double("--point-timeout", v, 0.1, 86400,
					      &a->o.point_timeout);
	if ((m = cli_value(argc, argv, i, "--inject-slowdown", &v)))
		return m < 0 ? m : cli_double("--inject-slowdown", v, 0.1, 1000,
					      &a->o.inject_pct);
	if ((m = cli_value(argc, argv, i, "--repetitions", &v))) {
		if (m < 0 || cli_long("--repetitions", v, 1, 1000, &l))
			return -EINVAL;
		a->o.repetitions = (int)l;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--warmup", &v))) {
		if (m < 0 || cli_long("--warmup", v, 0, 1000000, &l))
			return -EINVAL;
		a->o.warmup = (int)l;
		return 0;
	}
	for (k = 0; k < sizeof(longs) / sizeof(longs[0]); k++) {
		m = cli_value(argc, argv, i, longs[k].name, &v);
		if (m)
			return m < 0 ? m : cli_long(longs[k].name, v, longs[k].min, longs[k].max,
						    (long *)((char *)&a->o + longs[k].off));
	}
	return 1;
}

/* A tag is one short line of text: tables, mails and dashboards show it as is. */
static int check_tag(const char *tag)
{
	const unsigned char *p;

	if (strlen(tag) > MAX_TAG_LEN) {
		zb_err("--tag: %zu bytes, at most %d", strlen(tag), MAX_TAG_LEN);
		return -EINVAL;
	}
	for (p = (const unsigned char *)tag; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			zb_err("--tag: control character 0x%02x at byte %td (one line of text)",
			       *p, (const char *)p - tag);
			return -EINVAL;
		}
	}
	return 0;
}

/* The string options: 0 done, 1 not one of them, < 0 error (said). */
static int parse_strings(struct run_args *a, int argc, char **argv, int *i)
{
	const char *v;
	int m;

	if ((m = cli_value(argc, argv, i, "--filter", &a->filter)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--out", &a->out)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--step-fd", &v))) {
		long fd;

		if (m < 0 || cli_long("--step-fd", v, 3, 1023, &fd))
			return -EINVAL;
		a->step_fd = (int)fd;
		return 0;
	}
	if ((m = cli_value(argc, argv, i, "--tag", &a->o.tag)))
		return m < 0 ? m : check_tag(a->o.tag);
	if ((m = cli_value(argc, argv, i, "--cpu-list", &a->cpu_list)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--events", &a->events)))
		return m < 0 ? m : 0;
	if ((m = cli_value(argc, argv, i, "--trace", &a->trace))) {
		a->trace_set = 1;
		return m < 0 ? m : 0;
	}
	if ((m = cli_value(argc, argv, i, "--clock", &v))) {
		if (m < 0)
			return m;
		a->clock_set = 1;
		if (zb_clock_parse(v, &a->clock)) {
			zb_err("--clock: '%s' is not tsc or monotonic", v);
			return -EINVAL;
		}
		return 0;
	}
	return 1;
}

static int parse_args(struct run_args *a, int argc, char **argv)
{
	int i, err;

	a->o.min_time = -1;
	a->o.repetitions = 1;
	a->o.warmup = 3;
	a->o.min_samples = 10;
	a->o.max_samples = 1000000;
	a->o.keep_samples = 2000;
	a->clock = ZB_CLOCK_TSC;
	a->progress = isatty(2);
	a->step_fd = -1;
	/*
	 * Counters and tracepoints only when asked for: enabled events slow
	 * the op they count (a shared fault 1.45 -> 1.75 us with the default
	 * software set), a tracepoint on the op's path adds its handler, and
	 * the per-CPU ioctls cost an IPI to every CPU per sample.
	 */
	a->events = "none";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_help();
			exit(ZB_EXIT_OK);
		}
		if (!strcmp(argv[i], "--quick")) {
			a->o.quick = 1;
			continue;
		}
		if (!strcmp(argv[i], "--interleave")) {
			a->interleave = 1;
			continue;
		}
		if (!strcmp(argv[i], "--per-repetition")) {
			a->per_rep = 1;
			continue;
		}
		if (!strcmp(argv[i], "--no-progress")) {
			a->progress = 0;
			continue;
		}
		err = zb_vm_parse(&a->vm, argc, argv, &i);
		if (err == 1)
			err = parse_strings(a, argc, argv, &i);
		if (err == 1)
			err = parse_numbers(a, argc, argv, &i);
		if (err < 0)
			return err;
		if (err == 0)
			continue;
		if (strncmp(argv[i], "--", 2) || !argv[i][2]) {
			zb_err("unexpected argument '%s' (see zapbench run --help)", argv[i]);
			return -EINVAL;
		}
		if (add_override(a, argc, argv, &i))
			return -EINVAL;
	}
	if (a->o.min_time < 0)
		a->o.min_time = a->o.quick ? 0.1 : 0.5;
	if (a->o.min_samples > a->o.max_samples) {
		zb_err("--min-samples %ld exceeds --max-samples %ld",
		       a->o.min_samples, a->o.max_samples);
		return -EINVAL;
	}
	return 0;
}

static int parse_cpu_list(const char *s, struct zb_cpus *cpus)
{
	int list[1024], n = 0, bad;
	char *end;

	while (*s) {
		long v = strtol(s, &end, 10);

		if (end == s || v < 0 || v > 100000 || (*end && *end != ',') || n == 1024) {
			zb_err("--cpu-list: bad list '%s' (e.g. 0,2,4)", s);
			return -EINVAL;
		}
		list[n++] = (int)v;
		s = *end ? end + 1 : end;
	}
	if (!n || zb_cpus_select(cpus, list, n, &bad)) {
		zb_err("--cpu-list: CPU %d is not online or not allowed for this process "
		       "(see /sys/devices/system/cpu/online)", n ? bad : -1);
		return -ENODEV;
	}
	return 0;
}

/* An explicit --cpus beyond the machine is an error, not a silent skip. */
static int check_cpus_override(const struct run_args *a)
{
	int i;

	for (i = 0; i < a->nr_ov; i++) {
		const char *s = a->ov[i].list;

		if (strcmp(a->ov[i].name, "cpus"))
			continue;
		while (s && *s) {
			long v = strtol(s, NULL, 10);

			if (strncmp(s, "nproc", 5) && v > a->o.cpus.n) {
				zb_err("--cpus %ld: only %d CPUs are online and allowed here "
				       "(use --cpus 1..%d or nproc)", v, a->o.cpus.n, a->o.cpus.n);
				return -ENODEV;
			}
			s = strchr(s, ',');
			s = s ? s + 1 : NULL;
		}
	}
	return 0;
}

static int case_takes(const struct zb_case *c, const char *name)
{
	const struct zb_param *p;

	for (p = c->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return 1;
	return 0;
}

/*
 * Cases share parameter names but not always their values (--variant
 * reorder exists for the stress cases only).  A case that rejects an
 * override is left out (1); an override no case accepts is an error
 * (check_overrides); any other error is returned as is.
 */
static int sweep_or_leave_out(struct run_args *a, const struct zb_case *c,
			      struct zb_sweep *s, int *accepted, char *why, size_t len)
{
	int i, err = zb_sweep_init(s, c, a->ov, a->nr_ov, a->o.quick, why, len), took = 0;

	for (i = 0; i < a->nr_ov; i++) {
		if (!case_takes(c, a->ov[i].name))
			continue;
		accepted[i] |= err ? 2 : 1;
		took = 1;
	}
	return err && took ? 1 : err;
}

static int check_overrides(struct run_args *a, const int *accepted, const char *why)
{
	int i;

	for (i = 0; i < a->nr_ov; i++)
		if (accepted[i] == 2) {
			zb_err("%s", why);
			return -EINVAL;
		}
	return 0;
}

static int plan(struct run_args *a, struct planned **out, int *nr)
{
	int accepted[MAX_OVERRIDES] = { 0 };
	char first_why[256] = "";
	const struct zb_case *const *c;
	struct planned *p = NULL;
	int n = 0, err = 0;
	regex_t re;
	char why[256], name[256];

	if (a->filter && regcomp(&re, a->filter, REG_EXTENDED | REG_NOSUB)) {
		zb_err("--filter: '%s' is not a valid extended regular expression", a->filter);
		return -EINVAL;
	}
	for (c = zb_all_cases(); *c && !err; c++) {
		struct zb_sweep s;
		long i, count;

		err = sweep_or_leave_out(a, *c, &s, accepted, why, sizeof(why));
		if (err == 1) {
			if (!first_why[0])
				snprintf(first_why, sizeof(first_why), "%s", why);
			err = 0;
			continue;
		}
		if (err) {
			zb_err("%s", why);
			break;
		}
		count = zb_sweep_count(&s);
		for (i = 0; i < count && !err; i++) {
			struct zb_point pt;

			zb_sweep_point(&s, i, &pt);
			zb_point_name(*c, &pt, name, sizeof(name));
			if (a->filter && regexec(&re, name, 0, NULL, 0))
				continue;
			if ((*c)->check && (*c)->check(&pt, why, sizeof(why))) {
				zb_err("%s: %s", name, why);
				err = -EINVAL;
				break;
			}
			p = realloc(p, (size_t)(n + 1) * sizeof(*p));
			if (!p) {
				err = -ENOMEM;
				break;
			}
			p[n].c = *c;
			p[n++].pt = pt;
		}
	}
	if (a->filter)
		regfree(&re);
	if (!err)
		err = check_overrides(a, accepted, first_why);
	if (!err && !n && first_why[0]) {
		zb_err("%s", first_why);
		err = -EINVAL;
	}
	if (!err && !n) {
		zb_err("no case matches --filter '%s' (zapbench list shows the cases)",
		       a->filter ? a->filter : "");
		err = -ENOENT;
	}
	if (err) {
		free(p);
		return err;
	}
	*out = p;
	*nr = n;
	return 0;
}

/* A name the user gave that cannot be resolved is bad usage. */
static int plan_counters(struct run_args *a)
{
	char why[256];
	int err;

	err = zb_counters_plan(&a->ctrs, a->events, a->trace, a->trace_set, why, sizeof(why));
	if (err) {
		zb_err("%s", why);
		return err;
	}
	a->o.counters = &a->ctrs;
	return 0;
}

static int open_out(struct run_args *a, struct zb_atomic *at, const struct zb_context *ctx)
{
	char path[1024], dir[1024];
	int err;

	if (!a->out) {
		cli_default_out(path, sizeof(path), ctx->host, "");
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
		err = zb_mkdirs(dir);
		if (err) {
			zb_err("cannot create %s: %s (use --out FILE)", dir, strerror(-err));
			return err;
		}
		a->out = strdup(path);
	}
	err = zb_atomic_open(at, a->out);
	if (err)
		zb_err("cannot write --out %s: %s", a->out, strerror(-err));
	return err;
}

static void on_sigint(int sig)
{
	(void)sig;
	zb_runner_interrupt();
}

static void progress(const struct run_args *a, int i, int n, const char *name,
		     double elapsed)
{
	if (!a->progress)
		return;
	if (i < 0) {
		fprintf(stderr, "\r\033[K");
		return;
	}
	fprintf(stderr, "\r\033[K[%d/%d] %.60s  %.0fs elapsed", i + 1, n, name, elapsed);
	if (i)
		fprintf(stderr, ", ~%.0fs left", elapsed / i * (n - i));
	fflush(stderr);
}

/*
 * --step-fd: say "ready" and wait for the go.  An fd that closes (ab went
 * away) or a signal ends the run as ^C would: the points done are kept.
 */
static int step_wait(int fd)
{
	char c = 'R';

	if (write(fd, &c, 1) != 1)
		return -1;
	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n == 1)
			return 0;
		if (n < 0 && errno == EINTR && !zb_runner_interrupted())
			continue;
		return -1;
	}
}

/*
 * Point by point, or with --interleave repetition by repetition (every
 * point's first, then every point's second, ...), so that slow drift of
 * the machine spreads over all points instead of landing on some.  The
 * record keeps point order either way.
 */
static int execute(struct run_args *a, struct planned *p, int n, struct zb_results *rs)
{
	int reps = a->o.repetitions, total = n * reps, k, i, rep, err = 0;
	struct zb_result *slot = calloc((size_t)total, sizeof(*slot));
	char *done = calloc((size_t)total, 1), *skip = calloc((size_t)n, 1);
	uint64_t t0 = zb_mono_ns();
	struct sigaction sa;

	if (!slot || !done || !skip) {
		err = -ENOMEM;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (k = 0; k < total && !zb_runner_interrupted() && !err; k++) {
		char name[256];

		i = a->interleave ? k % n : k / reps;
		rep = a->interleave ? k / n : k % reps;
		/* A point that cannot run here will not on the next try. */
		if (skip[i])
			continue;
		zb_point_name(p[i].c, &p[i].pt, name, sizeof(name));
		progress(a, k, total, name, (double)(zb_mono_ns() - t0) / 1e9);
		if (a->step_fd >= 0 && step_wait(a->step_fd)) {
			zb_runner_interrupt();
			break;
		}
		err = zb_run_point(p[i].c, &p[i].pt, rep, &a->o, &slot[i * reps + rep]);
		if (err || slot[i * reps + rep].status == ZB_INTERRUPTED)
			break;
		done[i * reps + rep] = 1;
		skip[i] = slot[i * reps + rep].status == ZB_SKIPPED;
	}
	progress(a, -1, total, NULL, 0);
	for (k = 0; k < total; k++) {
		if (done[k] && !err)
			err = zb_results_add(rs, &slot[k]);
		else
			zb_result_free(&slot[k]);
	}
	rs->interrupted = zb_runner_interrupted();
out:
	free(slot);
	free(done);
	free(skip);
	return err;
}

static int write_record(struct run_args *a, struct zb_atomic *at, struct zb_results *rs,
			const struct zb_context *ctx, int argc, char **argv)
{
	struct zb_json j;
	int err;

	zb_json_init(&j);
	zb_record_json(&j, rs, ctx, &a->o, argc, argv);
	err = j.err;
	if (!err)
		err = zb_atomic_commit(at, j.buf, j.len);
	else
		zb_atomic_abort(at);
	zb_json_free(&j);
	if (err)
		zb_err("cannot write %s: %s", a->out, strerror(-err));
	return err;
}

static int failures(const struct zb_results *rs)
{
	int i, n = 0;

	for (i = 0; i < rs->n; i++)
		n += rs->r[i].status == ZB_FAILED;
	return n;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct zb_context ctx;
	struct zb_results rs = { 0 };
	struct zb_atomic at;
	struct planned *p;
	int n, err;

	memset(&a, 0, sizeof(a));
	if (parse_args(&a, argc, argv))
		return ZB_EXIT_USAGE;
	if (zb_vm_check(&a.vm))
		return ZB_EXIT_USAGE;
	if (zb_cpus_load(&a.o.cpus)) {
		zb_err("cannot read this process's CPU affinity");
		return ZB_EXIT_USAGE;
	}
	if (a.cpu_list && parse_cpu_list(a.cpu_list, &a.o.cpus))
		return ZB_EXIT_USAGE;
	zb_nproc = a.o.cpus.n;
	if (check_cpus_override(&a) || plan(&a, &p, &n))
		return ZB_EXIT_USAGE;
	if (a.vm.vm) {
		free(p);
		return zb_run_vm(argc, argv, &a.vm, a.out, a.filter);
	}
	if (plan_counters(&a)) {
		free(p);
		return ZB_EXIT_USAGE;
	}
	/* The TSC unless it is not invariant; then say so only if asked for. */
	if (zb_timer_init(&a.o.timer, a.clock)) {
		if (a.clock_set) {
			zb_err("--clock tsc: this CPU has no invariant TSC (use --clock monotonic)");
			return ZB_EXIT_USAGE;
		}
		zb_timer_init(&a.o.timer, ZB_CLOCK_MONOTONIC);
	}
	zb_inject_init(&a.o.inject, &a.o.timer, a.o.inject_pct);
	zb_context_read(&ctx);
	if (open_out(&a, &at, &ctx))
		return ZB_EXIT_USAGE;
	err = execute(&a, p, n, &rs);
	free(p);
	if (err) {
		zb_atomic_abort(&at);
		zb_err("run aborted: %s", strerror(-err));
		return ZB_EXIT_FAIL;
	}
	zb_results_fit(&rs);
	zb_table_print(stdout, &rs, &ctx, &a.o, a.per_rep);
	fflush(stdout);
	err = write_record(&a, &at, &rs, &ctx, argc, argv);
	if (!err)
		fprintf(stderr, "zapbench: wrote %s\n", a.out);
	n = failures(&rs);
	zb_results_free(&rs);
	if (err)
		return ZB_EXIT_FAIL;
	if (zb_runner_interrupted())
		return ZB_EXIT_SIGINT;
	return n ? ZB_EXIT_FAIL : ZB_EXIT_OK;
}
