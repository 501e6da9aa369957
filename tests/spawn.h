/* SPDX-License-Identifier: GPL-2.0 */
/* Run the zapbench binary from a test and capture what it says. */
#ifndef ZB_TEST_SPAWN_H
#define ZB_TEST_SPAWN_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/json.h"
#include "util.h"

struct spawned {
	int status;			/* exit code, or 128 + signal */
	char *out, *err;
	int err_lines;
};

static inline const char *zapbench_path(void)
{
	const char *p = getenv("ZAPBENCH");

	return p ? p : "build/zapbench";
}

/* @sig_after_ms > 0: send SIGINT then. @nproc_limit > 0: RLIMIT_NPROC. */
static inline void spawn_opts(struct spawned *s, char *const argv[], int sig_after_ms,
			      long nproc_limit)
{
	char out[] = "/tmp/zbspawn.out.XXXXXX", err[] = "/tmp/zbspawn.err.XXXXXX";
	int fo = mkstemp(out), fe = mkstemp(err), st;
	const char *c;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (nproc_limit > 0) {
			struct rlimit rl = { (rlim_t)nproc_limit, (rlim_t)nproc_limit };

			setrlimit(RLIMIT_NPROC, &rl);
		}
		dup2(fo, 1);
		dup2(fe, 2);
		execv(zapbench_path(), argv);
		_exit(127);
	}
	if (sig_after_ms > 0) {
		usleep((useconds_t)sig_after_ms * 1000);
		kill(pid, SIGINT);
	}
	/* a status read from a failed wait would be stack garbage */
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			ZBT_FAIL("waitpid %d: %s", (int)pid, strerror(errno));
	s->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	zb_read_file(out, &s->out, NULL);
	zb_read_file(err, &s->err, NULL);
	unlink(out);
	unlink(err);
	close(fo);
	close(fe);
	s->err_lines = 0;
	for (c = s->err; *c; c++)
		s->err_lines += *c == '\n';
}

/* Entries in @dir besides . and .. (what a refused command left there). */
static inline int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* A usage error: exit 2, one line starting "zapbench: error: ", nothing on stdout. */
#define ASSERT_USAGE_ERROR(s, needle) do {				\
	ASSERT_EQ(2, (s)->status);					\
	ASSERT_EQ(1, (s)->err_lines);					\
	ASSERT_TRUE(!strncmp((s)->err, "zapbench: error: ", 17));	\
	ASSERT_CONTAINS((s)->err, needle);				\
	ASSERT_STREQ("", (s)->out);					\
} while (0)

static inline void spawn(struct spawned *s, char *const argv[])
{
	spawn_opts(s, argv, 0, 0);
}

/* Parse a record file; fails the test if it is not valid JSON. */
static inline void load_record(const char *path, struct zb_jval *v)
{
	char *buf, err[128];
	size_t len;

	if (zb_read_file(path, &buf, &len))
		ZBT_FAIL("no record at %s", path);
	if (zb_json_parse(buf, len, v, err, sizeof(err)))
		ZBT_FAIL("%s is not valid JSON: %s", path, err);
	free(buf);
}

#endif
