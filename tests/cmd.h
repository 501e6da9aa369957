/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a subcommand's function (cmd_plot, cmd_history) in a child, as the
 * CLI would, and capture what it says: the same checks as spawn.h without
 * depending on the command table of bench/cli/main.c.
 */
#ifndef ZB_TEST_CMD_H
#define ZB_TEST_CMD_H

#include "spawn.h"

static inline void run_cmd(struct spawned *s, int (*fn)(int, char **), char *const argv[])
{
	char out[] = "/tmp/zbcmd.out.XXXXXX", err[] = "/tmp/zbcmd.err.XXXXXX";
	int fo = mkstemp(out), fe = mkstemp(err), st, argc = 0;
	const char *c;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		st = fn(argc, (char **)argv);
		fflush(stdout);
		fflush(stderr);
		_exit(st);
	}
	waitpid(pid, &st, 0);
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

/* A shell command's exit status (for python3, gnuplot, chromium checks). */
static inline int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#endif
