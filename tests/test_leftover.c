// SPDX-License-Identifier: GPL-2.0
/* Temporaries a kill -9 leaves: swept once their owner is gone, never before. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "leftover.h"
#include "util.h"
#include "zbtest.h"
#include "spawn.h"

static char *tmpdir(void)
{
	static char dir[128];

	zbt_mkdtemp(dir, sizeof(dir));
	return dir;
}

/*
 * A child that creates one (a file, or a directory with a file in it),
 * says its name through a pipe and waits for the SIGKILL its test sends.
 */
static pid_t owner(const char *dir, int is_dir, char *path, size_t len)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char sub[4200];
		int fd = zb_left_create(path, len, dir, "zbt", is_dir);

		if (fd >= 0 && is_dir) {
			snprintf(sub, sizeof(sub), "%s/inner", path);
			close(open(sub, O_CREAT | O_WRONLY, 0600));
		}
		if (write(p[1], path, len) != (ssize_t)len)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], path, len) != (ssize_t)len)
		pid = -1;
	close(p[0]);
	return pid;
}

TEST(live_owners_entries_are_kept)
{
	char *dir = tmpdir(), path[256], mine[256];
	pid_t pid = owner(dir, 0, path, sizeof(path));
	int fd = zb_left_create(mine, sizeof(mine), dir, "zbt", 1);

	ASSERT_TRUE(pid > 0);
	ASSERT_TRUE(fd >= 0);
	ASSERT_TRUE(strstr(path, ZB_LEFT_TAG) != NULL);
	/* the child's, and our own: both owners alive and locking */
	ASSERT_EQ(0, zb_left_sweep(dir, "zbt"));
	ASSERT_EQ(0, access(path, F_OK));
	ASSERT_EQ(0, access(mine, F_OK));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fd);
	rmdir(mine);
}

TEST(dead_owners_file_and_directory_are_swept)
{
	char *dir = tmpdir(), file[256], sub[256];
	pid_t a = owner(dir, 0, file, sizeof(file)), b = owner(dir, 1, sub, sizeof(sub));

	ASSERT_TRUE(a > 0 && b > 0);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	/* another prefix is not ours to sweep */
	ASSERT_EQ(0, zb_left_sweep(dir, "other"));
	ASSERT_EQ(2, zb_left_sweep(dir, "zbt"));
	ASSERT_TRUE(access(file, F_OK) && errno == ENOENT);
	ASSERT_TRUE(access(sub, F_OK) && errno == ENOENT);
}

/* A zombie's pid still exists, but it holds no lock: its entry goes. */
TEST(zombie_owners_entry_is_swept)
{
	char *dir = tmpdir(), path[256];
	pid_t pid = owner(dir, 0, path, sizeof(path));
	siginfo_t si;

	ASSERT_TRUE(pid > 0);
	kill(pid, SIGKILL);
	/* wait for its death, not reap it */
	ASSERT_EQ(0, waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT));
	ASSERT_EQ(0, kill(pid, 0));
	ASSERT_EQ(1, zb_left_sweep(dir, "zbt"));
	waitpid(pid, NULL, 0);
}

/* A name that only looks like one (no pid, wrong suffix) is left alone. */
TEST(foreign_names_are_left_alone)
{
	char *dir = tmpdir(), path[256];
	static const char *const names[] = { "zbt.zbtmp-.abcdef", "zbt.zbtmp-99999999.abc",
					     "zbt.zbtmp-1x.abcdef", "zbt.txt" };
	size_t i;

	for (i = 0; i < ZB_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	ASSERT_EQ(0, zb_left_sweep(dir, "zbt"));
	for (i = 0; i < ZB_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		ASSERT_EQ(0, access(path, F_OK));
	}
}

/* A record's temporary, left by a kill -9 of its writer, goes at the next open. */
TEST(atomic_open_sweeps_a_dead_writers_temporary)
{
	char *dir = tmpdir(), path[256], *buf;
	struct zb_atomic a;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/rec.json", dir);
	pid = fork();
	if (pid == 0) {
		if (zb_atomic_open(&a, path))
			_exit(1);
		raise(SIGKILL);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st));
	ASSERT_EQ(1, dir_entries(dir));
	ASSERT_EQ(0, zb_atomic_open(&a, path));
	ASSERT_EQ(0, zb_atomic_commit(&a, "{}", 2));
	ASSERT_EQ(0, zb_read_file(path, &buf, NULL));
	ASSERT_EQ(1, dir_entries(dir));
	free(buf);
}
