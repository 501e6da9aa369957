// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_open: open()+close() of /dev/zaptest with the unified inode
 * (open checks CAP_SYS_RAWIO and lockdown as open_port() does, reads the
 * published inode pointer and points f_mapping, not i_mapping, at its
 * mapping) or per inode (the same checks; f_mapping stays the inode's),
 * and of /dev/mem itself, 1..nCPU workers on the same node.  All three
 * are char devices on a major of their own: chrdev_open(), no misc_mtx.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kmod_dev.h"

struct kopen_shared {
	char old_mode[16], old_variant[16];
	int changed;
};

static int kopen_setup(struct zb_worker *w)
{
	struct kopen_shared *s = w->shared;
	const char *target = zb_param_str(w, "target");
	struct zaptest_info info;
	int fd, err;

	if (!strcmp(target, "dev_mem")) {
		if (access("/dev/mem", F_OK))
			return zb_skip(w, "/dev/mem does not exist on this system");
		return 0;
	}
	fd = zb_kmod_open(w, &info);
	if (fd < 0)
		return fd;
	close(fd);
	err = zb_kmod_swap_param(w, "mode", strcmp(target, "per_inode") ? "unified" : "per_inode",
				 s->old_mode, sizeof(s->old_mode));
	err = err ?: zb_kmod_swap_param(w, "variant", zb_param_str(w, "variant"),
					s->old_variant, sizeof(s->old_variant));
	s->changed = 1;
	return err;
}

static int kopen_worker_setup(struct zb_worker *w)
{
	const char *path = zb_param_is(w, "target", "dev_mem") ? "/dev/mem" : ZAPTEST_DEV;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return zb_skip(w, "open %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

static int kopen_op(struct zb_worker *w)
{
	const char *path = zb_param_is(w, "target", "dev_mem") ? "/dev/mem" : ZAPTEST_DEV;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void kopen_teardown(struct zb_worker *w)
{
	struct kopen_shared *s = w->shared;

	if (!s->changed)
		return;
	zb_kmod_set_param("mode", s->old_mode);
	zb_kmod_set_param("variant", s->old_variant);
}

#define KOPEN_CASE(nm, what, targets, variants, cpus, qcpus) {				\
	.name = nm,									\
	.desc = what,									\
	.params = (const struct zb_param[]) {						\
		{ "target", ZB_PARAM_ENUM, targets, targets,				\
		  "unified,per_inode,dev_mem", 0, 0,					\
		  "/dev/zaptest unified or per inode, or /dev/mem" },			\
		{ "variant", ZB_PARAM_ENUM, variants, variants, "v3,once,acqrel,rcu,relderef", \
		  0, 0, "inode pointer publication in zaptest.ko" },			\
		{ "cpus", ZB_PARAM_INT, cpus, qcpus, NULL, 1, ZB_CPUS_MAX,		\
		  "workers, one per CPU, all timed" },					\
		{ .name = NULL } },							\
	.shared_size = sizeof(struct kopen_shared),					\
	.setup = kopen_setup,								\
	.worker_setup = kopen_worker_setup,						\
	.op = kopen_op,									\
	.teardown = kopen_teardown,							\
}

const struct zb_case zb_family_kmod_open[] = {
	KOPEN_CASE("kmod_open/close", "open()+close() of /dev/zaptest and /dev/mem",
		   "unified,per_inode,dev_mem", "acqrel", "1,2,nproc", "1,nproc"),
	KOPEN_CASE("kmod_open/variant",
		   "open()+close() of /dev/zaptest (unified) under each publication variant",
		   "unified", "v3,once,acqrel,rcu,relderef", "1,nproc", "1"),
	{ .name = NULL },
};
