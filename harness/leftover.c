// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leftover.h"
#include "util.h"

/* Tries before giving up on a name that a sweeper keeps taking. */
#define CREATE_TRIES	8
/*
 * An owner holds the lock from a few instructions after creating the name
 * until just before it goes: an unlocked entry this old is an orphan even
 * if its pid now names another process.
 */
#define ORPHAN_AGE_S	60

int zb_left_create(char *path, size_t len, const char *dir, const char *prefix, int is_dir)
{
	struct stat a, b;
	int tries, fd, n, err;

	for (tries = 0; tries < CREATE_TRIES; tries++) {
		n = snprintf(path, len, "%s/%s" ZB_LEFT_TAG "%d.XXXXXX", dir, prefix,
			     (int)getpid());
		if (n < 0 || (size_t)n >= len)
			return -ENAMETOOLONG;
		if (is_dir)
			fd = mkdtemp(path) ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		else
			fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			if (is_dir)
				rmdir(path);
			return err;
		}
		if (flock(fd, LOCK_EX)) {
			err = -errno;
			close(fd);
			is_dir ? rmdir(path) : unlink(path);
			return err;
		}
		/*
		 * Between its creation and our lock, a sweeper that cannot see
		 * our pid (another pid namespace) may have removed it: locked,
		 * it is ours only if the name still names it.
		 */
		if (!fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	return -EAGAIN;
}

/* The owner's pid in "@prefix...ZB_LEFT_TAG<pid>.XXXXXX", else 0. */
static pid_t owner_of(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix), tlen = strlen(ZB_LEFT_TAG);
	const char *t;
	char *end;
	long pid;

	if (strncmp(name, prefix, plen))
		return 0;
	for (t = strstr(name + plen, ZB_LEFT_TAG); t; t = strstr(t + 1, ZB_LEFT_TAG)) {
		if (!isdigit((unsigned char)t[tlen]))
			continue;
		pid = strtol(t + tlen, &end, 10);
		if (*end == '.' && strlen(end + 1) == 6 && pid > 0 && pid <= INT_MAX)
			return (pid_t)pid;
	}
	return 0;
}

/* A process that can still hold a lock: it exists and is not a zombie. */
static int pid_alive(pid_t pid)
{
	char path[64], *buf, *paren;
	int alive = 1;

	if (kill(pid, 0))
		return errno != ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (zb_read_file(path, &buf, NULL))
		return 1;
	/* "pid (comm) S ...": comm may hold spaces and parentheses */
	paren = strrchr(buf, ')');
	if (paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'))
		alive = 0;
	free(buf);
	return alive;
}

/* Removed (1) if its owner is gone: its lock free, and it dead or long since. */
static int remove_if_orphan(const char *dir, const char *name, pid_t pid)
{
	char path[4096];
	struct stat st;
	int fd, gone = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (!flock(fd, LOCK_EX | LOCK_NB) && !fstat(fd, &st) &&
	    (!pid_alive(pid) || st.st_ctime < time(NULL) - ORPHAN_AGE_S))
		gone = S_ISDIR(st.st_mode) ? !zb_rmtree(path) : !unlink(path);
	close(fd);
	return gone;
}

int zb_left_sweep(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	pid_t pid;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid = owner_of(e->d_name, prefix);
		if (pid)
			n += remove_if_orphan(dir, e->d_name, pid);
	}
	closedir(d);
	return n;
}
