// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leftover.h"
#include "util.h"

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "zapbench: %s%s\n", kind, line);
}

void zb_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void zb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int zb_read_file(const char *path, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL, *nb;
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!b || n + 1 >= cap) {
			cap = b ? cap * 2 : cap;
			nb = realloc(b, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

int zb_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -ENODATA;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

int zb_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int zb_read_long(const char *path, long *val)
{
	char line[64], *end;
	int err = zb_read_line(path, line, sizeof(line));

	if (err)
		return err;
	errno = 0;
	*val = strtol(line, &end, 10);
	if (errno || end == line)
		return -EINVAL;
	return 0;
}

int zb_atomic_open(struct zb_atomic *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096], prefix[512];
	int n;

	a->fd = -1;
	a->fresh = 0;
	if (strlen(path) >= sizeof(a->path))
		return -ENAMETOOLONG;
	strcpy(a->path, path);
	/*
	 * The temporary must be on the same filesystem for rename(2):
	 * ".NAME.zbtmp-PID.XXXXXX" beside it, locked (leftover.h), and what
	 * a kill -9 of an earlier writer left in that directory goes first.
	 */
	if (slash)
		n = snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		n = snprintf(dir, sizeof(dir), ".");
	if (n < 0 || (size_t)n >= sizeof(dir) ||
	    snprintf(prefix, sizeof(prefix), ".%s", slash ? slash + 1 : path) >=
	    (int)sizeof(prefix))
		return -ENAMETOOLONG;
	zb_left_sweep(dir, ".");
	a->fd = zb_left_create(a->tmp, sizeof(a->tmp), dir, prefix, 0);
	return a->fd < 0 ? a->fd : 0;
}

/*
 * link(2) fails with EEXIST rather than replace: two runs that chose one
 * timestamp both keep their record.  Where the filesystem has no hard
 * links, a plain rename to a name that is free (a narrow race, the old
 * behaviour) rather than no record.
 */
static int fresh_name(struct zb_atomic *a)
{
	char base[4096], name[4096];
	const char *ext = strrchr(a->path, '.');
	int k, err = -EEXIST;

	if (!ext || strchr(ext, '/'))
		ext = a->path + strlen(a->path);
	snprintf(base, sizeof(base), "%.*s", (int)(ext - a->path), a->path);
	for (k = 1; k < 1000 && err == -EEXIST; k++) {
		if (k == 1)
			snprintf(name, sizeof(name), "%s", a->path);
		else if (snprintf(name, sizeof(name), "%s_%d%s", base, k, ext) >=
			 (int)sizeof(name))
			break;
		err = link(a->tmp, name) ? -errno : 0;
	}
	/* no hard links here (vfat, some FUSE): rename, as before, if still free */
	if (err && err != -EEXIST && access(name, F_OK) && errno == ENOENT &&
	    !rename(a->tmp, name))
		err = 0;
	unlink(a->tmp);
	if (!err)
		snprintf(a->path, sizeof(a->path), "%s", name);
	return err;
}

int zb_atomic_commit(struct zb_atomic *a, const char *data, size_t len)
{
	size_t off = 0;
	ssize_t r;
	int err = 0;

	while (off < len) {
		r = write(a->fd, data + off, len - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		off += (size_t)r;
	}
	if (!err && fchmod(a->fd, 0644))
		err = -errno;
	if (!err && fsync(a->fd))
		err = -errno;
	if (close(a->fd) && !err)
		err = -errno;
	a->fd = -1;
	if (!err && a->fresh)
		return fresh_name(a);
	if (!err && rename(a->tmp, a->path))
		err = -errno;
	if (err)
		unlink(a->tmp);
	return err;
}

void zb_atomic_abort(struct zb_atomic *a)
{
	if (a->fd >= 0) {
		close(a->fd);
		unlink(a->tmp);
		a->fd = -1;
	}
}

int zb_mkdirs(const char *dir)
{
	char p[4096];
	size_t i, n = strlen(dir);

	if (n >= sizeof(p))
		return -ENAMETOOLONG;
	strcpy(p, dir);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return -errno;
		p[i] = dir[i];
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? -errno : 0;
}

int zb_rmtree(const char *dir)
{
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *zb_share_dir(void)
{
	static char dir[PATH_MAX + 32];
	static int known;
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n;

	if (known)
		return *dir ? dir : NULL;
	known = 1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/../share/zapbench", dirname(exe));
	/* the file every figure's script loads: a stray empty dir is no install */
	snprintf(probe, sizeof(probe), "%s/common.gp", dir);
	if (access(probe, R_OK))
		*dir = '\0';
	return *dir ? dir : NULL;
}
