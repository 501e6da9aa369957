// SPDX-License-Identifier: GPL-2.0
/*
 * open: the cost of open()+close() of a file or device node.
 *
 * /dev/mem opens pay for the unified inode (the i_mapping switch in
 * open_port()); the other targets are the baselines a /dev/mem number is
 * read against.  "different" paths give each worker its own name (its
 * own tmpfs file, or its own mknod copy of the device) to separate
 * dentry/inode contention from the device's own cost.
 *
 * open2 is will-it-scale's open2, for reading the two side by side: each
 * worker opens O_RDWR and closes its own file in its own directory, in
 * /tmp as will-it-scale does (or /dev/shm), so no two share a dentry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/magic.h>

#include "case.h"
#include "leftover.h"
#include "util.h"

/* What a kill -9 of an earlier run left in /tmp or /dev/shm (leftover.h). */
#define OPEN_PREFIX	"zapbench-open"

struct open_shared {
	char dir[128];
	int dir_fd;			/* its lock, held by the conductor */
	int nr_paths;
	char path[][192];		/* one per worker */
};

struct open_priv {
	const char *path;
};

/* In the order of the target parameter's choices. */
enum target { TMPFS, DEV_ZERO, DEV_NULL, MKNOD_ZERO, DEV_MEM };

/* The device each target opens (or copies); NULL: a tmpfs file. */
static const char *const target_dev[] = {
	[DEV_ZERO] = "/dev/zero", [DEV_NULL] = "/dev/null",
	[MKNOD_ZERO] = "/dev/zero", [DEV_MEM] = "/dev/mem",
};

static int make_dir(struct zb_worker *w, struct open_shared *s, const char *base, int need_dev)
{
	struct statvfs vfs;

	zb_left_sweep(base, OPEN_PREFIX);
	s->dir_fd = zb_left_create(s->dir, sizeof(s->dir), base, OPEN_PREFIX, 1);
	if (s->dir_fd < 0) {
		s->dir[0] = '\0';
		return zb_skip(w, "cannot create a directory in %s: %s", base,
			       strerror(-s->dir_fd));
	}
	/* A nodev mount opens no device node: no number rather than EACCES. */
	if (need_dev && !statvfs(s->dir, &vfs) && (vfs.f_flag & ST_NODEV)) {
		rmdir(s->dir);
		close(s->dir_fd);
		s->dir[0] = '\0';
		return zb_skip(w, "%s is mounted nodev: device copies cannot be opened", base);
	}
	return 0;
}

/*
 * @s->path[@i] = @s->dir/@name@i.  The directory is copied, not printed:
 * gcc's -Wrestrict (under -fsanitize=address) cannot tell the two members
 * apart through snprintf's %s and fails the SAN=1 build.
 */
static void worker_path(struct open_shared *s, int i, const char *name)
{
	size_t n = strlen(s->dir);

	memcpy(s->path[i], s->dir, n);
	snprintf(s->path[i] + n, sizeof(s->path[i]) - n, "/%s%d", name, i);
}

static int tmpfs_setup(struct zb_worker *w, struct open_shared *s, int n)
{
	struct statfs fs;
	int i, fd, err;

	if (statfs("/dev/shm", &fs) || fs.f_type != TMPFS_MAGIC)
		return zb_skip(w, "/dev/shm is not a tmpfs mount");
	err = make_dir(w, s, "/dev/shm", 0);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		worker_path(s, i, "f");
		fd = open(s->path[i], O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			return zb_fail(w, -errno, "create %s: %s", s->path[i], strerror(errno));
		close(fd);
		s->nr_paths = i + 1;
	}
	return 0;
}

static int node_setup(struct zb_worker *w, struct open_shared *s, const char *dev,
		      int copies)
{
	struct stat st;
	int i, err;

	if (stat(dev, &st))
		return zb_skip(w, "%s does not exist on this system", dev);
	if (!copies) {
		snprintf(s->path[0], sizeof(s->path[0]), "%s", dev);
		return 0;
	}
	err = make_dir(w, s, "/tmp", 1);
	if (err)
		return err;
	for (i = 0; i < copies; i++) {
		worker_path(s, i, "node");
		if (mknod(s->path[i], S_IFCHR | 0600, st.st_rdev))
			return errno == EPERM ?
			       zb_skip(w, "mknod needs CAP_MKNOD") :
			       zb_fail(w, -errno, "mknod %s: %s", s->path[i], strerror(errno));
		s->nr_paths = i + 1;
	}
	return 0;
}

static int open_setup(struct zb_worker *w)
{
	struct open_shared *s = w->shared;
	int target = zb_param_enum(w, "target");
	int different = zb_param_is(w, "paths", "different");
	int n = different ? w->nr_workers : 1;

	if (target == TMPFS)
		return tmpfs_setup(w, s, n);
	/* mknod_zero is always a copy; the others are copies only when different. */
	return node_setup(w, s, target_dev[target], different || target == MKNOD_ZERO ? n : 0);
}

/* Open once untimed: a target we cannot open is skipped with why. */
static int open_worker_setup(struct zb_worker *w)
{
	struct open_shared *s = w->shared;
	struct open_priv *p = w->priv;
	int fd;

	p->path = s->path[zb_param_is(w, "paths", "different") ? w->id : 0];
	fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == EPERM || errno == EACCES))
		return zb_skip(w, "open %s: %s (needs CAP_SYS_RAWIO for /dev/mem)",
			       p->path, strerror(errno));
	if (fd < 0)
		return zb_fail(w, -errno, "open %s: %s", p->path, strerror(errno));
	close(fd);
	return 0;
}

/* The operation of both cases. */
static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int open_op(struct zb_worker *w)
{
	const struct open_priv *p = w->priv;

	return open_close(p->path, O_RDONLY);
}

static void open_teardown(struct zb_worker *w)
{
	struct open_shared *s = w->shared;
	int i;

	if (!s->dir[0])
		return;
	for (i = 0; i < s->nr_paths; i++)
		unlink(s->path[i]);
	rmdir(s->dir);
	close(s->dir_fd);
}

/*
 * open2: a directory and a file per worker (@top/dN/f), shared_per_worker
 * slots of path[]; @top is the one a kill -9 may leave (leftover.h).
 */
struct open2_shared {
	int nr;
	int top_fd;
	char top[128];
	char path[][192];
};

static int open2_setup(struct zb_worker *w)
{
	struct open2_shared *s = w->shared;
	const char *base = zb_param_is(w, "dir", "shm") ? "/dev/shm" : "/tmp";
	char dir[160];
	int i, fd;

	zb_left_sweep(base, OPEN_PREFIX);
	s->top_fd = zb_left_create(s->top, sizeof(s->top), base, OPEN_PREFIX "2", 1);
	if (s->top_fd < 0) {
		s->top[0] = '\0';
		return zb_skip(w, "cannot create a directory in %s: %s", base,
			       strerror(-s->top_fd));
	}
	for (i = 0; i < w->nr_workers; i++) {
		snprintf(dir, sizeof(dir), "%s/d%d", s->top, i);
		if (mkdir(dir, 0700))
			return zb_fail(w, -errno, "mkdir %s: %s", dir, strerror(errno));
		snprintf(s->path[i], sizeof(s->path[i]), "%s/f", dir);
		s->nr = i + 1;
		fd = open(s->path[i], O_CREAT | O_RDWR | O_CLOEXEC, 0600);
		if (fd < 0)
			return zb_fail(w, -errno, "create %s: %s", s->path[i], strerror(errno));
		close(fd);
	}
	return 0;
}

static int open2_op(struct zb_worker *w)
{
	const struct open2_shared *s = w->shared;

	return open_close(s->path[w->id], O_RDWR);
}

static void open2_teardown(struct zb_worker *w)
{
	struct open2_shared *s = w->shared;

	if (!s->top[0])
		return;
	zb_rmtree(s->top);
	close(s->top_fd);
}

static const struct zb_param open2_params[] = {
	ZB_ENUM_PARAM("dir", "tmp,shm", "where the directories are: /tmp (will-it-scale's) "
		      "or /dev/shm (tmpfs)", .def = "tmp"),
	ZB_CPUS_PARAM(),
	ZB_MODE_PARAM(.quick_def = "process",
		      .help = "workers are processes, or threads sharing one file table"),
	{ .name = NULL },
};

static const struct zb_param open_params[] = {
	ZB_ENUM_PARAM("target", "tmpfs,dev_zero,dev_null,mknod_zero,dev_mem",
		      "what is opened: a tmpfs file, /dev/zero, /dev/null, "
		      "a mknod copy of /dev/zero, /dev/mem"),
	ZB_ENUM_PARAM("paths", "same,different",
		      "all workers open one path, or each its own name for the same object"),
	ZB_CPUS_PARAM(),
	ZB_MODE_PARAM(.quick_def = "process",
		      .help = "workers are processes, or threads sharing one file table"),
	{ .name = NULL },
};

const struct zb_case zb_family_open[] = {
	{
		.name = "open/close",
		.desc = "open()+close() latency and per-task throughput, 1..nproc workers",
		.params = open_params,
		.shared_size = sizeof(struct open_shared),
		.shared_per_worker = sizeof(((struct open_shared *)0)->path[0]),
		.priv_size = sizeof(struct open_priv),
		.setup = open_setup,
		.worker_setup = open_worker_setup,
		.op = open_op,
		.teardown = open_teardown,
		.flags = ZB_CASE_TPUT,
	},
	{
		.name = "open/open2",
		.desc = "will-it-scale's open2: own file in own directory, O_RDWR, 1..nproc workers",
		.params = open2_params,
		.flags = ZB_CASE_TPUT,
		.shared_size = sizeof(struct open2_shared),
		.shared_per_worker = sizeof(((struct open2_shared *)0)->path[0]),
		.setup = open2_setup,
		.op = open2_op,
		.teardown = open2_teardown,
	},
	{ .name = NULL },
};
