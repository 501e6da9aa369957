// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_revoke: what revoke_iomem() does, on /dev/zaptest: read the
 * published inode (with the variant under test) and unmap_mapping_range()
 * its mapping, timed in the kernel around both (the sample), with the
 * median userspace wall time of the ioctl beside it (wall_ns).
 *
 * The revoker holds N one-page mappings of pool page 0; with cpus > 1
 * its sibling threads spin on the other CPUs in the same mm, so every
 * revoke must shoot down their TLBs too, as it would for a multi-threaded
 * process that maps /dev/mem.  Before each sample the page is granted
 * again and, with populate=yes, every mapping faulted back in (untimed).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kmod_dev.h"
#include "timer.h"
#include "revoke_maps.h"

struct krev_shared {
	int fd;
	struct zaptest_info info;
	char old_variant[16];
};

struct krev_priv {
	struct map_set maps;
	long page;
	struct zb_vals wall;
};

static int krev_setup(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;

	s->fd = zb_kmod_open(w, &s->info);
	if (s->fd < 0)
		return s->fd;
	return zb_kmod_swap_param(w, "variant", zb_param_str(w, "variant"),
				  s->old_variant, sizeof(s->old_variant));
}

/* The revoker's mappings; peers hold none, they only run the mm. */
static int krev_worker_setup(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	long n = zb_param_int(w, "maps");
	int err;

	if (w->id)
		return 0;
	p->page = sysconf(_SC_PAGESIZE);
	/* side by side in an aligned region, as the memfd revokes: revoke_maps.h */
	err = map_set_create(&p->maps, s->fd, n, 0, p->page);
	if (err == -ENOMEM)
		return zb_skip(w, "%ld mappings: mmap ENOMEM after %ld (vm.max_map_count?)",
			       n, p->maps.n);
	if (err)
		return zb_fail(w, err, "mmap /dev/zaptest: %s", strerror(-err));
	return 0;
}

static int krev_prepare(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	int err = zb_kmod_range(s->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);

	if (err)
		return zb_fail(w, err, "GRANT: %s", strerror(-err));
	if (zb_param_is(w, "populate", "yes") && map_set_probe(&p->maps))
		return zb_fail(w, -EFAULT, "a granted mapping raised SIGBUS");
	return 0;
}

/* What we claim to time: N VMAs, and with populate=yes N PTEs to zap. */
static int krev_validate(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	struct zaptest_stats a, b;
	long vmas = count_path_vmas(ZAPTEST_DEV);
	int err;

	if (vmas != p->maps.n)
		return zb_fail(w, -EINVAL, "%ld %s VMAs, expected %ld", vmas, ZAPTEST_DEV,
			       p->maps.n);
	err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, NULL);
	err = err ?: zb_kmod_stats(s->fd, &a);
	err = err ?: krev_prepare(w);
	err = err ?: zb_kmod_stats(s->fd, &b);
	if (err)
		return err;
	if (zb_param_is(w, "populate", "yes") && b.faults - a.faults != (uint64_t)p->maps.n)
		return zb_fail(w, -EINVAL, "refaulted %llu of %ld mappings after a revoke",
			       (unsigned long long)(b.faults - a.faults), p->maps.n);
	zb_note(w, "vmas", (double)vmas);
	return 0;
}

static int krev_op(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;
	struct krev_priv *p = w->priv;
	struct zaptest_range r;
	uint64_t t0 = zb_mono_ns();
	int err = zb_kmod_range(s->fd, ZAPTEST_IOC_REVOKE, 0, p->page, &r);

	if (err)
		return err;
	zb_vals_add(&p->wall, (double)(zb_mono_ns() - t0));
	zb_sample_ns(w, (double)r.ns);
	return 0;
}

/* Spin in userspace: the mm stays live on this CPU, so revokes IPI it. */
static int krev_peer(struct zb_worker *w)
{
	while (!zb_stopping(w))
		__asm__ __volatile__("pause" ::: "memory");
	return 0;
}

static void krev_worker_teardown(struct zb_worker *w)
{
	struct krev_priv *p = w->priv;

	if (w->id)
		return;
	if (p->wall.n)
		zb_note(w, "wall_ns", zb_vals_median(&p->wall));
	map_set_destroy(&p->maps, p->page);
	/* leave the page usable for whatever runs next */
	zb_kmod_range(((struct krev_shared *)w->shared)->fd, ZAPTEST_IOC_GRANT, 0, p->page, NULL);
}

static void krev_teardown(struct zb_worker *w)
{
	struct krev_shared *s = w->shared;

	if (s->fd > 0) {
		if (s->old_variant[0])
			zb_kmod_set_param("variant", s->old_variant);
		close(s->fd);
	}
}

#define KREV_CASE(nm, what, maps, qmaps, variants, qvariants, cpus, qcpus) {		\
	.name = nm,									\
	.desc = what,									\
	.params = (const struct zb_param[]) {						\
		{ "maps", ZB_PARAM_INT, maps, qmaps, NULL, 1, 1000000,			\
		  "one-page mappings of the revoked page (VMAs)" },			\
		{ "populate", ZB_PARAM_ENUM, "yes,no", "yes,no", "yes,no", 0, 0,	\
		  "PTEs present before each revoke" },					\
		{ "cpus", ZB_PARAM_INT, cpus, qcpus, NULL, 1, 64,			\
		  "CPUs running the revoker's mm (the others spin)" },			\
		{ "variant", ZB_PARAM_ENUM, variants, qvariants, "v3,once,acqrel,rcu",	\
		  0, 0, "inode pointer publication in zaptest.ko" },			\
		{ "mode", ZB_PARAM_ENUM, "thread", "thread", "thread", 0, 0,		\
		  "peers are threads, so they run the revoker's mm" },			\
		{ .name = NULL } },							\
	.flags = ZB_CASE_PEERS,								\
	.fit_param = "maps",								\
	.table_notes = "wall_ns",							\
	.shared_size = sizeof(struct krev_shared),					\
	.priv_size = sizeof(struct krev_priv),						\
	.setup = krev_setup,								\
	.worker_setup = krev_worker_setup,						\
	.validate = krev_validate,							\
	.prepare = krev_prepare,							\
	.op = krev_op,									\
	.peer = krev_peer,								\
	.worker_teardown = krev_worker_teardown,					\
	.teardown = krev_teardown,							\
}

const struct zb_case zb_family_kmod_revoke[] = {
	KREV_CASE("kmod_revoke/unified",
		  "in-kernel unmap_mapping_range() of /dev/zaptest mapped N times (kernel clock)",
		  "1,10,100,1000,10000", "1,100,1000", "acqrel", "acqrel", "1,nproc", "1,nproc"),
	KREV_CASE("kmod_revoke/variant",
		  "the same revoke under each inode-publication variant, one boot (kernel clock)",
		  "1000", "1000", "v3,once,acqrel,rcu", "v3,once,acqrel,rcu", "1", "1"),
	{ .name = NULL },
};
