// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "ab_run.h"
#include "timer.h"
#include "util.h"

/* Grace for a side to write its partial record after ^C, before SIGKILL. */
#define AB_STOP_GRACE_S	10

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

void ab_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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

static void child(const struct ab_plan *p, const struct ab_side *sd, const char *out,
		  const char *log)
{
	char *argv[AB_MAX_ARGS + 16], mt[32];
	int n = 0, i, fd;

	setpgid(0, 0);
	for (i = 0; i < sd->nr_env; i++)
		putenv((char *)sd->env[i]);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	argv[n++] = (char *)sd->bin;
	argv[n++] = "run";
	argv[n++] = "--no-progress";
	argv[n++] = "--out";
	argv[n++] = (char *)out;
	/* compare reads round medians; a few raw samples are for the plots */
	argv[n++] = "--keep-samples";
	argv[n++] = "100";
	if (p->quick) {
		/* many short rounds: between-round noise is what a verdict fights */
		argv[n++] = "--quick";
		argv[n++] = "--min-samples";
		argv[n++] = "5";
	}
	if (p->filter) {
		argv[n++] = "--filter";
		argv[n++] = (char *)p->filter;
	}
	if (p->min_time > 0) {
		snprintf(mt, sizeof(mt), "%g", p->min_time);
		argv[n++] = "--min-time";
		argv[n++] = mt;
	}
	for (i = 0; i < sd->nr_args; i++)
		argv[n++] = sd->args[i];
	argv[n] = NULL;
	execv(sd->bin, argv);
	fprintf(stderr, "zapbench ab: cannot run %s: %s\n", sd->bin, strerror(errno));
	_exit(127);
}

/* Wait for @pid at most @timeout_s; forward a stop; 0 with its status, or -ETIME. */
static int bounded_wait(pid_t pid, double timeout_s, int *status)
{
	uint64_t deadline = zb_mono_ns() + (uint64_t)(timeout_s * 1e9), stop_at = 0;
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (stopping && !stop_at) {
			kill(-pid, SIGINT);
			stop_at = zb_mono_ns() + (uint64_t)AB_STOP_GRACE_S * 1000000000ull;
		}
		if (zb_mono_ns() > deadline || (stop_at && zb_mono_ns() > stop_at)) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			return stop_at ? -EINTR : -ETIME;
		}
		nanosleep(&tick, NULL);
	}
}

static int run_side(const struct ab_plan *p, int k, int s, char *err, size_t len)
{
	char out[1024], log[1100];
	int status, ret;
	pid_t pid;

	ab_round_path(p, k, s, out, sizeof(out));
	/* round-NN-a.json's table and messages go to round-NN-a.txt */
	snprintf(log, sizeof(log), "%.*s.txt", (int)(strlen(out) - strlen(".json")), out);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid)
		child(p, &p->side[s], out, log);
	setpgid(pid, pid);
	ret = bounded_wait(pid, p->timeout_s, &status);
	if (ret == -ETIME) {
		snprintf(err, len, "round %d, side %s: no result after %.0f s, killed (%s)",
			 k + 1, p->side[s].label, p->timeout_s, log);
		return ret;
	}
	if (ret)
		return ret;
	if (stopping)
		return -EINTR;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, len, "round %d, side %s: %s run %s %d (its output: %s)", k + 1,
			 p->side[s].label, p->side[s].bin,
			 WIFEXITED(status) ? "exited" : "killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), log);
		return -EIO;
	}
	return 0;
}

int ab_run(const struct ab_plan *p, int *done, char *err, size_t len)
{
	int k, pos, ret = 0;

	*done = 0;
	ret = zb_mkdirs(p->dir);
	if (ret) {
		snprintf(err, len, "cannot create %s: %s", p->dir, strerror(-ret));
		return ret;
	}
	for (k = 0; k < p->rounds; k++) {
		uint64_t t0 = zb_mono_ns();

		for (pos = 0; pos < p->nr_sides && !ret; pos++)
			ret = stopping ? -EINTR : run_side(p, k, ab_order(p, k, pos), err, len);
		if (ret) {
			/* a round is every side or nothing: no half round to pair */
			for (pos = 0; pos < p->nr_sides; pos++) {
				char path[1024];

				ab_round_path(p, k, pos, path, sizeof(path));
				unlink(path);
			}
			return ret;
		}
		*done = k + 1;
		if (p->verbose) {
			printf("zapbench ab: round %d/%d done (%.1f s)\n", k + 1, p->rounds,
			       (double)(zb_mono_ns() - t0) / 1e9);
			fflush(stdout);
		}
	}
	return 0;
}
