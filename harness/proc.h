/* SPDX-License-Identifier: GPL-2.0 */
/* Child processes with a bound: wait for one, or run one and keep its stdout. */
#ifndef ZB_PROC_H
#define ZB_PROC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Wait for child @pid at most @timeout_s (a pidfd poll: nothing wakes
 * meanwhile; EINTR goes on waiting), then SIGKILL and reap it.  Returns
 * 0 if it exited by itself, 1 if it was killed for the time, -errno if
 * it could not be waited for with a bound (killed too).
 */
int zb_proc_wait(pid_t pid, double timeout_s, int *status);

/*
 * First thing in a forked child: it gets SIGKILL when @parent (the
 * process that forked it) dies, a kill -9 included, instead of running
 * on orphaned; it exits at once if @parent died before prctl().  Kept
 * across execve() (not of a set-uid program): an exec'd helper dies too.
 */
void zb_die_with_parent(pid_t parent);

/*
 * Run @argv (PATH searched), stdin /dev/null, stderr dropped, for at
 * most @timeout_s; its stdout NUL-terminated in *@out (malloc'ed).
 * 0 if it exited 0; else -errno with one line in @why.
 */
int zb_proc_capture(char *const argv[], double timeout_s, char **out, char *why, size_t len);

#endif
