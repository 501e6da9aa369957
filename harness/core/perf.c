// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/perf.h"
#include "core/timer.h"
#include "leftover.h"
#include "proc.h"
#include "util.h"

/* A CPU PMU: the core's own, or a hybrid part's. */
static int have_pmu(void)
{
	return !access("/sys/bus/event_source/devices/cpu", F_OK) ||
	       !access("/sys/bus/event_source/devices/cpu_core", F_OK);
}

/* perf record EVENT true: can this process sample with it? */
static int try_event(const char *event, char *why, size_t len)
{
	char tmp[128];
	char *const argv[] = { "perf", "record", "-q", "-N", "-e", (char *)event, "-o", tmp,
			       "--", "true", NULL };
	char *out = NULL;
	int fd, err;

	/* locked while perf writes it: a kill -9 leaves it to the next sweep */
	zb_left_sweep("/tmp", "zb-perf-probe");
	fd = zb_left_create(tmp, sizeof(tmp), "/tmp", "zb-perf-probe", 0);
	if (fd < 0) {
		snprintf(why, len, "cannot create a file in /tmp: %s", strerror(-fd));
		return fd;
	}
	err = zb_proc_capture(argv, 20, &out, why, len);
	free(out);
	unlink(tmp);
	close(fd);
	return err;
}

int zb_perf_probe(char *event, size_t evlen, char *why, size_t len)
{
	char said[256];
	long paranoid = -9;
	int err;

	if (have_pmu() && !try_event("cycles", said, sizeof(said))) {
		snprintf(event, evlen, "cycles");
		return 0;
	}
	err = try_event("cpu-clock", said, sizeof(said));
	if (!err) {
		snprintf(event, evlen, "cpu-clock");
		return 0;
	}
	zb_read_long("/proc/sys/kernel/perf_event_paranoid", &paranoid);
	if (err == -ENOENT)
		snprintf(why, len, "--perf-record: no perf here (install linux-perf: "
			 "apt-get install linux-perf)");
	else
		snprintf(why, len, "--perf-record: perf cannot sample cpu-clock here (%s; "
			 "kernel.perf_event_paranoid is %ld: run as root or lower it)", said,
			 paranoid);
	return err;
}

int zb_perf_open(struct zb_perf *p)
{
	p->pid = 0;
	if (pipe2(p->ctl, O_CLOEXEC))
		return -errno;
	if (pipe2(p->ack, O_CLOEXEC)) {
		int err = -errno;

		close(p->ctl[0]);
		close(p->ctl[1]);
		return err;
	}
	return 0;
}

static void close_pipes(struct zb_perf *p)
{
	int i;

	for (i = 0; i < 2; i++) {
		close(p->ctl[i]);
		close(p->ack[i]);
	}
}

/* In the child: the two pipe ends perf keeps, its log, and exec. */
static void exec_perf(struct zb_perf *p, char *pids, pid_t conductor)
{
	char control[64], log[4096 + 8];
	char *const argv[] = { "perf", "record", "-q", "-N", "-e", p->event, "-D", "-1",
			       "--control", control, "-o", p->data, "-p", pids, NULL };
	int fd;

	/* Its own group: a ^C at the terminal is the CLI's, not perf's. */
	setpgid(0, 0);
	zb_die_with_parent(conductor);
	snprintf(log, sizeof(log), "%s.log", p->data);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, 0);
	fcntl(p->ctl[0], F_SETFD, 0);
	fcntl(p->ack[1], F_SETFD, 0);
	snprintf(control, sizeof(control), "fd:%d,%d", p->ctl[0], p->ack[1]);
	execvp("perf", argv);
	_exit(127);
}

int zb_perf_start(struct zb_perf *p, const pid_t *pids, int n, char *why, size_t len)
{
	size_t cap = (size_t)n * 12 + 1, k = 0;
	char *list = malloc(cap);
	pid_t self = getpid(), pid;
	int i;

	if (!list) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	list[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(list + k, cap - k, "%s%d", i ? "," : "", (int)pids[i]);
	/* @p may lie in memory shared with the child: only the parent writes it */
	pid = fork();
	if (pid < 0) {
		free(list);
		snprintf(why, len, "cannot start perf record: fork: %s", strerror(errno));
		return -errno;
	}
	if (!pid)
		exec_perf(p, list, self);
	p->pid = pid;
	free(list);
	return 0;
}

/* The last line perf wrote to its log, for an error message. */
static void perf_said(const struct zb_perf *p, char *buf, size_t len)
{
	char log[4096 + 8], *text, *end, *start;

	snprintf(buf, len, "no message");
	snprintf(log, sizeof(log), "%s.log", p->data);
	if (zb_read_file(log, &text, NULL))
		return;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(text, '\n');
	if (*text)
		snprintf(buf, len, "%s", start ? start + 1 : text);
	free(text);
}

int zb_perf_send(struct zb_perf *p, const char *cmd, double timeout_s, char *why, size_t len)
{
	uint64_t end = zb_mono_ns() + (uint64_t)(timeout_s * 1e9);
	char line[16], got[16], said[256];
	size_t n = 0;

	snprintf(line, sizeof(line), "%s\n", cmd);
	if (write(p->ctl[1], line, strlen(line)) != (ssize_t)strlen(line)) {
		snprintf(why, len, "perf record: cannot send '%s': %s", cmd, strerror(errno));
		return -EIO;
	}
	while (n < 3 || memcmp(got + n - 3, "ack", 3)) {
		struct pollfd pfd = { .fd = p->ack[0], .events = POLLIN };
		uint64_t now = zb_mono_ns();
		ssize_t r;
		char c;

		if (now >= end) {
			perf_said(p, said, sizeof(said));
			snprintf(why, len, "perf record did not acknowledge '%s' within %g s "
				 "(log %s.log: %s)", cmd, timeout_s, p->data, said);
			return -ETIMEDOUT;
		}
		if (poll(&pfd, 1, (int)((end - now) / 1000000) + 1) <= 0)
			continue;
		r = read(p->ack[0], &c, 1);
		/* "ack\n\0": letters only, the rest of the last ack is noise */
		if (r == 1 && c >= 'a' && c <= 'z' && n < sizeof(got))
			got[n++] = c;
		else if (r == 1 && n == sizeof(got))
			n = 0;
	}
	return 0;
}

/* perf record re-raises the SIGINT it stops on, once perf.data is written. */
static int stopped(int status, const char *data)
{
	struct stat st;

	if (stat(data, &st) || !st.st_size)
		return 0;
	return WIFSIGNALED(status) ? WTERMSIG(status) == SIGINT : !WEXITSTATUS(status);
}

int zb_perf_stop(struct zb_perf *p, char *why, size_t len)
{
	char log[4096 + 8], said[256];
	int status, ret = 0;

	if (p->pid > 0) {
		kill(p->pid, SIGINT);
		ret = zb_proc_wait(p->pid, ZB_PERF_STOP_S, &status);
		p->pid = 0;
		if (ret > 0) {
			snprintf(why, len, "perf record took longer than %d s to stop: killed",
				 ZB_PERF_STOP_S);
			ret = -ETIMEDOUT;
		} else if (!ret && !stopped(status, p->data)) {
			perf_said(p, said, sizeof(said));
			snprintf(why, len, "perf record failed (log %s.log): %s", p->data, said);
			ret = -EIO;
		} else if (ret) {
			snprintf(why, len, "perf record: cannot wait: %s", strerror(-ret));
		}
	}
	close_pipes(p);
	if (!ret) {
		snprintf(log, sizeof(log), "%s.log", p->data);
		unlink(log);
	}
	return ret;
}
