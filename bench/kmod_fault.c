// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_fault: one page fault through zaptest.ko's handler
 * (vmf_insert_pfn() on a PFN mapping: the module's fault-driven shape;
 * /dev/mem has no fault handler, a zapped /dev/mem PTE comes back only
 * by a new mmap()), 1..nCPU workers each faulting its own pool page.
 *
 * state=fresh faults a new mapping (mmap'ed untimed before each
 * sample); state=revoked refaults a mapping whose PTE a revoke of this
 * worker's page just removed, which is the cost every user of a
 * revoked-then-regranted range pays once per page.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kmod_dev.h"

struct kfault_priv {
	int fd;
	struct zaptest_info info;
	long page;
	off_t pgoff;
	volatile char *map;
};

static int kfault_map(struct zb_worker *w, struct kfault_priv *p)
{
	void *m = mmap(NULL, (size_t)p->page, PROT_READ, MAP_SHARED, p->fd,
		       p->pgoff * p->page);

	if (m == MAP_FAILED)
		return zb_fail(w, -errno, "mmap /dev/zaptest: %s", strerror(errno));
	p->map = m;
	return 0;
}

static int kfault_worker_setup(struct zb_worker *w)
{
	struct kfault_priv *p = w->priv;

	p->fd = zb_kmod_open(w, &p->info);
	if (p->fd < 0)
		return p->fd;
	p->page = sysconf(_SC_PAGESIZE);
	p->pgoff = w->id % p->info.pool_pages;
	/* an earlier case may have left the page revoked */
	zb_kmod_range(p->fd, ZAPTEST_IOC_GRANT, (uint64_t)p->pgoff * p->page, p->page, NULL);
	return kfault_map(w, p);
}

static int kfault_prepare(struct zb_worker *w)
{
	struct kfault_priv *p = w->priv;
	uint64_t off = (uint64_t)p->pgoff * p->page;
	int err;

	if (zb_param_is(w, "state", "fresh")) {
		munmap((void *)p->map, (size_t)p->page);
		return kfault_map(w, p);
	}
	err = zb_kmod_range(p->fd, ZAPTEST_IOC_REVOKE, off, p->page, NULL);
	err = err ?: zb_kmod_range(p->fd, ZAPTEST_IOC_GRANT, off, p->page, NULL);
	return err ? zb_fail(w, err, "revoke/grant: %s", strerror(-err)) : 0;
}

/* One fault served by the module, or the setup is not what we time. */
static int kfault_validate(struct zb_worker *w)
{
	struct kfault_priv *p = w->priv;
	struct zaptest_stats a, b;
	int err = kfault_prepare(w);

	err = err ?: zb_kmod_stats(p->fd, &a);
	if (err)
		return err;
	(void)*p->map;
	err = zb_kmod_stats(p->fd, &b);
	if (err)
		return err;
	/* other workers fault concurrently: at least ours must be there */
	if (b.faults == a.faults)
		return zb_fail(w, -EINVAL, "touching the page did not reach the fault handler");
	return 0;
}

static int kfault_op(struct zb_worker *w)
{
	struct kfault_priv *p = w->priv;

	(void)*p->map;
	return 0;
}

static void kfault_worker_teardown(struct zb_worker *w)
{
	struct kfault_priv *p = w->priv;

	if (p->map)
		munmap((void *)p->map, (size_t)p->page);
	if (p->fd > 0)
		close(p->fd);
}

static const struct zb_param kfault_params[] = {
	{ "state", ZB_PARAM_ENUM, "fresh,revoked", "fresh,revoked", "fresh,revoked", 0, 0,
	  "a new mapping, or one whose PTE a revoke removed" },
	{ "cpus", ZB_PARAM_INT, "1,2,nproc", "1,nproc", NULL, 1, ZB_CPUS_MAX,
	  "workers, one per CPU, all timed" },
	{ .name = NULL },
};

const struct zb_case zb_family_kmod_fault[] = {
	{
		.name = "kmod_fault/touch",
		.desc = "first touch of a /dev/zaptest page: the module's fault handler",
		.params = kfault_params,
		.priv_size = sizeof(struct kfault_priv),
		.worker_setup = kfault_worker_setup,
		.validate = kfault_validate,
		.prepare = kfault_prepare,
		.op = kfault_op,
		.worker_teardown = kfault_worker_teardown,
	},
	{ .name = NULL },
};
