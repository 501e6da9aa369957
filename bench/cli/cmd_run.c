// SPDX-License-Identifier: GPL-2.0
/* zapbench run: select points, check them, run them, write the record. */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/inject.h"
#include "core/params.h"
#include "core/perf.h"
#include "core/tput.h"
#include "counters/counters.h"
#include "record/context.h"
#include "record/record.h"
#include "outpath.h"
#include "registry.h"
#include "util.h"

#define MAX_OVERRIDES	16
#define MAX_TAG_LEN	200
/* distinct parameter names over all cases */
#define MAX_PARAM_OPTS	64

struct run_args {
	const char *filter;
	const char *out;
	char *out_alloc;	/* out when zapbench named it */
	int lock_fd;		/* --out FILE held against a second writer */
	int cpu_list[1024], nr_cpu_list;
	struct zb_vm_opts vm;
	const char *events, *trace;
	int trace_set;
	struct zb_counters ctrs;
	enum zb_clock clock;
	int clock_set;
	double min_time;		/* --min-time; 0: the suite's default */
	int tput_intervals;		/* --tput-intervals; -1: the suite's default */
	int interleave;
	int progress;
	int per_rep;
	int perf_record;		/* --perf-record */
	char perf_dir[4096], perf_rel[1024];
	int step_fd;			/* zapbench ab: a go before every point */
	struct zb_override ov[MAX_OVERRIDES];
	int nr_ov;
	struct zb_options o;
	/* the options of the cases' parameters, "--maps", ... */
	char param_opt[MAX_PARAM_OPTS][40];
	/* the options for the guest's run (--vm): all but run --vm's own */
	char **pass;
	int nr_pass;
};

struct planned {
	const struct zb_case *c;
	struct zb_point pt;
};

static const char usage[] = "usage: zapbench run [options] [--<param> v1,v2,...]\n\n";

static const char tail[] =
	"Parameters (--maps, --cpus, --mode, --populate, ...) are listed by `zapbench list`;\n"
	"'nproc' in --cpus means every usable CPU.  ^C stops after writing the points\n"
	"completed so far (exit 130).  Exit 2 on bad usage, 1 if a point failed.\n";

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

/* --<param> LIST: given again, the later list replaces the earlier. */
static int add_override(void *ctx, const struct cli_opt *o, const char *val)
{
	struct run_args *a = ctx;
	const struct zb_param *p = find_param(o->name + 2);
	int i;

	for (i = 0; i < a->nr_ov && strcmp(a->ov[i].name, p->name); i++)
		;
	if (i == MAX_OVERRIDES) {
		zb_err("too many parameter options");
		return -E2BIG;
	}
	a->ov[i].name = p->name;
	a->ov[i].list = val;
	a->nr_ov += i == a->nr_ov;
	return 0;
}

/* A tag is one short line of text: tables, mails and dashboards show it as is. */
static int check_tag(void *ctx, const struct cli_opt *o, const char *tag)
{
	const unsigned char *p;

	if (strlen(tag) > MAX_TAG_LEN) {
		zb_err("%s: %zu bytes, at most %d", o->name, strlen(tag), MAX_TAG_LEN);
		return -EINVAL;
	}
	for (p = (const unsigned char *)tag; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			zb_err("%s: control character 0x%02x at byte %td (one line of text)",
			       o->name, *p, (const char *)p - tag);
			return -EINVAL;
		}
	}
	*(const char **)ctx = tag;
	return 0;
}

static int set_trace(void *ctx, const struct cli_opt *o, const char *val)
{
	struct run_args *a = ctx;

	(void)o;
	a->trace = val;
	a->trace_set = 1;
	return 0;
}

static int set_clock(void *ctx, const struct cli_opt *o, const char *val)
{
	struct run_args *a = ctx;

	a->clock_set = 1;
	if (zb_clock_parse(val, &a->clock)) {
		zb_err("%s: '%s' is not tsc or monotonic", o->name, val);
		return -EINVAL;
	}
	return 0;
}

/* The syntax now; whether the CPUs are there once they are known. */
static int set_cpu_list(void *ctx, const struct cli_opt *o, const char *val)
{
	struct run_args *a = ctx;
	char why[128];
	int n = zb_cpulist_parse(val, a->cpu_list, (int)ZB_ARRAY_SIZE(a->cpu_list), why,
				 sizeof(why));

	if (n < 0) {
		zb_err("%s: %s", o->name, why);
		return n;
	}
	a->nr_cpu_list = n;
	return 0;
}

/* @fixed, then an option for every parameter a case declares. */
static struct cli_opt *run_opts(struct run_args *a, const struct cli_opt *fixed, size_t nr)
{
	const struct zb_case *const *c;
	const struct zb_param *p;
	struct cli_opt *opts = calloc(nr + MAX_PARAM_OPTS + 1, sizeof(*opts));
	size_t n = nr, k;

	if (!opts)
		return NULL;
	memcpy(opts, fixed, nr * sizeof(*opts));
	for (c = zb_all_cases(); *c; c++) {
		for (p = (*c)->params; p && p->name; p++) {
			char *name = a->param_opt[n - nr];

			if (n - nr == MAX_PARAM_OPTS)
				break;
			snprintf(name, sizeof(a->param_opt[0]), "--%s", p->name);
			for (k = 0; k < n && strcmp(opts[k].name ? opts[k].name : "", name); k++)
				;
			if (k < n)
				continue;
			opts[n++] = (struct cli_opt)CLI_FN(name, 0, "V,...", add_override, a, NULL);
		}
	}
	return opts;
}

static int parse_args(struct run_args *a, int argc, char **argv)
{
	const struct cli_opt fixed[] = {
		CLI_STR("--filter", 'f', "REGEX", &a->filter, "run the points whose name matches "
			"(e.g. 'revoke/.*maps:1000')"),
		CLI_FLAG("--quick", 'q', &a->o.quick, "the default suite, small: <= 60 s on 2 CPUs"),
		{ .name = "--out", .key = 'o', .type = CLI_T_STR, .arg = "FILE", .to.str = &a->out,
		  .flags = CLI_OWN, .help = "JSON record (default datasets/runs/<date>-<host>.json;\n"
		  "a run of the same second gets <host>_2.json, never replaces it)" },
		CLI_FN("--tag", 0, "TEXT", check_tag, &a->o.tag, "recorded as context.tag, e.g. "
		       "the kernel commit under test"),
		CLI_DOUBLE("--min-time", 0, "S", &a->min_time, 0.001, 3600, "seconds of sampling "
			   "per point (default 0.5, quick 0.1)"),
		CLI_INT("--tput-intervals", 0, "N", &a->tput_intervals, 0, ZB_TPUT_MAX_INTERVALS,
			"will-it-scale throughput intervals after the samples\n(default 5, quick 3; "
			"0: none); one more warms up"),
		CLI_DOUBLE("--tput-interval", 0, "S", &a->o.tput_interval_s, 0.001, 60, "each "
			   "interval's wall time (default 0.1)"),
		CLI_INT("--repetitions", 'r', "N", &a->o.repetitions, 1, 1000, "independent "
			"repetitions of every point (default 1)"),
		CLI_INT("--warmup", 0, "N", &a->o.warmup, 0, 1000000, "ops run before sampling and "
			"discarded (default 3)"),
		CLI_LONG("--min-samples", 0, "N", &a->o.min_samples, 1, 100000000, "at least N "
			 "samples per point (default 10)"),
		CLI_LONG("--max-samples", 0, "N", &a->o.max_samples, 1, 100000000, "at most N "
			 "samples per worker (default 1000000)"),
		CLI_LONG("--keep-samples", 0, "N", &a->o.keep_samples, 0, 100000000, "raw samples "
			 "stored per record (default 2000)"),
		CLI_FN("--clock", 0, "tsc|monotonic", set_clock, a, "the timed region's clock "
		       "(default tsc if invariant)"),
		CLI_FN("--cpu-list", 0, "LIST", set_cpu_list, a, "CPUs workers may use, in order, "
		       "e.g. 0-3,8-11 (default: all\nallowed, one per core before SMT siblings)"),
		CLI_DOUBLE("--point-timeout", 0, "S", &a->o.point_timeout, 0.1, 86400, "a point "
			   "that takes longer (setup to teardown) is killed,\nworkers and all, "
			   "and fails; the run goes on (default " ZB_STR(ZB_POINT_TIMEOUT_S) ")"),
		CLI_FLAG("--interleave", 0, &a->interleave, "with --repetitions: run every point's "
			 "1st repetition, then\nevery point's 2nd, ... so drift spreads over all "
			 "points"),
		CLI_DOUBLE("--inject-slowdown", 0, "PCT", &a->o.inject_pct, 0.1, 1000, "after "
			   "every op, busy-wait PCT % of the time it took,\ninside the timed "
			   "region (tests compare; recorded)"),
		CLI_STR("--events", 'e', "E,...", &a->events, "perf events counted around every "
			"op, libpfm4 names\n(default none: enabled events slow the op; 'default':"
			"\n" ZB_DEFAULT_EVENTS ")"),
		CLI_FN("--trace", 0, "SYS:EV,...", set_trace, a, "tracepoints counted per op, on "
		       "every CPU when allowed\n(default none: they slow the op; 'default':\n"
		       ZB_DEFAULT_TRACE ")"),
		CLI_FLAG("--perf-record", 0, &a->perf_record, "perf record every point's latency "
			 "timed region (barrier to\nlast sample; not setup, teardown or the "
			 "throughput phase)\ninto <record>.perf/<point>.data: compare shows "
			 "what changed"),
		CLI_FLAG("--per-repetition", 0, &a->per_rep, "the table shows every repetition, "
			 "not one row per point"),
		CLI_SET("--no-progress", 0, &a->progress, 0, "no progress line on stderr"),
		CLI_INT("--step-fd", 0, "N", &a->step_fd, 3, 1023, "for zapbench ab: before every "
			"point, write 'R' to fd N and\nwait for a byte back, so sides alternate "
			"point by point"),
		ZB_VM_OPTS(&a->vm),
	};
	struct cli_cmd cmd = { .prog = "zapbench run", .usage = usage, .tail = tail };
	struct cli_opt *opts = run_opts(a, fixed, ZB_ARRAY_SIZE(fixed));
	int i, ret;

	zb_options_init(&a->o, 0);
	a->clock = ZB_CLOCK_TSC;
	a->progress = isatty(2);
	a->step_fd = -1;
	a->tput_intervals = -1;
	/*
	 * Counters and tracepoints only when asked for: enabled events slow
	 * the op they count (a shared fault 1.45 -> 1.75 us with the default
	 * software set), a tracepoint on the op's path adds its handler, and
	 * the per-CPU ioctls cost an IPI to every CPU per sample.
	 */
	a->events = "none";
	/* a short option stands for a long one: one word may become several */
	for (i = 0; i < argc; i++)
		cmd.pass_max += (int)strlen(argv[i]) + 2;
	a->pass = calloc((size_t)cmd.pass_max, sizeof(*a->pass));
	if (!opts || !a->pass) {
		free(opts);
		zb_err("out of memory");
		return -ENOMEM;
	}
	cmd.opts = opts;
	cmd.pass = a->pass;
	ret = cli_parse(&cmd, argc, argv);
	free(opts);
	a->nr_pass = cmd.nr_pass;
	if (ret)
		return ret;
	a->o.min_time = a->min_time ? a->min_time : zb_default_min_time(a->o.quick);
	a->o.tput_intervals = a->tput_intervals >= 0 ? a->tput_intervals :
			      zb_default_tput_intervals(a->o.quick);
	if (a->o.min_samples > a->o.max_samples) {
		zb_err("--min-samples %ld exceeds --max-samples %ld",
		       a->o.min_samples, a->o.max_samples);
		return -EINVAL;
	}
	return 0;
}

static int select_cpus(const struct run_args *a, struct zb_cpus *cpus)
{
	int bad;

	if (zb_cpus_select(cpus, a->cpu_list, a->nr_cpu_list, &bad)) {
		zb_err("--cpu-list: CPU %d is not online or not allowed for this process "
		       "(see /sys/devices/system/cpu/online)", bad);
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
	int i, err = zb_sweep_init(s, c, a->ov, a->nr_ov, a->o.quick, a->o.cpus.n, why, len);
	int took = 0;

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
	struct planned *p = NULL, *grown;
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
			/* on failure the old array is still ours to free */
			grown = realloc(p, (size_t)(n + 1) * sizeof(*p));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			p = grown;
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
	char path[1024], dir[1024], why[4400];
	int err;

	if (!a->out) {
		cli_default_out(path, sizeof(path), ctx->host, "");
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
		err = zb_mkdirs(dir);
		if (err) {
			zb_err("cannot create %s: %s (use --out FILE)", dir, strerror(-err));
			return err;
		}
		a->out = a->out_alloc = strdup(path);
		if (!a->out) {
			zb_err("out of memory");
			return -ENOMEM;
		}
		err = zb_atomic_open(at, a->out);
		/* a run that started in the same second must not lose its record */
		at->fresh = 1;
	} else {
		err = zb_out_lock(a->out, &a->lock_fd, why, sizeof(why));
		if (err) {
			zb_err("--out: %s", why);
			return err;
		}
		err = zb_atomic_open(at, a->out);
	}
	if (err) {
		zb_err("cannot write --out %s: %s", a->out, strerror(-err));
		zb_out_unlock(a->out, a->lock_fd);
	}
	return err;
}

/*
 * --perf-record: the directory next to the record: datasets/runs/X.json
 * gets X.perf/.  --out FILE is locked, so X.perf/ is this run's; a name
 * zapbench chose (@at->fresh) may be another run's of the same second,
 * so its directory is taken only if new: X.perf/, else X_2.perf/, ...
 * (the record names the one it got).
 */
static int perf_prepare(struct run_args *a, const struct zb_atomic *at)
{
	const char *slash = strrchr(a->out, '/'), *base = slash ? slash + 1 : a->out;
	size_t stem = strlen(base);
	int k, err;

	if (!a->perf_record)
		return 0;
	if (stem > 5 && !strcmp(base + stem - 5, ".json"))
		stem -= 5;
	for (k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(a->perf_rel, sizeof(a->perf_rel), "%.*s.perf", (int)stem, base);
		else
			snprintf(a->perf_rel, sizeof(a->perf_rel), "%.*s_%d.perf", (int)stem, base,
				 k);
		snprintf(a->perf_dir, sizeof(a->perf_dir), "%.*s%s",
			 slash ? (int)(base - a->out) : 0, a->out, a->perf_rel);
		if (!at->fresh) {
			err = zb_mkdirs(a->perf_dir);
			break;
		}
		err = mkdir(a->perf_dir, 0755) ? -errno : 0;
		if (err != -EEXIST)
			break;
	}
	if (err) {
		zb_err("--perf-record: cannot create %s: %s", a->perf_dir, strerror(-err));
		return err;
	}
	a->o.perf_dir = a->perf_dir;
	a->o.perf_rel = a->perf_rel;
	return 0;
}

/* Before the run starts: perf there and allowed to sample, else one line. */
static int perf_check(struct run_args *a)
{
	char why[512];
	int err;

	if (!a->perf_record)
		return 0;
	err = zb_perf_probe(a->o.perf_event, sizeof(a->o.perf_event), why, sizeof(why));
	if (err)
		zb_err("%s", why);
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

/* The run after its --out is open (and locked): an exit status. */
static int run_and_write(struct run_args *a, struct planned *p, int n, struct zb_atomic *at,
			 const struct zb_context *ctx, int argc, char **argv)
{
	struct zb_results rs = { 0 };
	int err;

	if (perf_prepare(a, at)) {
		free(p);
		zb_atomic_abort(at);
		return ZB_EXIT_USAGE;
	}
	err = execute(a, p, n, &rs);
	free(p);
	if (err) {
		zb_atomic_abort(at);
		zb_err("run aborted: %s", strerror(-err));
		return ZB_EXIT_FAIL;
	}
	zb_results_fit(&rs);
	zb_table_print(stdout, &rs, ctx, &a->o, a->per_rep);
	fflush(stdout);
	err = write_record(a, at, &rs, ctx, argc, argv);
	if (!err)
		fprintf(stderr, "zapbench: wrote %s\n", at->path);
	n = failures(&rs);
	zb_results_free(&rs);
	if (err)
		return ZB_EXIT_FAIL;
	if (zb_runner_interrupted())
		return ZB_EXIT_SIGINT;
	return n ? ZB_EXIT_FAIL : ZB_EXIT_OK;
}

/* cmd_run() after its arguments: an exit status; cmd_run() frees what @a holds. */
static int run_main(struct run_args *a, int argc, char **argv)
{
	struct zb_context ctx;
	struct zb_atomic at;
	struct planned *p;
	int n, err;

	/* before anything runs: a record the run cannot write is refused now */
	if (a->out && cli_out_check("--out", a->out))
		return ZB_EXIT_USAGE;
	if (zb_vm_check(&a->vm))
		return ZB_EXIT_USAGE;
	if (zb_cpus_load(&a->o.cpus)) {
		zb_err("cannot read this process's CPU affinity");
		return ZB_EXIT_USAGE;
	}
	if (a->nr_cpu_list && select_cpus(a, &a->o.cpus))
		return ZB_EXIT_USAGE;
	if (check_cpus_override(a) || plan(a, &p, &n))
		return ZB_EXIT_USAGE;
	if (a->vm.vm && a->perf_record) {
		free(p);
		zb_err("--perf-record profiles this machine's run: not with --vm");
		return ZB_EXIT_USAGE;
	}
	if (a->vm.vm) {
		free(p);
		return zb_run_vm(a->pass, a->nr_pass, &a->vm, a->out, a->filter);
	}
	if (plan_counters(a) || perf_check(a))
		goto usage;
	/* The TSC unless it is not invariant; then say so only if asked for. */
	if (zb_timer_init(&a->o.timer, a->clock)) {
		if (a->clock_set) {
			zb_err("--clock tsc: this CPU has no invariant TSC (use --clock monotonic)");
			goto usage;
		}
		zb_timer_init(&a->o.timer, ZB_CLOCK_MONOTONIC);
	}
	zb_inject_init(&a->o.inject, &a->o.timer, a->o.inject_pct);
	zb_context_read(&ctx);
	if (open_out(a, &at, &ctx))
		goto usage;
	err = run_and_write(a, p, n, &at, &ctx, argc, argv);
	zb_out_unlock(a->out, a->lock_fd);
	return err;
usage:
	free(p);
	return ZB_EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	int err;

	memset(&a, 0, sizeof(a));
	a.lock_fd = -1;
	err = parse_args(&a, argc, argv);
	err = err ? cli_exit(err) : run_main(&a, argc, argv);
	zb_cpus_free(&a.o.cpus);
	free(a.pass);
	free(a.out_alloc);
	return err;
}
