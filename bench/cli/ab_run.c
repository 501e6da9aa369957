// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "cli/ab_run.h"
#include "core/cpuload.h"
#include "core/timer.h"
#include "proc.h"
#include "util.h"

/* Grace for a side to write its partial record after ^C, before SIGKILL. */
#define AB_STOP_GRACE_S	10

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int ab_stopping(void)
{
	return stopping;
}

void ab_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void ab_plan_defaults(struct ab_plan *p)
{
	if (!p->rounds)
		p->rounds = p->quick ? AB_QUICK_ROUNDS : AB_DEFAULT_ROUNDS;
	if (p->quick && !p->min_time)
		p->min_time = AB_QUICK_MIN_TIME;
	if (!p->timeout_s)
		p->timeout_s = AB_DEFAULT_TIMEOUT;
	p->verbose = 1;
}

int ab_side_args(struct ab_side *side, const char *s, char *err, size_t len)
{
	wordexp_t w;
	size_t i;
	int ret = wordexp(s, &w, WRDE_NOCMD);

	if (ret) {
		snprintf(err, len, "cannot split '%s' into arguments (%s)", s,
			 ret == WRDE_CMDSUB ? "no command substitution" : "bad quoting");
		return -EINVAL;
	}
	for (i = 0; i < w.we_wordc; i++) {
		if (side->nr_args == AB_MAX_ARGS) {
			snprintf(err, len, "more than %d arguments for side %s", AB_MAX_ARGS,
				 side->label);
			wordfree(&w);
			return -E2BIG;
		}
		side->args[side->nr_args] = strdup(w.we_wordv[i]);
		if (!side->args[side->nr_args]) {
			wordfree(&w);
			return -ENOMEM;
		}
		side->nr_args++;
	}
	wordfree(&w);
	return 0;
}

void ab_sides_free(struct ab_plan *p)
{
	int s, i;

	for (s = 0; s < AB_MAX_SIDES; s++) {
		for (i = 0; i < p->side[s].nr_args; i++)
			free(p->side[s].args[i]);
		p->side[s].nr_args = 0;
		free(p->side[s].spec);
		p->side[s].spec = NULL;
	}
}

void ab_round_path(const struct ab_plan *p, int k, int s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/round-%02d-%s.json", p->dir, k + 1, p->side[s].label);
}

int ab_order(const struct ab_plan *p, int k, int pos)
{
	int n = p->nr_sides;
	/*
	 * Odd rounds run the even round's order backwards, so within every
	 * pair of rounds each side's mean position in time is the same and a
	 * linear drift cancels: A B | B A | A B ... (ABBA).  With more sides
	 * the order also rotates every two rounds, so no side is always first.
	 */
	int rot = n > 2 ? k / 2 : 0;

	return ((k % 2 ? n - 1 - pos : pos) + rot) % n;
}

/* The fd a side's `run --step-fd` talks on. */
#define AB_STEP_FD	3

/* One side of the running round. */
struct running {
	pid_t pid;
	int fd;				/* our end of its step socket; -1 once it ended */
	int reaped, status;
	char out[1024], log[1100];
};

int ab_run_args(const struct ab_plan *p, const struct ab_side *sd, const char *filter,
		char **argv, int n, char *mt, size_t len)
{
	int i;

	/* compare reads round medians; a few raw samples are for the plots */
	argv[n++] = "--keep-samples";
	argv[n++] = "100";
	/* compare gates latency: a throughput phase would only lengthen rounds */
	argv[n++] = "--tput-intervals";
	argv[n++] = "0";
	if (p->quick) {
		/* many short rounds: between-round noise is what a verdict fights */
		argv[n++] = "--quick";
		argv[n++] = "--min-samples";
		argv[n++] = "5";
		/* a fresh process per round: one op to warm it, not three */
		argv[n++] = "--warmup";
		argv[n++] = "1";
	}
	if (filter) {
		argv[n++] = "--filter";
		argv[n++] = (char *)filter;
	}
	if (p->min_time > 0) {
		snprintf(mt, len, "%g", p->min_time);
		argv[n++] = "--min-time";
		argv[n++] = mt;
	}
	for (i = 0; i < sd->nr_args; i++)
		argv[n++] = sd->args[i];
	return n;
}

static void child(const struct ab_plan *p, const struct ab_side *sd, const char *out,
		  const char *log, int step)
{
	char *argv[AB_MAX_ARGS + 20], mt[32];
	int n = 0, i, fd;

	setpgid(0, 0);
	for (i = 0; i < sd->nr_env; i++)
		putenv((char *)sd->env[i]);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	/* the step socket becomes fd 3, open across exec */
	if (step == AB_STEP_FD) {
		fcntl(step, F_SETFD, 0);
	} else {
		dup2(step, AB_STEP_FD);
		close(step);
	}
	argv[n++] = (char *)sd->bin;
	argv[n++] = "run";
	argv[n++] = "--no-progress";
	argv[n++] = "--step-fd";
	argv[n++] = "3";
	argv[n++] = "--out";
	argv[n++] = (char *)out;
	n = ab_run_args(p, sd, p->filter, argv, n, mt, sizeof(mt));
	argv[n] = NULL;
	execv(sd->bin, argv);
	fprintf(stderr, "zapbench ab: cannot run %s: %s\n", sd->bin, strerror(errno));
	_exit(127);
}

static int start_side(const struct ab_plan *p, int k, int s, struct running *r)
{
	size_t n;
	int sv[2];
	pid_t parent;

	ab_round_path(p, k, s, r->out, sizeof(r->out));
	/*
	 * round-NN-a.json's table and messages go to round-NN-a.txt (log is
	 * longer than out).  Copied, not printed with %s: gcc's -Wrestrict
	 * (under -fsanitize=address) cannot tell r->out from r->log there.
	 */
	n = strlen(r->out) - strlen(".json");
	memcpy(r->log, r->out, n);
	strcpy(r->log + n, ".txt");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fflush(stdout);
	parent = getpid();
	r->pid = fork();
	if (r->pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (!r->pid) {
		/* a kill -9 of ab ends its side's run (and that run's workers) */
		zb_die_with_parent(parent);
		close(sv[0]);
		child(p, &p->side[s], r->out, r->log, sv[1]);
	}
	close(sv[1]);
	setpgid(r->pid, r->pid);
	r->fd = sv[0];
	return 0;
}

static int past(uint64_t deadline)
{
	return zb_mono_ns() > deadline;
}

int ab_reap_pid(pid_t pid, int *status, double timeout_s)
{
	uint64_t deadline = zb_mono_ns() + (uint64_t)(timeout_s * 1e9), stop_at = 0;
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (stopping && !stop_at) {
			kill(-pid, SIGINT);
			stop_at = zb_mono_ns() + (uint64_t)AB_STOP_GRACE_S * 1000000000ull;
		}
		if (past(deadline) || (stop_at && past(stop_at))) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			return stop_at ? -EINTR : -ETIME;
		}
		nanosleep(&tick, NULL);
	}
}

/* Reap a side within @timeout_s (ab_reap_pid()). */
static int reap(struct running *r, double timeout_s)
{
	int ret;

	if (r->reaped)
		return 0;
	ret = ab_reap_pid(r->pid, &r->status, timeout_s);
	r->reaped = 1;
	return ret;
}

/* What a side that ended said about itself: 0, or -EIO with the line. */
static int verdict_of(const struct ab_plan *p, int k, int s, const struct running *r,
		      char *err, size_t len)
{
	if (WIFEXITED(r->status) && !WEXITSTATUS(r->status))
		return 0;
	snprintf(err, len, "round %d, side %s: %s run %s %d (its output: %s)", k + 1,
		 p->side[s].label, p->side[s].bin,
		 WIFEXITED(r->status) ? "exited" : "killed by signal",
		 WIFEXITED(r->status) ? WEXITSTATUS(r->status) : WTERMSIG(r->status), r->log);
	return -EIO;
}

/*
 * The side's next "ready" (1), or its end (0: the socket closed, it has
 * exited or is about to, and has been reaped), within @timeout_s.
 */
static int next_ready(const struct ab_plan *p, int k, int s, struct running *r,
		      char *err, size_t len)
{
	uint64_t deadline = zb_mono_ns() + (uint64_t)(p->timeout_s * 1e9);
	struct pollfd pf = { .fd = r->fd, .events = POLLIN };
	char c;

	for (;;) {
		int n = poll(&pf, 1, 100);

		if (stopping)
			return -EINTR;
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			break;
		if (past(deadline)) {
			snprintf(err, len, "round %d, side %s: no result after %.0f s, killed (%s)",
				 k + 1, p->side[s].label, p->timeout_s, r->log);
			return -ETIME;
		}
	}
	if (read(r->fd, &c, 1) == 1)
		return 1;
	close(r->fd);
	r->fd = -1;
	if (reap(r, p->timeout_s))
		return -ETIME;
	return verdict_of(p, k, s, r, err, len);
}

/*
 * One round: every side started at once, each waiting at every point for
 * its turn; the turns go A B | B A | A B ... point by point, so A's and
 * B's runs of a point are adjacent in time and a drift of the machine
 * over seconds hits both alike.  Every side's record, or none.
 */
static int run_round(const struct ab_plan *p, int k, long *step, char *err, size_t len)
{
	struct running r[AB_MAX_SIDES];
	int s, pos, active = 0, ret = 0;

	memset(r, 0, sizeof(r));
	for (s = 0; s < p->nr_sides; s++)
		r[s].fd = -1;
	for (s = 0; s < p->nr_sides && !ret; s++) {
		ret = start_side(p, k, s, &r[s]);
		if (!ret)
			ret = next_ready(p, k, s, &r[s], err, len);
		active += ret > 0;
		ret = ret > 0 ? 0 : ret;
	}
	while (!ret && active) {
		for (pos = 0; pos < p->nr_sides && !ret; pos++) {
			s = ab_order(p, (int)(*step % 1000000), pos);
			if (r[s].fd < 0)
				continue;
			if (write(r[s].fd, "G", 1) != 1) {
				ret = -EPIPE;
				break;
			}
			ret = next_ready(p, k, s, &r[s], err, len);
			active -= !ret;
			ret = ret > 0 ? 0 : ret;
		}
		(*step)++;
	}
	for (s = 0; s < p->nr_sides; s++) {
		if (r[s].fd >= 0)
			close(r[s].fd);
		if (r[s].pid > 0 && !r[s].reaped) {
			/* a failed round: the others are not waited for */
			if (ret && !stopping)
				kill(-r[s].pid, SIGKILL);
			reap(&r[s], p->timeout_s);
		}
	}
	if (!ret && stopping)
		ret = -EINTR;
	if (ret == -EPIPE)
		snprintf(err, len, "round %d: a side went away", k + 1);
	return ret;
}

int ab_run(const struct ab_plan *p, int *done, char *err, size_t len)
{
	long step = 0;
	int k, s, ret;

	*done = 0;
	ret = zb_mkdirs(p->dir);
	if (ret) {
		snprintf(err, len, "cannot create %s: %s", p->dir, strerror(-ret));
		return ret;
	}
	if (p->load && !p->start)
		memset(p->load, 0, sizeof(*p->load));
	*done = p->start;
	for (k = p->start; k < p->rounds; k++) {
		uint64_t t0 = zb_mono_ns();
		struct zb_cpuload c0, c1;
		double others, kthreads, steal, wall;

		zb_cpuload_snap(&c0);
		if (stopping)
			ret = -EINTR;
		else if (ab_kernel_sides(p))
			ret = ab_boot_round(p, k, err, len);
		else
			ret = run_round(p, k, &step, err, len);
		if (ret) {
			zb_cpuload_free(&c0);
			/* a round is every side or nothing: no half round to pair */
			for (s = 0; s < p->nr_sides; s++) {
				char path[1024];

				ab_round_path(p, k, s, path, sizeof(path));
				unlink(path);
			}
			return ret;
		}
		*done = k + 1;
		zb_cpuload_snap(&c1);
		zb_cpuload_delta(&c0, &c1, &others, &kthreads, &steal);
		zb_cpuload_free(&c0);
		zb_cpuload_free(&c1);
		wall = (double)(zb_mono_ns() - t0) / 1e9;
		if (p->load && others >= 0) {
			struct ab_load one = {
				.rounds = 1, .wall_s = wall, .others_s = others,
				.kthreads_s = kthreads, .steal_s = steal,
				.worst_s = others, .worst_round = 1,
			};

			ab_load_add(p->load, &one, k);
		}
		if (p->verbose) {
			if (others >= 0)
				printf("zapbench ab: round %d/%d done (%.1f s; other processes "
				       "%.2f CPU-s)\n", k + 1, p->rounds, wall, others);
			else
				printf("zapbench ab: round %d/%d done (%.1f s)\n", k + 1,
				       p->rounds, wall);
			fflush(stdout);
		}
	}
	return 0;
}

void ab_load_add(struct ab_load *sum, const struct ab_load *l, int first)
{
	sum->rounds += l->rounds;
	sum->wall_s += l->wall_s;
	sum->others_s += l->others_s;
	sum->kthreads_s += l->kthreads_s;
	sum->steal_s += l->steal_s;
	if (l->worst_s > sum->worst_s) {
		sum->worst_s = l->worst_s;
		sum->worst_round = first + l->worst_round;
	}
}

/*
 * Quiet: other processes used under 2 % of one CPU over the rounds.  The
 * sides' own work is not counted, so this is what shared the machine.
 */
#define AB_QUIET_FRAC	0.02

void ab_load_print(FILE *f, const struct ab_load *l)
{
	double frac;

	if (!l->rounds || l->wall_s <= 0) {
		fprintf(f, "zapbench ab: other load: unknown (/proc/stat unreadable)\n");
		return;
	}
	frac = l->others_s / l->wall_s;
	fprintf(f, "zapbench ab: other processes used %.1f CPU-s in %.0f s of rounds "
		"(%.1f %% of one CPU; busiest: round %d, %.2f CPU-s); kernel threads %.1f "
		"CPU-s; steal %.1f s\n", l->others_s, l->wall_s, 100 * frac, l->worst_round,
		l->worst_s, l->kthreads_s, l->steal_s);
	if (frac >= AB_QUIET_FRAC)
		fprintf(f, "WARNING: the machine was not quiet: on a small VM a busy vCPU "
			"slows the measuring one, and the verdicts carry that noise\n");
}
