// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

void zb_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
}

static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

int zb_proc_wait(pid_t pid, double timeout_s, int *status)
{
	uint64_t end = mono_ms() + (uint64_t)(timeout_s * 1e3);
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), ret = fd < 0 ? -errno : 1;

	while (fd >= 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = mono_ms();
		int n;

		if (now >= end)
			break;
		n = poll(&pfd, 1, (int)(end - now) + 1);
		if (n > 0) {
			ret = 0;
			break;
		}
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	}
	if (ret)
		kill(pid, SIGKILL);
	if (fd >= 0)
		close(fd);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return ret;
}

/* Read @fd into *@buf until EOF or @end (ms); 0, -ETIMEDOUT or -errno. */
static int drain(int fd, uint64_t end, char **buf, size_t *n)
{
	size_t cap = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = mono_ms();
		ssize_t got;

		if (now >= end)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)(end - now) + 1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (*n + 4096 + 1 > cap) {
			char *p = realloc(*buf, cap = cap * 2 + 8192);

			if (!p)
				return -ENOMEM;
			*buf = p;
		}
		got = read(fd, *buf + *n, cap - *n - 1);
		if (got < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (got == 0)
			return 0;
		if (got > 0)
			*n += (size_t)got;
	}
}

int zb_proc_capture(char *const argv[], double timeout_s, char **out, char *why, size_t len)
{
	uint64_t end = mono_ms() + (uint64_t)(timeout_s * 1e3), now;
	char *buf = NULL;
	size_t n = 0;
	int p[2], st, err, waited;
	pid_t pid, self = getpid();

	*out = NULL;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		snprintf(why, len, "fork: %s", strerror(-err));
		return err;
	}
	if (!pid) {
		int null;

		zb_die_with_parent(self);
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 2);
		dup2(p[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	err = drain(p[0], end, &buf, &n);
	close(p[0]);
	now = mono_ms();
	waited = zb_proc_wait(pid, err || now >= end ? 0 : (double)(end - now) / 1e3, &st);
	if (!err && waited)
		err = waited < 0 ? waited : -ETIMEDOUT;
	if (!err && WIFEXITED(st) && WEXITSTATUS(st) == 127)
		err = -ENOENT;
	else if (!err && (!WIFEXITED(st) || WEXITSTATUS(st)))
		err = -EIO;
	if (err == -ETIMEDOUT)
		snprintf(why, len, "%s took longer than %g s: killed", argv[0], timeout_s);
	else if (err == -ENOENT)
		snprintf(why, len, "%s: not found", argv[0]);
	else if (err == -EIO)
		snprintf(why, len, "%s failed (exit status %d)", argv[0],
			 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	else if (err)
		snprintf(why, len, "%s: %s", argv[0], strerror(-err));
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}
