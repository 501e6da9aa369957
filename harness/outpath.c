// SPDX-License-Identifier: GPL-2.0
#include "outpath.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISLNK(m))
		return "a symbolic link (zapbench would replace the link, not its target: "
		       "name the target)";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device node";
	if (S_ISFIFO(m))
		return "a fifo";
	return "a socket";
}

/* @dir (stat @st) is a directory this process may create files in. */
static int writable_dir(const char *dir, const struct stat *st, char *why, size_t len)
{
	if (!S_ISDIR(st->st_mode)) {
		snprintf(why, len, "%s is not a directory", dir);
		return -ENOTDIR;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(why, len, "directory %s: %s", dir, strerror(errno));
		return -errno;
	}
	return 0;
}

int zb_out_check(const char *path, char *why, size_t len)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!*path) {
		snprintf(why, len, "empty path");
		return -EINVAL;
	}
	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s is %s", path, kind(st.st_mode));
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		     slash ? path : ".") >= (int)sizeof(dir)) {
		snprintf(why, len, "%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (stat(dir, &st)) {
		snprintf(why, len, "directory %s: %s", dir, strerror(errno));
		return -errno;
	}
	return writable_dir(dir, &st, why, len);
}

static void holder(int fd, char *why, size_t len, const char *path, const char *lock)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;

	if (pid > 0)
		snprintf(why, len, "%s is being written by another zapbench (pid %ld holds %s)",
			 path, pid, lock);
	else
		snprintf(why, len, "%s is being written by another zapbench (it holds %s)",
			 path, lock);
}

/* Lock file @lock, for writing @path: what zb_out_lock() says. */
static int lock_file(const char *path, const char *lock, int *fd, char *why, size_t len)
{
	char pid[32];
	struct stat a, b;
	int k, f, n;

	/* the holder unlinks the file it locked: lock what the name names now */
	for (k = 0; k < 100; k++) {
		f = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (f < 0) {
			snprintf(why, len, "cannot lock %s: %s", lock, strerror(errno));
			return -errno;
		}
		if (flock(f, LOCK_EX | LOCK_NB)) {
			int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

			if (err == -EBUSY)
				holder(f, why, len, path, lock);
			else
				snprintf(why, len, "cannot lock %s: %s", lock, strerror(-err));
			close(f);
			return err;
		}
		if (!fstat(f, &a) && !stat(lock, &b) && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(f);
		f = -1;
	}
	if (f < 0) {
		snprintf(why, len, "cannot lock %s: it keeps being replaced", lock);
		return -EBUSY;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) || pwrite(f, pid, (size_t)n, 0) != n) {
		snprintf(why, len, "cannot lock %s: %s", lock, strerror(errno));
		unlink(lock);
		close(f);
		return -EIO;
	}
	*fd = f;
	return 0;
}

int zb_out_lock(const char *path, int *fd, char *why, size_t len)
{
	char lock[4200];

	snprintf(lock, sizeof(lock), "%s.lock", path);
	return lock_file(path, lock, fd, why, len);
}

/* @fmt names the lock file of @path ("%s.lock", "%s/.lock"). */
static void unlock_file(const char *fmt, const char *path, int fd)
{
	char lock[4200];

	if (fd < 0)
		return;
	snprintf(lock, sizeof(lock), fmt, path);
	unlink(lock);
	close(fd);
}

void zb_out_unlock(const char *path, int fd)
{
	unlock_file("%s.lock", path, fd);
}

/* @dir's nearest existing ancestor into @up ("." for a relative name). */
static int existing_ancestor(const char *dir, char *up, size_t size, struct stat *st)
{
	char *slash;

	if (snprintf(up, size, "%s", dir) >= (int)size)
		return -ENAMETOOLONG;
	for (;;) {
		while ((slash = strrchr(up, '/')) && slash > up && !slash[1])
			*slash = '\0';
		slash = strrchr(up, '/');
		if (!slash)
			snprintf(up, size, ".");
		else
			slash[slash == up] = '\0';
		if (!stat(up, st))
			return 0;
		if (errno != ENOENT)
			return -errno;
	}
}

int zb_outdir_check(const char *dir, char *why, size_t len)
{
	char up[4096];
	struct stat st;
	int err;

	if (!*dir) {
		snprintf(why, len, "empty path");
		return -EINVAL;
	}
	if (!stat(dir, &st))
		return writable_dir(dir, &st, why, len);
	err = -errno;
	if (err != -ENOENT) {
		snprintf(why, len, "%s: %s", dir, strerror(-err));
		return err;
	}
	if (!lstat(dir, &st)) {
		snprintf(why, len, "%s is a symbolic link to nothing", dir);
		return -ENOENT;
	}
	err = existing_ancestor(dir, up, sizeof(up), &st);
	if (!err && !S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	if (!err && access(up, W_OK | X_OK))
		err = -errno;
	if (err)
		snprintf(why, len, "cannot create %s: %s: %s", dir, up, strerror(-err));
	return err;
}

int zb_outdir_lock(const char *dir, int *fd, char *why, size_t len)
{
	char lock[4200];
	int err = zb_mkdirs(dir);

	if (err) {
		snprintf(why, len, "cannot create %s: %s", dir, strerror(-err));
		return err;
	}
	snprintf(lock, sizeof(lock), "%s/.lock", dir);
	return lock_file(dir, lock, fd, why, len);
}

void zb_outdir_unlock(const char *dir, int fd)
{
	unlock_file("%s/.lock", dir, fd);
}
